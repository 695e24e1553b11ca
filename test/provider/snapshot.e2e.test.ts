/**
 * `ovirt_snapshot` and `ovirt_snapshot_restore` end to end with the real terraform against the
 * simulator: take, empty plan, drift (snapshot removed outside), import, explicit restore (and
 * again on a trigger change), the engine's refusals on the right attribute with nothing left
 * half-done, Ctrl-C while a snapshot is being taken, destroy waiting for the merge.
 */
import type { EngineSim } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { SimClient } from '../engine-sim/sim-client';
import { flat, interruptWhen, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

const GiB = 1024 ** 3;

function vars(
  ws: Workspace,
  values: { description?: string; restore?: boolean; round?: string; snapshotId?: string },
): void {
  ws.writeFiles({
    'terraform.tfvars.json': JSON.stringify({
      description: values.description ?? 'before upgrade',
      restore: values.restore ?? false,
      restore_round: values.round ?? '1',
      restore_snapshot_id: values.snapshotId ?? '',
    }),
  });
}

const regular = (sim: EngineSim, vm: string) =>
  sim.control.list('snapshots').filter((s) => s.parent === vm && s.data.snapshot_type === 'regular');

describe('ovirt_snapshot end to end (real terraform, simulator)', () => {
  const start = useDay2Env('snapshot');
  let sim: EngineSim;
  let ws: Workspace;
  it('takes, detects drift, imports, restores explicitly, refuses bad input, destroys', async () => {
    ({ sim, ws } = await start('none', 15));
    vars(ws, {});
    await apply(ws);
    const snap = resourceValues(await ws.state(), 'ovirt_snapshot.before')!;
    const vm = String(snap.vm_id);
    expect([snap.status, snap.description, snap.memory_saved, (snap.disk_ids as string[]).length]).toEqual([
      'ok',
      'before upgrade',
      false,
      1,
    ]);
    expect(snap.id).toBe(`${vm}/${snap.snapshot_id}`);
    await expectNoChanges(ws);

    // Drift: the snapshot removed outside Terraform is taken again.
    sim.control.remove('snapshots', String(snap.snapshot_id), vm);
    expect((await plan(ws)).stdout).toContain('ovirt_snapshot.before will be created');
    await apply(ws);
    const again = resourceValues(await ws.state(), 'ovirt_snapshot.before')!;
    expect(regular(sim, vm).map((s) => s.id)).toEqual([again.snapshot_id]);

    // Import by <vm_id>/<snapshot_id>.
    expectOk(await ws.terraform('state', 'rm', 'ovirt_snapshot.before'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_snapshot.before', String(again.id)));
    await expectNoChanges(ws);

    // Drift of the VM does not restore anything; the explicit restore does (the VM is down).
    sim.control.mutate('vms', vm, { memory: 8 * GiB });
    vars(ws, { restore: true });
    const planned = await plan(ws);
    expect(planned.stdout).toContain('ovirt_snapshot_restore.back[0] will be created');
    await apply(ws);
    expect(Number(sim.control.get('vms', vm)!.data.memory)).toBe(4 * GiB);
    // Same triggers: nothing; a new round restores again.
    await expectNoChanges(ws);
    sim.control.mutate('vms', vm, { description: 'changed after the restore' });
    vars(ws, { restore: true, round: '2' });
    expect((await plan(ws)).stdout).toMatch(/ovirt_snapshot_restore\.back\[0\] must be replaced/);
    await apply(ws);
    expect(sim.control.get('vms', vm)!.data.description).toBe('');

    // Another VM's snapshot: refused on snapshot_id, the VM untouched.
    const other = await startOtherVmSnapshot(sim);
    vars(ws, { restore: true, round: '3', snapshotId: other });
    const bad = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(bad.code).toBe(1);
    expect(flat(bad.stderr)).toContain(`snapshot ${other} is not a snapshot of VM ${vm}`);
    expect(bad.stderr).toMatch(/with ovirt_snapshot_restore\.back\[0\],[\s\S]*snapshot_id/);

    // A locked VM: the engine's text on vm_id, and no snapshot taken.
    vars(ws, { description: 'while locked' });
    sim.control.lock(vm);
    const locked = await ws.terraform('apply', '-auto-approve', '-no-color');
    sim.control.unlock(vm);
    expect(locked.code).toBe(1);
    expect(flat(locked.stderr)).toContain('Cannot create Snapshot: VM is locked. Please try again in a few minutes.');
    expect(locked.stderr).toMatch(/with ovirt_snapshot\.before,[\s\S]*vm_id/);
    expect(regular(sim, vm)).toHaveLength(0);

    vars(ws, {});
    await apply(ws);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(
      sim.control.list('snapshots').filter((s) => s.data.snapshot_type === 'regular' && s.parent === vm),
    ).toHaveLength(0);
  }, 600_000);

  it('Ctrl-C while a snapshot is taken: the snapshot is kept in state and the next apply converges', async () => {
    ({ sim, ws } = await start('realistic', 16));
    vars(ws, {});
    const taking = () =>
      sim.control
        .list('snapshots')
        .some((x) => x.data.snapshot_type === 'regular' && x.data.snapshot_status === 'locked');
    expect(await interruptWhen(ws, taking)).toEqual({ code: 1, sawIt: true });
    const kept = resourceValues(await ws.state(), 'ovirt_snapshot.before');
    expect(kept?.snapshot_id).toBeDefined();
    await apply(ws);
    await expectNoChanges(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    expect(regular(sim, vm)).toHaveLength(1);
    expectOk(await ws.run(['destroy', '-auto-approve', '-no-color'], { timeoutMs: 300_000 }));
    expect(sim.control.list('snapshots').filter((s) => s.data.snapshot_type === 'regular')).toHaveLength(0);
  }, 600_000);
});

/** A snapshot of a second VM made directly in the simulator (outside the configuration). */
async function startOtherVmSnapshot(sim: EngineSim): Promise<string> {
  const client = await new SimClient(sim).login();
  try {
    const vm = await client.createVm('snap-other', '', 'Blank');
    return (await client.post(`/vms/${vm}/snapshots`, '<snapshot><description>theirs</description></snapshot>')).doc
      .snapshot['@id'];
  } finally {
    await client.close();
  }
}

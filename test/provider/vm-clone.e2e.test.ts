/**
 * VMs made from other VMs, end to end with the real terraform against the simulator: from a
 * snapshot and with the clone action (disks copied, configured settings applied, waits while the
 * copies are made), an empty plan, drift, import, the engine's refusals on the source attribute and
 * a conflicting configuration at plan time, Ctrl-C while a clone's disks are copied.
 */
import type { EngineSim } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { flat, interruptWhen, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';
import { nth } from '../support/nth';

const GiB = 1024 ** 3;

function vars(ws: Workspace, values: { memory?: number; withTemplate?: boolean; extra?: boolean } = {}): void {
  ws.writeFiles({
    'terraform.tfvars.json': JSON.stringify({
      memory: values.memory ?? 2 * GiB,
      with_template: values.withTemplate ?? false,
      extra_clone: values.extra ?? false,
    }),
  });
}

const vmNamed = (sim: EngineSim, name: string) => sim.control.list('vms').filter((v) => v.data.name === name);
const disksOf = (sim: EngineSim, vm: string) =>
  sim.control
    .list('diskattachments')
    .filter((a) => a.parent === vm)
    .map((a) => a.id);

describe('ovirt_vm from a snapshot and from another VM (real terraform, simulator)', () => {
  const start = useDay2Env('clone');
  let sim: EngineSim;
  let ws: Workspace;
  it('clones, shows drift, imports, refuses bad input, destroys', async () => {
    ({ sim, ws } = await start('none', 21));
    vars(ws);
    await apply(ws);
    const state = await ws.state();
    const source = String(resourceValues(state, 'ovirt_vm.source')!.id);
    const sourceDisks = disksOf(sim, source);
    for (const name of ['ovirt_vm.from_snapshot', 'ovirt_vm.from_vm']) {
      const vm = resourceValues(state, name)!;
      const copies = disksOf(sim, String(vm.id));
      // Copies of the source's disk, not the disk itself, and the configured settings over the source's.
      expect(copies).toHaveLength(sourceDisks.length);
      expect(copies.filter((d) => sourceDisks.includes(d))).toEqual([]);
      expect([vm.status, vm.memory, Number(sim.control.get('vms', String(vm.id))!.data.memory)]).toEqual([
        'down',
        2 * GiB,
        2 * GiB,
      ]);
    }
    expect(sim.control.get('vms', String(resourceValues(state, 'ovirt_vm.from_vm')!.id))!.data.description).toBe(
      'a clone',
    );
    await expectNoChanges(ws);

    // Drift on a clone is an update in place, never a new clone.
    const fromVm = String(resourceValues(state, 'ovirt_vm.from_vm')!.id);
    sim.control.mutate('vms', fromVm, { memory: 3 * GiB });
    const drift = await plan(ws);
    expect(drift.stdout).toContain('ovirt_vm.from_vm will be updated in-place');
    expect(drift.stdout).not.toContain('must be replaced');
    await apply(ws);
    expect(Number(sim.control.get('vms', fromVm)!.data.memory)).toBe(2 * GiB);

    // Import: the source is not visible on the engine, so it is taken from the configuration (no replacement).
    expectOk(await ws.terraform('state', 'rm', 'ovirt_vm.from_vm'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_vm.from_vm', fromVm));
    const imported = await plan(ws);
    expect(imported.stdout).not.toContain('must be replaced');
    await apply(ws);
    await expectNoChanges(ws);
    expect(vmNamed(sim, 'from-vm').map((v) => v.id)).toEqual([fromVm]);

    // A template together with a source: refused at plan time on template_id.
    vars(ws, { withTemplate: true });
    const conflict = await ws.terraform('plan', '-no-color');
    expect(conflict.code).toBe(1);
    expect(flat(conflict.stderr)).toContain('template_id cannot be set together with source_vm_id');

    // The engine refuses to clone a running VM: its text on source_vm_id, and no VM made.
    sim.control.mutate('vms', source, { status: 'up' });
    vars(ws, { extra: true });
    const running = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(running.code).toBe(1);
    expect(flat(running.stderr)).toContain('Cannot clone VM. VM is running.');
    expect(running.stderr).toMatch(/with ovirt_vm\.extra\[0\],[\s\S]*source_vm_id/);
    expect(vmNamed(sim, 'extra-clone')).toEqual([]);
    sim.control.mutate('vms', source, { status: 'down' });

    vars(ws);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(
      sim.control.list('vms').filter((v) => ['clone-source', 'from-snapshot', 'from-vm'].includes(String(v.data.name))),
    ).toEqual([]);
  }, 600_000);

  it('Ctrl-C while a clone is copied: the next apply adopts it and converges', async () => {
    ({ sim, ws } = await start('realistic', 22));
    vars(ws);
    const copying = () => vmNamed(sim, 'from-vm').some((v) => v.data.status === 'image_locked');
    expect(await interruptWhen(ws, copying)).toEqual({ code: 1, sawIt: true });
    await apply(ws);
    await expectNoChanges(ws);
    expect(vmNamed(sim, 'from-vm')).toHaveLength(1);
    expect(Number(nth(vmNamed(sim, 'from-vm'), 0).data.memory)).toBe(2 * GiB);
    expectOk(await ws.run(['destroy', '-auto-approve', '-no-color'], { timeoutMs: 300_000 }));
    expect(sim.control.list('vms').filter((v) => String(v.data.name).startsWith('from-'))).toEqual([]);
  }, 600_000);
});

/**
 * `ovirt_vm_disks_resize` with the real terraform against the simulator: apply grows the VM's disk,
 * an empty plan; a disk attached outside Terraform is drift and grows on the next apply; a larger
 * size grows all, a smaller one shrinks nothing; a locked disk is waited for; import by VM id (a
 * bad id refused); destroy leaves the disks as they are.
 */
import { SEED_IDS } from '../../src/engine-sim';
import { expectOk, resourceValues } from '../support/terraform';
import { flat, reimportByVmId, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

const GiB = 1024 ** 3;

describe('ovirt_vm_disks_resize end to end (real terraform, simulator)', () => {
  const start = useDay2Env('disks-resize');

  it('grows every disk to the size, takes drift, never shrinks, waits out a lock, imports', async () => {
    const { sim, ws, login } = await start('none', 53);
    const client = await login();
    const size = (bytes: number) => ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ size: bytes }) });
    /** Provisioned size of each disk attached to the VM, by disk id, as the simulator holds them. */
    const sizes = (vm: string) =>
      Object.fromEntries(
        sim.control
          .list('diskattachments')
          .filter((att) => att.parent === vm)
          .map((att) => [att.id, Number(sim.control.get('disks', att.id)!.data.provisioned_size)]),
      );
    const values = async () => resourceValues(await ws.state(), 'ovirt_vm_disks_resize.app')!;

    size(20 * GiB);
    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    const [first] = Object.keys(sizes(vm));
    expect(sizes(vm)).toEqual({ [first!]: 20 * GiB });
    expect(await values()).toMatchObject({ id: vm, vm_id: vm, size: 20 * GiB, disk_sizes: { [first!]: 20 * GiB } });
    await expectNoChanges(ws);

    // A disk attached outside Terraform is below the size: drift, grown by the next apply.
    const attached = await client.post(
      `/vms/${vm}/diskattachments`,
      `<disk_attachment><interface>virtio_scsi</interface><active>true</active><disk><alias>late</alias><format>cow</format><provisioned_size>${GiB}</provisioned_size><storage_domains><storage_domain><name>data-nfs</name></storage_domain></storage_domains></disk></disk_attachment>`,
    );
    expect(attached.status).toBe(201);
    const late = String(attached.doc.disk_attachment['@id']);
    const drift = await plan(ws);
    expect(drift.code).toBe(2);
    expect(flat(drift.stdout)).toContain(`~ size = ${GiB} -> ${20 * GiB}`);
    await apply(ws);
    expect(sizes(vm)).toEqual({ [first!]: 20 * GiB, [late]: 20 * GiB });
    await expectNoChanges(ws);

    // A larger size grows every disk; a smaller one shrinks nothing.
    size(24 * GiB);
    await apply(ws);
    expect(sizes(vm)).toEqual({ [first!]: 24 * GiB, [late]: 24 * GiB });
    size(18 * GiB);
    await apply(ws);
    expect(sizes(vm)).toEqual({ [first!]: 24 * GiB, [late]: 24 * GiB });
    expect((await values()).size).toBe(18 * GiB);
    await expectNoChanges(ws);

    // A locked disk is waited for, not reported: unlocked only after the engine refused the grow twice.
    size(28 * GiB);
    sim.control.lock(late);
    sim.control.resetCounters();
    const grows = () =>
      Object.entries(sim.control.counters())
        .filter(([route]) => route.startsWith('PUT ') && route.includes('diskattachments'))
        .reduce((sum, [, count]) => sum + count, 0);
    const running = apply(ws);
    try {
      for (let i = 0; i < 1200 && grows() < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(grows()).toBeGreaterThanOrEqual(3);
      expect(sizes(vm)[late]).toBe(24 * GiB);
    } finally {
      sim.control.unlock(late);
    }
    await running;
    expect(sizes(vm)).toEqual({ [first!]: 28 * GiB, [late]: 28 * GiB });

    // Import by VM id records the smallest disk's size.
    await reimportByVmId(ws, 'ovirt_vm_disks_resize.app', vm);
    expect(await values()).toMatchObject({ vm_id: vm, size: 28 * GiB });
    await expectNoChanges(ws);

    // Destroying the resource leaves the disks as they are.
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color', '-target=ovirt_vm_disks_resize.app'));
    expect(sizes(vm)).toEqual({ [first!]: 28 * GiB, [late]: 28 * GiB });
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
    expect(sim.control.get('disks', SEED_IDS.rhcosDisk)!.data.provisioned_size).toBe(16 * GiB);
  }, 600_000);
});

/**
 * `ovirt_disk_attachments` (all of a VM's attachments), `data "ovirt_disk_attachments"` and
 * `data "ovirt_cluster_hosts"` end to end with the real terraform against the simulator: attach
 * (listed alike by the data source), an empty plan, an attachment added outside
 * Terraform shown as drift and detached (or its disk deleted with `remove_unmanaged`), in-place
 * updates, removal, import by VM id, the engine's refusal on `attachment` with nothing half-done, destroy.
 */
import type { EngineSim } from '../../src/engine-sim';
import { SEED_IDS } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { SimClient } from '../engine-sim/sim-client';
import { flat, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

interface Vars {
  withB?: boolean;
  bInterface?: string;
  removeUnmanaged?: boolean;
  foreignDisk?: string;
}

function vars(ws: Workspace, values: Vars = {}): void {
  ws.writeFiles({
    'terraform.tfvars.json': JSON.stringify({
      with_b: values.withB ?? true,
      b_interface: values.bInterface ?? 'virtio',
      remove_unmanaged: values.removeUnmanaged ?? false,
      foreign_disk_id: values.foreignDisk ?? '',
    }),
  });
}

describe('ovirt_disk_attachments end to end (real terraform, simulator)', () => {
  const start = useDay2Env('disk-attachments');
  let sim: EngineSim;
  let ws: Workspace;
  /** The VM's attachments in the simulator: disk id to interface (bootable ones marked with a `*`). */
  const attachments = (vm: string) =>
    Object.fromEntries(
      sim.control
        .list('diskattachments')
        .filter((a) => a.parent === vm)
        .map((a) => [a.id, `${String(a.data.interface)}${a.data.bootable === true ? '*' : ''}`]),
    );

  /** Attaches a new disk to `vm` directly in the simulator (outside Terraform); returns its id. */
  async function attachOutside(vm: string, alias: string): Promise<string> {
    const client = await new SimClient(sim).login();
    try {
      const answer = await client.post(
        `/vms/${vm}/diskattachments`,
        `<disk_attachment><interface>virtio</interface><active>true</active><disk><alias>${alias}</alias><provisioned_size>1073741824</provisioned_size><format>cow</format><storage_domains><storage_domain id="${SEED_IDS.nfsDomain}"/></storage_domains></disk></disk_attachment>`,
      );
      if (answer.status !== 201) throw new Error(`attach: ${answer.status} ${answer.text}`);
      return answer.doc.disk_attachment['@id'];
    } finally {
      await client.close();
    }
  }

  it('owns all attachments: drift, updates, import, refusals, destroy', async () => {
    ({ sim, ws } = await start('none', 31));
    vars(ws);
    await apply(ws);
    const state = await ws.state();
    const vm = String(resourceValues(state, 'ovirt_vm.app')!.id);
    const diskA = String(resourceValues(state, 'ovirt_disk.a')!.id);
    const diskB = String(resourceValues(state, 'ovirt_disk.b')!.id);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*', [diskB]: 'virtio' });
    expect(resourceValues(state, 'ovirt_disk_attachments.all')!.id).toBe(vm);
    // data "ovirt_disk_attachments" lists the same, sorted by disk id.
    expect(JSON.parse(expectOk(await ws.terraform('output', '-json', 'attachments')).stdout)).toEqual(
      [`${diskA} virtio_scsi true true`, `${diskB} virtio false true`].sort(),
    );
    const hosts = sim.control.list('hosts').filter((h) => (h.data.cluster as { id?: string }).id === SEED_IDS.cluster);
    expect(JSON.parse(expectOk(await ws.terraform('output', '-json', 'host_ids')).stdout)).toEqual(
      expect.arrayContaining(hosts.map((h) => h.id)),
    );
    await expectNoChanges(ws);

    // An attachment added outside Terraform is drift: planned away, detached, its disk kept.
    const outside = await attachOutside(vm, 'outside');
    expect((await plan(ws)).stdout).toContain('ovirt_disk_attachments.all will be updated in-place');
    await apply(ws);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*', [diskB]: 'virtio' });
    expect(sim.control.get('disks', outside)).toBeDefined();
    // With remove_unmanaged its disk is deleted too.
    const outside2 = await attachOutside(vm, 'outside-2');
    vars(ws, { removeUnmanaged: true });
    await apply(ws);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*', [diskB]: 'virtio' });
    expect(sim.control.get('disks', outside2)).toBeUndefined();

    // In place: another interface; then one attachment fewer (detached, the disk stays).
    vars(ws, { bInterface: 'sata' });
    const change = await plan(ws);
    expect(change.stdout).toContain('ovirt_disk_attachments.all will be updated in-place');
    await apply(ws);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*', [diskB]: 'sata' });
    vars(ws, { withB: false });
    await apply(ws);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*' });
    expect(sim.control.get('disks', diskB)).toBeDefined();
    await expectNoChanges(ws);

    // Import by VM id.
    expectOk(await ws.terraform('state', 'rm', 'ovirt_disk_attachments.all'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_disk_attachments.all', vm));
    await expectNoChanges(ws);

    // A disk attached to another VM: the engine's text on `attachment`, the other attachments untouched.
    const client = await new SimClient(sim).login();
    const other = await client.createVm('attachments-other').finally(() => client.close());
    const foreign = sim.control.list('diskattachments').find((x) => x.parent === other)!.id;
    vars(ws, { withB: false, foreignDisk: foreign });
    const bad = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(bad.code).toBe(1);
    expect(flat(bad.stderr)).toContain(
      'Cannot attach Virtual Disk. The disk is already attached to VM attachments-other.',
    );
    expect(bad.stderr).toMatch(/with ovirt_disk_attachments\.all,[\s\S]*attachment/);
    expect(attachments(vm)).toEqual({ [diskA]: 'virtio_scsi*' });

    vars(ws);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
  }, 600_000);
});

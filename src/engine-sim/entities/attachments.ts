/** Disk attachments of VMs (attachment id == disk id) and of templates (read-only). */
import { EngineFault, incomplete, opFailed } from '../errors';
import { attachedVm, checkDiskConfig, createDisk, diskSpecFrom, updateDisk } from './disks';
import { Tree, bool, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone, flag, many, one } from '../engine/handler';
import { ref } from '../store/store';

const INTERFACES = ['ide', 'virtio_scsi', 'virtio', 'spapr_vscsi', 'sata'];

function attachmentFields(body: Tree, base: Tree): Tree {
  const out = { ...base };
  const iface = str(body, 'interface');
  if (iface !== undefined) {
    if (!INTERFACES.includes(iface))
      throw new EngineFault(
        400,
        'Invalid Enum value',
        `${iface} is not a member of DiskInterface. Possible values are: ${INTERFACES.join(', ')}`,
      );
    out.interface = iface;
  }
  for (const k of ['bootable', 'active', 'pass_discard', 'read_only', 'uses_scsi_reservation', 'logical_name']) {
    const v = str(body, k);
    if (v !== undefined) out[k] = k === 'logical_name' ? v : (bool(body, k) as boolean);
  }
  return out;
}

function attach(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  if (str(vm.data, 'status') === 'image_locked') {
    throw opFailed(409, 'Cannot attach Virtual Disk because the VM is in Image Locked status.');
  }
  c.sim.assertUnlocked(vm, 'attach');
  if (!str(c.body, 'interface')) throw incomplete('DiskAttachment', 'interface');
  const d = sub(c.body, 'disk');
  if (!d) throw incomplete('DiskAttachment', 'disk');
  let disk = str(d, 'id') ? c.sim.must('disks', str(d, 'id') as string) : undefined;
  if (disk) {
    const other = attachedVm(c.sim, disk.id);
    if (other && !bool(disk.data, 'shareable')) {
      throw opFailed(409, `Cannot attach Virtual Disk. The disk is already attached to VM ${str(other.data, 'name')}.`);
    }
  } else {
    const spec = diskSpecFrom(c.sim, d);
    checkDiskConfig(c.sim, spec, 'add', 'Virtual Disk');
    const job = c.sim.startJob(`Adding Disk ${spec.alias}`, c.correlationId);
    disk = createDisk(c.sim, spec, () => job.finish());
  }
  const data = attachmentFields(c.body, {
    active: true,
    bootable: false,
    interface: 'virtio_scsi',
    pass_discard: false,
    read_only: false,
    uses_scsi_reservation: false,
    disk: ref('disks', disk.id),
    vm: ref('vms', vm.id),
  });
  const att = c.sim.store.put({ kind: 'diskattachments', id: disk.id, parent: vm.id, data, meta: { owner: 'vms' } });
  c.sim.onChange();
  return { ...one(att, 201), location: `${vm.id}/diskattachments/${disk.id}` };
}

function update(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const att = c.sim.must('diskattachments', c.params.id, vm.id);
  c.sim.assertUnlocked(vm, 'edit');
  const d = sub(c.body, 'disk');
  if (d) updateDisk(c.sim, c.sim.must('disks', att.id), d, c.correlationId);
  att.data = attachmentFields(c.body, att.data);
  c.sim.onChange();
  return one(att);
}

function detach(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  c.sim.must('diskattachments', c.params.id, vm.id);
  const disk = c.sim.store.get('disks', c.params.id);
  if (disk && str(disk.data, 'status') === 'locked')
    throw opFailed(409, 'Cannot detach Virtual Disk: Disk is locked. Please try again later.');
  c.sim.store.remove('diskattachments', c.params.id, vm.id);
  if (!flag(c, 'detach_only', true)) c.sim.store.remove('disks', c.params.id);
  c.sim.onChange();
  return actionDone();
}

/** Routes of `/vms/{vm}/diskattachments` and `/templates/{t}/diskattachments`. */
export const attachmentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'vms/{vm}/diskattachments',
    handler: (c) => many('diskattachments', c.sim.store.list('diskattachments', c.sim.must('vms', c.params.vm).id)),
  },
  {
    method: 'POST',
    pattern: 'vms/{vm}/diskattachments',
    root: 'disk_attachment',
    service: 'disk_attachments/methods/add',
    handler: attach,
  },
  {
    method: 'GET',
    pattern: 'vms/{vm}/diskattachments/{id}',
    handler: (c) => one(c.sim.must('diskattachments', c.params.id, c.params.vm)),
  },
  {
    method: 'PUT',
    pattern: 'vms/{vm}/diskattachments/{id}',
    root: 'disk_attachment',
    service: 'disk_attachment/methods/update',
    handler: update,
  },
  { method: 'DELETE', pattern: 'vms/{vm}/diskattachments/{id}', handler: detach },
  {
    method: 'GET',
    pattern: 'templates/{t}/diskattachments',
    handler: (c) =>
      many('diskattachments', c.sim.store.list('diskattachments', c.sim.must('templates', c.params.t).id)),
  },
  {
    method: 'GET',
    pattern: 'templates/{t}/diskattachments/{id}',
    handler: (c) => one(c.sim.must('diskattachments', c.params.id, c.params.t)),
  },
];

/** Disk attachments of VMs (attachment id == disk id) and of templates (read-only). */
import { EngineFault, incomplete, opFailed } from '../errors';
import { attachedVm, checkDiskConfig, createDisk, diskSpecFrom, updateDisk } from './disks';
import { Tree, bool, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, flag, many, one } from '../engine/handler';
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
    const value = str(body, k);
    if (value !== undefined) out[k] = k === 'logical_name' ? value : (bool(body, k) as boolean);
  }
  return out;
}

export function attachDisk(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  if (str(vm.data, 'status') === 'image_locked') {
    throw opFailed(409, 'Cannot attach Virtual Disk because the VM is in Image Locked status.');
  }
  ctx.sim.assertUnlocked(vm, 'attach');
  if (!str(ctx.body, 'interface')) throw incomplete('DiskAttachment', 'interface');
  const tree = sub(ctx.body, 'disk');
  if (!tree) throw incomplete('DiskAttachment', 'disk');
  let disk = str(tree, 'id') ? ctx.sim.must('disks', str(tree, 'id') as string) : undefined;
  if (disk) {
    const other = attachedVm(ctx.sim, disk.id);
    if (other && !bool(disk.data, 'shareable')) {
      throw opFailed(409, `Cannot attach Virtual Disk. The disk is already attached to VM ${str(other.data, 'name')}.`);
    }
  } else {
    const spec = diskSpecFrom(ctx.sim, tree);
    checkDiskConfig(ctx.sim, spec, 'add', 'Virtual Disk');
    const job = ctx.sim.startJob(`Adding Disk ${spec.alias}`, ctx.correlationId);
    disk = createDisk(ctx.sim, spec, () => job.finish());
  }
  const data = attachmentFields(ctx.body, {
    active: true,
    bootable: false,
    interface: 'virtio_scsi',
    pass_discard: false,
    read_only: false,
    uses_scsi_reservation: false,
    disk: ref('disks', disk.id),
    vm: ref('vms', vm.id),
  });
  const att = ctx.sim.store.put({ kind: 'diskattachments', id: disk.id, parent: vm.id, data, meta: { owner: 'vms' } });
  ctx.sim.onChange();
  return { ...one(att, 201), location: `${vm.id}/diskattachments/${disk.id}` };
}

export function updateAttachment(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const att = ctx.sim.must('diskattachments', ctx.params.id, vm.id);
  ctx.sim.assertUnlocked(vm, 'edit');
  const tree = sub(ctx.body, 'disk');
  if (tree) updateDisk(ctx.sim, ctx.sim.must('disks', att.id), tree, ctx.correlationId);
  att.data = attachmentFields(ctx.body, att.data);
  ctx.sim.onChange();
  return one(att);
}

export function detachDisk(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  ctx.sim.must('diskattachments', ctx.params.id, vm.id);
  const disk = ctx.sim.store.get('disks', ctx.params.id);
  if (disk && str(disk.data, 'status') === 'locked')
    throw opFailed(409, 'Cannot detach Virtual Disk: Disk is locked. Please try again later.');
  ctx.sim.store.remove('diskattachments', ctx.params.id, vm.id);
  if (!flag(ctx, 'detach_only', true)) ctx.sim.store.remove('disks', ctx.params.id);
  ctx.sim.onChange();
  return actionDone();
}

/** `GET /vms/{vm}/diskattachments`. */
export function listVmsDiskattachments(ctx: Ctx): Reply {
  return many('diskattachments', ctx.sim.store.list('diskattachments', ctx.sim.must('vms', ctx.params.vm).id));
}

/** `GET /vms/{vm}/diskattachments/{id}`. */
export function getVmsDiskattachments(ctx: Ctx): Reply {
  return one(ctx.sim.must('diskattachments', ctx.params.id, ctx.params.vm));
}

/** `GET /templates/{t}/diskattachments`. */
export function listTemplatesDiskattachments(ctx: Ctx): Reply {
  return many('diskattachments', ctx.sim.store.list('diskattachments', ctx.sim.must('templates', ctx.params.t).id));
}

/** `GET /templates/{t}/diskattachments/{id}`. */
export function getTemplatesDiskattachments(ctx: Ctx): Reply {
  return one(ctx.sim.must('diskattachments', ctx.params.id, ctx.params.t));
}

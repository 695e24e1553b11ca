/**
 * `ovirt_disk_attachment`: attaches a disk to a VM. Interface, bootable, active and
 * pass_discard are read back (drift) and updated in place.
 */
import type { DiskAttachment, DiskAttachmentId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, useStateForUnknown, schema, oneOf, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, parentIdAttribute, settle, bool, splitId, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

/** The buses a disk can be attached on. */
export const DISK_INTERFACES = ['virtio', 'virtio_scsi', 'sata', 'ide', 'spapr_vscsi'] as const;

const HINTS: AttributeHints = [
  [/interface/i, 'interface'],
  [/bootable/i, 'bootable'],
  [/Image Locked|VM is locked|VM/i, 'vm_id'],
  [/disk/i, 'disk_id'],
];

const attachmentSchema = schema({
  attributes: {
    id: idAttribute('`<vm_id>/<disk_id>` (also the import id).'),
    vm_id: parentIdAttribute('The VM the disk is attached to. Changing it replaces the attachment.'),
    disk_id: parentIdAttribute('The disk to attach. Changing it replaces the attachment.'),
    interface: attr.string({
      required: true,
      description:
        'Bus the guest sees the disk on: `virtio`, `virtio_scsi`, `sata`, `ide` or `spapr_vscsi`. Updated in place (the engine may require the VM to be down).',
      validators: [oneOf(...DISK_INTERFACES)],
    }),
    bootable: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description: 'Boot from this disk. Updated in place.',
    }),
    active: attr.bool({
      optional: true,
      computed: true,
      default: true,
      description: 'Plug the disk into the VM (false: attached but unplugged). Updated in place.',
    }),
    pass_discard: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description: "Pass the guest's discard (TRIM) requests to storage. Updated in place.",
    }),
    read_only: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description: 'Attach the disk read-only. Updated in place.',
    }),
    logical_name: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Device name inside the guest (e.g. `/dev/vda`) when the guest agent reports it.',
    }),
  },
});

type AttachmentState = StateOf<typeof attachmentSchema>;

function fromEngine(attachment: DiskAttachment, vmId: string, diskId: string): AttachmentState {
  return {
    id: `${vmId}/${diskId}`,
    vm_id: vmId,
    disk_id: diskId,
    interface: attachment.interface ?? '',
    bootable: attachment.bootable ?? false,
    active: attachment.active ?? false,
    pass_discard: attachment.pass_discard ?? false,
    read_only: attachment.read_only ?? false,
    logical_name: attachment.logical_name ?? '',
  };
}

/** What an attachment body is made of: `ovirt_disk_attachment`'s plan, or one block of `ovirt_disk_attachments`. */
interface AttachmentFlags {
  interface: string;
  bootable: unknown;
  active: unknown;
  pass_discard: unknown;
  read_only: unknown;
}

/** The attachment body from the plan (what both create and update send; `ovirt_disk_attachments` too). */
export function attachmentBody(plan: AttachmentFlags) {
  return {
    interface: plan.interface,
    bootable: bool(plan.bootable),
    active: bool(plan.active),
    pass_discard: bool(plan.pass_discard),
    read_only: bool(plan.read_only),
  };
}

/** The `ovirt_disk_attachment` resource. */
export const diskAttachmentResource = defineResource({
  typeName: 'ovirt_disk_attachment',
  description:
    'Attaches a disk to a VM. Waits out disks and VMs that are still locked (e.g. a VM whose template disks are being copied).',
  schema: attachmentSchema,
  timeouts: { create: '10m', read: '5m', update: '10m', delete: '10m' },

  async create({ plan, client, diags, signal }) {
    const vm = asId<VmId>(plan.vm_id);
    const disk = plan.disk_id;
    const ctx = { action: `attaching disk ${disk} to VM ${vm}`, hints: HINTS, signal, op: 'create' as const };
    const attachment = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () =>
        client.engine.diskAttachments.create(vm, { ...attachmentBody(plan), disk: { id: disk } }, reqOpts(signal)),
      ),
    );
    return attachment ? settle(plan, fromEngine(attachment, vm, disk)) : null;
  },

  async read({ state, client, diags, signal }) {
    const attachment = await readObject(
      diags,
      { action: `reading the attachment of disk ${state.disk_id} to VM ${state.vm_id}`, signal, op: 'read' },
      async () =>
        client.refreshReads.attachment(state.vm_id, state.disk_id) ??
        client.engine.diskAttachments.get(
          asId<VmId>(state.vm_id),
          asId<DiskAttachmentId>(state.disk_id),
          reqOpts(signal),
        ),
    );
    return attachment === undefined ? state : attachment && fromEngine(attachment, state.vm_id, state.disk_id);
  },

  async update({ plan, state, client, diags, signal }) {
    const ctx = {
      action: `updating the attachment of disk ${state.disk_id} to VM ${state.vm_id}`,
      hints: HINTS,
      signal,
      op: 'update' as const,
    };
    const attachment = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () =>
        client.engine.diskAttachments.update(
          asId<VmId>(state.vm_id),
          asId<DiskAttachmentId>(state.disk_id),
          attachmentBody(plan),
          reqOpts(signal),
        ),
      ),
    );
    return attachment ? settle(plan, fromEngine(attachment, state.vm_id, state.disk_id)) : state;
  },

  async delete({ state, client, diags, signal }) {
    const ctx = { action: `detaching disk ${state.disk_id} from VM ${state.vm_id}`, signal, op: 'delete' as const };
    await removeObject(diags, ctx, () =>
      untilUnlocked(signal, () =>
        client.engine.diskAttachments.remove(asId<VmId>(state.vm_id), asId<DiskAttachmentId>(state.disk_id), {
          signal,
          detachOnly: true,
        }),
      ),
    );
  },

  async importState({ id, diags }) {
    const parts = splitId(id, 2);
    if (!parts || !parts.every((p) => UUID_PATTERN.test(p))) return badImportId(diags, id, '`<vm_id>/<disk_id>`');
    return { id, vm_id: parts[0], disk_id: parts[1] };
  },
});

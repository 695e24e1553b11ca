/**
 * `ovirt_vm_disks_resize`: every disk attached to one VM is at least `size` bytes. Create and update
 * grow the smaller disks one by one (waiting out locks, then until each is `ok` again); nothing
 * ever shrinks. A disk below `size` (attached later, or after an import) shows as drift of `size`.
 */
import type { DiskAttachment, DiskId, DiskAttachmentId, OvirtClient, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, between, schema, t, type Diagnostics, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, num, parentIdAttribute, UUID_PATTERN } from '../common';
import { attempt, readObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const MIB = 1024 * 1024;

const HINTS: AttributeHints = [
  [/size/i, 'size'],
  [/VM|disk/i, 'vm_id'],
];

const resizeSchema = schema({
  attributes: {
    id: idAttribute('The VM id (also the import id).'),
    vm_id: parentIdAttribute('The VM whose disks are grown. Changing it replaces the resource.'),
    size: attr.number({
      required: true,
      description:
        'Minimum virtual size in bytes (at least 1 MiB) of every image disk attached to the VM. Smaller disks grow to it; larger ones are left as they are (the engine cannot shrink disks, so lowering `size` changes nothing on the engine). A refresh that finds a disk below `size` (e.g. one attached since) records the smallest disk size, so the next plan grows it.',
      validators: [between(MIB, 2 ** 53)],
    }),
    disk_sizes: attr.map(t.number, {
      computed: true,
      description: 'Virtual size in bytes of each image disk attached to the VM, by disk id, as the engine reports it.',
    }),
  },
});

type ResizeState = StateOf<typeof resizeSchema>;

/** The image disks among a VM's attachments (direct LUNs have no size the engine can change). */
function imageDisks(attachments: DiskAttachment[]): { attachment: string; disk: string; size: number }[] {
  return attachments
    .filter((att) => att.disk?.id && (att.disk.storage_type ?? 'image') === 'image')
    .map((att) => ({
      attachment: att.id ?? att.disk!.id!,
      disk: att.disk!.id!,
      size: att.disk!.provisioned_size ?? 0,
    }));
}

/** The state for the VM's disks; `wanted` is the size the state asked for (null after an import). */
function stateOf(vm: string, attachments: DiskAttachment[], wanted: number | null): ResizeState {
  const disks = imageDisks(attachments);
  const smallest = disks.length ? Math.min(...disks.map((disk) => disk.size)) : undefined;
  const size = wanted === null || (smallest !== undefined && smallest < wanted) ? (smallest ?? 0) : wanted;
  return { id: vm, vm_id: vm, size, disk_sizes: Object.fromEntries(disks.map((disk) => [disk.disk, disk.size])) };
}

/** Grows each image disk of `vm` below `size` to it, one at a time, and returns the attachments after. */
async function growAll(engine: OvirtClient, vm: VmId, size: number, signal: AbortSignal): Promise<DiskAttachment[]> {
  for (const disk of imageDisks(await engine.vms.attachedDisks(vm, reqOpts(signal)))) {
    if (disk.size >= size) continue;
    await untilUnlocked(signal, () =>
      engine.diskAttachments.grow(vm, asId<DiskAttachmentId>(disk.attachment), size, reqOpts(signal)),
    );
    await engine.disks.waitForOk(asId<DiskId>(disk.disk), waitOpts(signal));
  }
  return engine.vms.attachedDisks(vm, reqOpts(signal));
}

/** Create and update: grow to the planned size and record what the engine then reports. */
async function apply(
  client: { engine: OvirtClient },
  plan: { vm_id: string; size: unknown },
  diags: Diagnostics,
  signal: AbortSignal,
  op: 'create' | 'update',
): Promise<ResizeState | null> {
  const vm = asId<VmId>(plan.vm_id);
  const size = num(plan.size) ?? 0;
  const ctx = { action: `growing the disks of VM ${vm} to ${size} bytes`, hints: HINTS, signal, op };
  const attachments = await attempt(diags, ctx, () => growAll(client.engine, vm, size, signal));
  // The engine never shrinks: every disk is now at least `size`, so the state keeps the planned size.
  return attachments ? stateOf(vm, attachments, size) : null;
}

/** The `ovirt_vm_disks_resize` resource. */
export const vmDisksResizeResource = defineResource({
  typeName: 'ovirt_vm_disks_resize',
  description:
    'Grows every image disk attached to one VM to at least `size` bytes, waiting while a disk is locked and until each grown disk is `ok` again. Disks are never shrunk; destroying the resource leaves the disks as they are. Import by VM id.',
  schema: resizeSchema,
  timeouts: { create: '20m', read: '5m', update: '20m' },

  create: ({ plan, client, diags, signal }) => apply(client, plan, diags, signal, 'create'),

  async update({ plan, state, client, diags, signal }) {
    return (await apply(client, plan, diags, signal, 'update')) ?? state;
  },

  async read({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    const found = await readObject(diags, { action: `reading the disks of VM ${vm}`, signal, op: 'read' }, () =>
      client.engine.vms.attachedDisks(vm, reqOpts(signal)),
    );
    return found === undefined ? state : found && stateOf(vm, found, num(state.size) ?? null);
  },

  async delete() {
    // Disks cannot shrink: forgetting the resource is all a destroy can do.
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    // No size yet: the read that follows records the smallest disk's.
    return { id, vm_id: id };
  },
});

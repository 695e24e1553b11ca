/**
 * `ovirt_disk_attachments`: every disk attachment of one VM. An attachment the configuration does
 * not list (one added outside Terraform, or a disk the VM got from its template) is drift: the plan
 * shows it going and the apply detaches it (and deletes its disk with `remove_unmanaged`). Listed
 * attachments are created, or updated in place when their flags or interface change.
 */
import type { DiskAttachment, DiskAttachmentId, OvirtClient, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, block, oneOf, path, schema, type ApplyPlanOf, type Diagnostics, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, parentIdAttribute, bool, UUID_PATTERN } from '../common';
import { convergeOrList, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';
import { DISK_INTERFACES, attachmentBody } from './disk-attachment';

const HINTS: AttributeHints = [
  [/Image Locked|VM is locked|VM is running|VM/i, 'vm_id'],
  [/disk|interface|bootable/i, 'attachment'],
];

const attachmentsSchema = schema({
  attributes: {
    id: idAttribute('The VM id (also the import id).'),
    vm_id: parentIdAttribute('The VM whose attachments this resource owns. Changing it replaces the resource.'),
    remove_unmanaged: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        'Delete the disks of attachments that no `attachment` block lists (e.g. the disks the VM got from its template) instead of only detaching them.',
    }),
  },
  blocks: {
    attachment: block.set(
      {
        attributes: {
          disk_id: attr.string({ required: true, description: 'The disk to attach.', validators: [isUuid] }),
          interface: attr.string({
            required: true,
            description: `Bus the guest sees the disk on: ${DISK_INTERFACES.map((i) => `\`${i}\``).join(', ')}. Updated in place (the engine may require the VM to be down).`,
            validators: [oneOf(...DISK_INTERFACES)],
          }),
          bootable: attr.bool({ optional: true, computed: true, default: false, description: 'Boot from this disk.' }),
          active: attr.bool({
            optional: true,
            computed: true,
            default: true,
            description: 'Plug the disk into the VM (false: attached but unplugged).',
          }),
          pass_discard: attr.bool({
            optional: true,
            computed: true,
            default: false,
            description: "Pass the guest's discard (TRIM) requests to storage.",
          }),
          read_only: attr.bool({
            optional: true,
            computed: true,
            default: false,
            description: 'Attach the disk read-only.',
          }),
        },
      },
      {
        description:
          "One disk attached to the VM. Changing a block's flags or interface updates the attachment in place.",
      },
    ),
  },
});

type AttachmentsState = StateOf<typeof attachmentsSchema>;
type Row = AttachmentsState['attachment'][number];

const diskOf = (a: DiskAttachment): string => a.disk?.id ?? a.id ?? '';

function rowOf(att: DiskAttachment): Row {
  return {
    disk_id: diskOf(att),
    interface: att.interface ?? '',
    bootable: att.bootable ?? false,
    active: att.active ?? false,
    pass_discard: att.pass_discard ?? false,
    read_only: att.read_only ?? false,
  };
}

function stateOf(vmId: string, removeUnmanaged: boolean, list: DiskAttachment[]): AttachmentsState {
  const attachment = list.map(rowOf).sort((a, b) => a.disk_id.localeCompare(b.disk_id));
  return { id: vmId, vm_id: vmId, remove_unmanaged: removeUnmanaged, attachment };
}

const ROW_FIELDS = ['disk_id', 'interface', 'bootable', 'active', 'pass_discard', 'read_only'] as const;
const same = (a: Row, b: Row) => ROW_FIELDS.every((field) => a[field] === b[field]);

/**
 * Makes the VM's attachments those of `want`: detaches (or deletes) the others, updates the ones
 * that differ (clearing bootable flags before setting one, as a VM boots from one disk), attaches
 * the missing ones. Returns the attachments the engine has afterwards.
 */
async function converge(
  api: OvirtClient,
  vm: VmId,
  want: Row[],
  removeUnmanaged: boolean,
  signal: AbortSignal,
): Promise<DiskAttachment[]> {
  const atts = api.diskAttachments;
  const have = new Map((await atts.list(vm, reqOpts(signal))).map((a) => [diskOf(a), rowOf(a)]));
  const wanted = new Set(want.map((w) => w.disk_id));
  for (const disk of have.keys()) {
    if (!wanted.has(disk))
      await untilUnlocked(signal, () =>
        atts.remove(vm, asId<DiskAttachmentId>(disk), { signal, detachOnly: !removeUnmanaged }),
      );
  }
  const changed = want
    .filter((w) => have.has(w.disk_id) && !same(have.get(w.disk_id)!, w))
    .sort((a, b) => Number(a.bootable) - Number(b.bootable));
  for (const w of changed)
    await untilUnlocked(signal, () =>
      atts.update(vm, asId<DiskAttachmentId>(w.disk_id), attachmentBody(w), reqOpts(signal)),
    );
  for (const w of want.filter((x) => !have.has(x.disk_id))) {
    await untilUnlocked(signal, () =>
      atts.create(vm, { ...attachmentBody(w), disk: { id: w.disk_id } }, reqOpts(signal)),
    );
  }
  return atts.list(vm, reqOpts(signal));
}

/** Create and update: converge, and on a failure still record what the engine has (nothing lost). */
async function applyAttachments(
  plan: ApplyPlanOf<typeof attachmentsSchema>,
  client: { engine: OvirtClient },
  diags: Diagnostics,
  signal: AbortSignal,
  op: 'create' | 'update',
) {
  const vm = asId<VmId>(plan.vm_id);
  const ctx = { action: `setting the disk attachments of VM ${vm}`, hints: HINTS, signal, op };
  const removeUnmanaged = bool(plan.remove_unmanaged) ?? false;
  const now = await convergeOrList(
    diags,
    ctx,
    `listing the disk attachments of VM ${vm}`,
    () => converge(client.engine, vm, plan.attachment, removeUnmanaged, signal),
    () => client.engine.diskAttachments.list(vm, reqOpts(signal)),
  );
  return now ? stateOf(vm, removeUnmanaged, now) : null;
}

/** A disk is attached to a VM once: two blocks naming it (with different flags) are refused. */
function checkDuplicates(blocks: unknown, diags: Diagnostics): void {
  const seen = new Set<string>();
  const list: unknown[] = Array.isArray(blocks) ? blocks : [];
  for (const block of list) {
    const diskId = typeof block === 'object' && block !== null && 'disk_id' in block ? block.disk_id : undefined;
    if (typeof diskId !== 'string') continue;
    if (seen.has(diskId)) {
      diags.error(
        'Disk Listed Twice',
        `Disk ${diskId} is in two attachment blocks; a disk is attached to a VM once.`,
        path('attachment'),
      );
    }
    seen.add(diskId);
  }
}

/** The `ovirt_disk_attachments` resource. */
export const diskAttachmentsResource = defineResource({
  typeName: 'ovirt_disk_attachments',
  description:
    'All the disk attachments of one VM. Attachments no `attachment` block lists, including ones added outside Terraform, show as drift and are detached on apply (with `remove_unmanaged`, their disks are deleted). Do not combine with `ovirt_disk_attachment` on the same VM.',
  schema: attachmentsSchema,
  timeouts: { create: '10m', read: '5m', update: '10m', delete: '10m' },

  validate({ config, diags }) {
    checkDuplicates(config.attachment, diags);
  },

  modifyPlan({ config, diags }) {
    // Disk ids from other resources are known only now.
    checkDuplicates(config.attachment, diags);
  },

  async create({ plan, client, diags, signal }) {
    return applyAttachments(plan, client, diags, signal, 'create');
  },

  async read({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    const list = await readObject(
      diags,
      { action: `reading the disk attachments of VM ${vm}`, signal, op: 'read' },
      () => client.engine.diskAttachments.list(vm, reqOpts(signal)),
    );
    return list === undefined ? state : list && stateOf(vm, state.remove_unmanaged ?? false, list);
  },

  async update({ plan, state, client, diags, signal }) {
    return (await applyAttachments(plan, client, diags, signal, 'update')) ?? state;
  },

  async delete({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    // Only the listed attachments: their disks are usually managed elsewhere and stay.
    for (const a of state.attachment) {
      await removeObject(diags, { action: `detaching disk ${a.disk_id} from VM ${vm}`, signal, op: 'delete' }, () =>
        untilUnlocked(signal, () =>
          client.engine.diskAttachments.remove(vm, asId<DiskAttachmentId>(a.disk_id), { signal, detachOnly: true }),
        ),
      );
    }
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    return { id, vm_id: id, remove_unmanaged: false };
  },
});

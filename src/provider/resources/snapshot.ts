/**
 * `ovirt_snapshot`: a snapshot of a VM (with or without its memory, of all or some of its disks).
 * Create waits until the snapshot is `ok`; delete waits until the engine has merged it away. A
 * snapshot cannot be changed, so every argument replaces it. Restoring is `ovirt_snapshot_restore`.
 */
import type { Snapshot, SnapshotId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, lengthBetween, path, schema, t, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { bool, idAttribute, parentIdAttribute, splitId, strList, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

/** Engine texts that point at an attribute. */
export const SNAPSHOT_HINTS: AttributeHints = [
  [/unplugged or unattached|Disk is locked/i, 'disk_ids'],
  [/VM|Snapshot is currently being created/i, 'vm_id'],
];

const snapshotSchema = schema({
  attributes: {
    id: idAttribute('`<vm_id>/<snapshot_id>` (also the import id).'),
    vm_id: parentIdAttribute('The VM to snapshot. Changing it replaces the snapshot.'),
    description: attr.string({
      required: true,
      forceNew: true,
      description: "Description of the snapshot (how the engine's UI names it). Changing it takes a new snapshot.",
    }),
    persist_memory: attr.bool({
      optional: true,
      computed: true,
      forceNew: true,
      description:
        'Save the memory of a running VM with the snapshot (the engine ignores it for a VM that is down; see `memory_saved`). Default false.',
    }),
    disk_ids: attr.list(t.string, {
      optional: true,
      computed: true,
      forceNew: true,
      validators: [lengthBetween(1, 1000)],
      description: "Ids of the VM's disks to include; all of its disks when not set. Changing it takes a new snapshot.",
    }),
    snapshot_id: attr.string({
      computed: true,
      description: 'The engine id of the snapshot.',
    }),
    status: attr.string({
      computed: true,
      description: 'Snapshot status: `ok`, `locked` (being taken or merged) or `in_preview`.',
    }),
    memory_saved: attr.bool({
      computed: true,
      description: "Whether the engine saved the VM's memory with the snapshot.",
    }),
    date: attr.string({
      computed: true,
      description: 'When the snapshot was taken (RFC 3339).',
    }),
  },
});

type SnapshotState = StateOf<typeof snapshotSchema>;

/** The engine id of the snapshot: create and import set snapshot_id; `id` is `<vm_id>/<snapshot_id>`. */
function snapshotIdOf(state: SnapshotState): SnapshotId {
  return asId<SnapshotId>(state.snapshot_id ?? state.id.slice(state.id.indexOf('/') + 1));
}

function fromEngine(
  snapshot: Snapshot,
  vmId: string,
  diskIds: string[],
  prior: { persist_memory?: unknown },
): SnapshotState {
  return {
    id: `${vmId}/${snapshot.id}`,
    vm_id: vmId,
    snapshot_id: snapshot.id,
    description: snapshot.description ?? '',
    // What was asked stays in state: a VM that was down gets no memory, and that is no reason to replace.
    persist_memory: bool(prior.persist_memory) ?? snapshot.persist_memorystate ?? false,
    disk_ids: diskIds,
    status: snapshot.snapshot_status ?? '',
    memory_saved: snapshot.persist_memorystate ?? false,
    date: snapshot.date ? new Date(snapshot.date).toISOString() : '',
  };
}

/** The `ovirt_snapshot` resource. */
export const snapshotResource = defineResource({
  typeName: 'ovirt_snapshot',
  description:
    "A snapshot of a VM, e.g. taken before an upgrade. Create waits until the snapshot is ready; destroy waits until the engine has merged it into the VM's disks. Restoring the VM to it is an explicit `ovirt_snapshot_restore`, never a side effect of drift.",
  schema: snapshotSchema,
  timeouts: { create: '30m', read: '5m', delete: '60m' },

  validate({ config, diags }) {
    const ids = strList(config.disk_ids);
    ids?.forEach((id, index) => {
      if (!UUID_PATTERN.test(id))
        diags.error(
          'Invalid Disk Id',
          `disk_ids[${index}] must be a disk id (a UUID), got ${JSON.stringify(id)}.`,
          path('disk_ids', index),
        );
    });
  },

  async create({ plan, client, diags, signal }) {
    const vmId = asId<VmId>(plan.vm_id);
    const description = plan.description;
    const ctx = {
      action: `taking snapshot "${description}" of VM ${vmId}`,
      hints: SNAPSHOT_HINTS,
      signal,
      op: 'create' as const,
    };
    const api = client.engine.snapshots;
    const made = await attempt(diags, ctx, () =>
      api.create(
        vmId,
        { description, persistMemory: bool(plan.persist_memory), diskIds: strList(plan.disk_ids) },
        reqOpts(signal),
      ),
    );
    if (!made) return null;
    // The snapshot exists from here on: a failed or interrupted wait still records it (tainted).
    const id = asId<SnapshotId>(made.id);
    const ready = await attempt(
      diags,
      { ...ctx, action: `waiting for snapshot "${description}" (${id}) of VM ${vmId}` },
      () => api.waitReady(vmId, id, waitOpts(signal)),
    );
    const disks = await attempt(diags, ctx, () => api.disks(vmId, id, reqOpts(signal)));
    return {
      ...fromEngine(ready ?? made, vmId, disks?.map((d) => d.id) ?? strList(plan.disk_ids) ?? [], plan),
      persist_memory: bool(plan.persist_memory) ?? false,
    };
  },

  async read({ state, client, diags, signal }) {
    const vmId = asId<VmId>(state.vm_id);
    const id = snapshotIdOf(state);
    const ctx = { action: `reading snapshot ${id} of VM ${vmId}`, signal, op: 'read' as const };
    const snapshot = await readObject(diags, ctx, () => client.engine.snapshots.get(vmId, id, reqOpts(signal)));
    if (!snapshot) return snapshot === undefined ? state : null;
    const disks = await readObject(diags, ctx, () => client.engine.snapshots.disks(vmId, id, reqOpts(signal)));
    return fromEngine(snapshot, vmId, disks ? disks.map((d) => d.id) : (strList(state.disk_ids) ?? []), state);
  },

  async delete({ state, client, diags, signal }) {
    const vmId = asId<VmId>(state.vm_id);
    const id = snapshotIdOf(state);
    const ctx = {
      action: `deleting snapshot ${id} of VM ${vmId}`,
      hints: SNAPSHOT_HINTS,
      signal,
      op: 'delete' as const,
    };
    await removeObject(diags, ctx, async () => {
      await untilUnlocked(signal, () => client.engine.snapshots.remove(vmId, id, reqOpts(signal)));
      await client.engine.snapshots.waitGone(vmId, id, waitOpts(signal));
    });
  },

  async importState({ id, diags }) {
    const parts = splitId(id, 2);
    if (!parts || !parts.every((x) => UUID_PATTERN.test(x))) return badImportId(diags, id, '`<vm_id>/<snapshot_id>`');
    return { id, vm_id: parts[0], snapshot_id: parts[1] };
  },
});

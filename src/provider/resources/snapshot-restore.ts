/**
 * `ovirt_snapshot_restore`: restores a VM to one of its snapshots, once, when created (and again
 * whenever `triggers` change, which replaces it). Reading it never restores anything: drift of the
 * VM does not bring a restore about, and destroying it only forgets it.
 */
import type { SnapshotId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { OvirtError } from '../../ovirt/errors';
import { attr, path, schema, t } from '../../tfplugin';
import { defineResource } from '../define';
import { bool, idAttribute, parentIdAttribute, splitId, UUID_PATTERN } from '../common';
import { attempt, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { ProviderError, badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [
  [/Snapshot does not exist|not a snapshot|regular snapshots|performing an operation on a Snapshot/i, 'snapshot_id'],
  [/VM/i, 'vm_id'],
];

const restoreSchema = schema({
  attributes: {
    id: idAttribute('`<vm_id>/<snapshot_id>`.'),
    vm_id: parentIdAttribute(
      'The VM to restore; it must be down (stop it first, e.g. with `ovirt_vm_start` `status = "down"`).',
    ),
    snapshot_id: parentIdAttribute(
      'The snapshot to restore to (the `snapshot_id` of an `ovirt_snapshot` of the same VM). Snapshots taken after it are dropped by the engine.',
    ),
    restore_memory: attr.bool({
      optional: true,
      forceNew: true,
      description: 'Also restore the memory saved with the snapshot, if any.',
    }),
    triggers: attr.map(t.string, {
      optional: true,
      forceNew: true,
      description: 'Arbitrary values; changing any of them restores the VM to the snapshot again.',
    }),
  },
});

/** The `ovirt_snapshot_restore` resource. */
export const snapshotRestoreResource = defineResource({
  typeName: 'ovirt_snapshot_restore',
  description:
    'Restores a VM (which must be down) to a snapshot when this resource is created, and again when `triggers` change. An explicit operation: it never restores because of drift, and destroying it changes nothing in the engine.',
  schema: restoreSchema,
  timeouts: { create: '30m', read: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const vmId = asId<VmId>(plan.vm_id);
    const snapId = asId<SnapshotId>(plan.snapshot_id);
    const ctx = {
      action: `restoring VM ${vmId} to snapshot ${snapId}`,
      hints: HINTS,
      path: path('snapshot_id'),
      signal,
      op: 'create' as const,
    };
    const api = client.engine;
    const done = await attempt(diags, ctx, async () => {
      // A snapshot of another VM is not found under this VM: say so before touching anything.
      const snap = await api.snapshots.get(vmId, snapId, reqOpts(signal)).catch((err: unknown) => {
        if (OvirtError.is(err, 'not_found'))
          throw new ProviderError(
            'not_found',
            `snapshot ${snapId} is not a snapshot of VM ${vmId} (the engine: "Cannot revert to Snapshot. VM's Snapshot does not exist.").`,
          );
        throw err;
      });
      if (snap.snapshot_type !== 'regular')
        throw new ProviderError(
          'not_found',
          `snapshot ${snapId} is the VM's ${snap.snapshot_type} snapshot; only regular snapshots can be restored.`,
        );
      await untilUnlocked(signal, () =>
        api.snapshots.restore(vmId, snapId, { ...reqOpts(signal), restoreMemory: bool(plan.restore_memory) }),
      );
      await api.vms.waitForStatus(vmId, 'down', waitOpts(signal));
      return true;
    });
    return done ? { ...plan, id: `${vmId}/${snapId}` } : null;
  },

  async read({ state }) {
    return state;
  },

  async delete() {
    // Forgetting a restore undoes nothing: the VM keeps what it was restored to.
  },

  async importState({ id, diags }) {
    const parts = splitId(id, 2);
    if (!parts || !parts.every((x) => UUID_PATTERN.test(x))) return badImportId(diags, id, '`<vm_id>/<snapshot_id>`');
    return { id, vm_id: parts[0], snapshot_id: parts[1] };
  },
});

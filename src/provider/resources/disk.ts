/**
 * `ovirt_disk`: a floating disk. Created and grown with the engine's async semantics (waits for
 * status `ok`, waits out locks); shrinking is refused at plan time; a new storage domain moves it.
 */
import type { Disk, DiskId, OvirtClient } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { OvirtError } from '../../ovirt/errors';
import { attr, schema, oneOf, between, path, useStateForUnknown, type Diagnostics, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, num, orNull, settle, str, bool, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const MIB = 1024 * 1024;

const HINTS: AttributeHints = [
  [/size/i, 'size'],
  [/storage domain|incompatible with the storage|Data Center/i, 'storage_domain_id'],
  [/format/i, 'format'],
  [/alias|name/i, 'alias'],
];

const diskSchema = schema({
  attributes: {
    id: idAttribute('The disk id.'),
    alias: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Disk name shown in the engine. Updated in place. The engine generates one when unset.',
    }),
    description: attr.string({
      optional: true,
      description: 'Free-text description. Updated in place.',
    }),
    size: attr.number({
      required: true,
      description:
        'Virtual size in bytes (at least 1 MiB). Grows in place; shrinking is a plan-time error (the engine cannot shrink disks).',
      validators: [between(MIB, 2 ** 53)],
    }),
    format: attr.string({
      required: true,
      forceNew: true,
      description: 'Image format: `cow` (qcow2) or `raw`. Changing it replaces the disk.',
      validators: [oneOf('cow', 'raw')],
    }),
    sparse: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      forceNew: true,
      description: 'Thin provisioning. Block storage cannot hold sparse raw disks. Changing it replaces the disk.',
    }),
    storage_domain_id: attr.string({
      required: true,
      description:
        "Storage domain that holds the disk. Changing it moves the disk there in place (the engine's move; the disk is locked until the data is copied); the domain must be active and in the same data center.",
      validators: [isUuid],
    }),
    shareable: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Can be attached to several VMs at once. Updated in place.',
    }),
    wipe_after_delete: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Overwrite the data with zeroes when the disk is deleted. Updated in place.',
    }),
    status: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Engine status: `ok`, `locked` or `illegal`.',
    }),
    actual_size: attr.number({
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['size', 'storage_domain_id'] })],
      description: 'Space the disk takes on storage, in bytes.',
    }),
  },
});

type DiskState = StateOf<typeof diskSchema>;

function fromEngine(disk: Disk, prior: Partial<DiskState> | null): DiskState {
  return {
    id: disk.id,
    alias: orNull(disk.alias ?? disk.name),
    description: orNull(disk.description),
    size: disk.provisioned_size ?? prior?.size ?? 0,
    format: disk.format ?? prior?.format ?? 'cow',
    sparse: disk.sparse ?? null,
    storage_domain_id: disk.storage_domains?.[0]?.id ?? disk.storage_domain?.id ?? prior?.storage_domain_id ?? '',
    shareable: disk.shareable ?? null,
    wipe_after_delete: disk.wipe_after_delete ?? null,
    status: disk.status ?? 'unknown',
    actual_size: disk.actual_size ?? disk.total_size ?? 0,
  };
}

/** Waits until the disk is `ok` unless it already is (saves a request when creation is instant). */
async function ready(api: OvirtClient, disk: Disk, signal: AbortSignal): Promise<Disk> {
  return disk.status === 'ok' ? disk : api.disks.waitForOk(asId<DiskId>(disk.id), waitOpts(signal));
}

/** The `ovirt_disk` resource. */
export const diskResource = defineResource({
  typeName: 'ovirt_disk',
  description:
    'A floating disk on a storage domain, attached to VMs with `ovirt_disk_attachment`. Waits until the disk is `ok` and waits out engine locks.',
  schema: diskSchema,
  timeouts: { create: '20m', read: '5m', update: '20m', delete: '20m' },

  modifyPlan({ plan, state, diags }) {
    const want = num(plan.size);
    if (state && want !== undefined && want < state.size) {
      diags.error(
        'Disk Cannot Shrink',
        `size would shrink the disk from ${state.size} to ${want} bytes; the engine can only grow disks. Set size to at least ${state.size}, or replace the disk (e.g. terraform apply -replace).`,
        path('size'),
      );
    }
  },

  async create({ plan, client, diags, signal }) {
    const spec = {
      alias: str(plan.alias),
      description: str(plan.description),
      provisioned_size: Number(plan.size),
      format: plan.format,
      sparse: bool(plan.sparse),
      shareable: bool(plan.shareable),
      wipe_after_delete: bool(plan.wipe_after_delete),
      storage_domains: [{ id: str(plan.storage_domain_id) }],
    };
    const ctx = { action: `creating disk "${spec.alias ?? ''}"`, hints: HINTS, signal, op: 'create' as const };
    const created = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () => client.engine.disks.create(spec, reqOpts(signal))),
    );
    if (!created) return null;
    // From here the disk exists: a failed wait still returns it (Terraform taints it, nothing is orphaned).
    const disk = await attempt(diags, { ...ctx, action: `waiting for disk ${created.id} to be ok` }, () =>
      ready(client.engine, created, signal),
    );
    return settle(plan, fromEngine(disk ?? created, plan as Partial<DiskState>));
  },

  async read({ state, client, diags, signal }) {
    const disk = await readObject(diags, { action: `reading disk ${state.id}`, signal, op: 'read' }, () =>
      client.engine.disks.get(asId<DiskId>(state.id), reqOpts(signal)),
    );
    return disk === undefined ? state : disk && fromEngine(disk, state);
  },

  async update({ plan, state, client, diags, signal }) {
    const id = asId<DiskId>(state.id);
    const spec: Record<string, unknown> = {};
    if (num(plan.size) !== undefined && num(plan.size) !== state.size) spec.provisioned_size = num(plan.size);
    if (str(plan.alias) !== undefined && plan.alias !== state.alias) spec.alias = str(plan.alias);
    if (plan.description !== state.description) spec.description = str(plan.description) ?? '';
    if (bool(plan.shareable) !== undefined && plan.shareable !== state.shareable) spec.shareable = bool(plan.shareable);
    if (bool(plan.wipe_after_delete) !== undefined && plan.wipe_after_delete !== state.wipe_after_delete)
      spec.wipe_after_delete = bool(plan.wipe_after_delete);
    const ctx = { action: `updating disk ${id}`, hints: HINTS, signal, op: 'update' as const };
    const disk = await attempt(diags, ctx, async () => {
      // The move first: when the engine refuses it (another data center, a domain in maintenance) nothing has changed.
      const target = str(plan.storage_domain_id);
      let moved: Disk | undefined;
      if (target && target !== state.storage_domain_id) {
        await untilUnlocked(signal, () => client.engine.disks.move(id, target, reqOpts(signal))).catch(
          (err: unknown) => {
            // A move an interrupted apply started may have finished since the refresh: already there is done.
            if (!(
              OvirtError.is(err) &&
              /source and target storage domains are the same/i.test(`${err.reason ?? ''} ${err.detail ?? ''}`)
            ))
              throw err;
          },
        );
        moved = await client.engine.disks.waitMoved(id, target, waitOpts(signal));
      }
      if (!Object.keys(spec).length) return moved ?? client.engine.disks.get(id, reqOpts(signal));
      const updated = await untilUnlocked(signal, () => client.engine.disks.update(id, spec, reqOpts(signal)));
      return ready(client.engine, updated, signal);
    });
    return disk ? settle(plan, fromEngine(disk, state)) : state;
  },

  delete: ({ state, client, diags, signal }) => deleteDisk(state.id, client.engine, diags, signal),
  importState: async ({ id, diags }) => importDiskId(id, diags),
});

/** Removes a disk (waiting out locks); shared by every resource whose object is a disk. */
export async function deleteDisk(
  diskId: string,
  engine: OvirtClient,
  diags: Diagnostics,
  signal: AbortSignal,
): Promise<void> {
  const id = asId<DiskId>(diskId);
  await removeObject(diags, { action: `deleting disk ${id}`, signal, op: 'delete' }, () =>
    untilUnlocked(signal, () => engine.disks.remove(id, reqOpts(signal))),
  );
}

/** The import id of a disk resource: the disk's UUID. */
export function importDiskId(id: string, diags: Diagnostics): { id: string } | null {
  return UUID_PATTERN.test(id) ? { id } : badImportId(diags, id, 'a disk id (a UUID)');
}

/** VM snapshots (`/vms/{id}/snapshots`). */
import { z } from 'zod';
import { identified, model, zBool, zDate, zList, zRef, zStr } from './zod-helpers';

/** A snapshot: `snapshot_type` `active | regular | preview | stateless`, `snapshot_status` `ok | locked | in_preview`. */
export const snapshotSchema = model('snapshot', () =>
  z.object({
    ...identified,
    date: zDate.optional(),
    persist_memorystate: zBool.optional(),
    snapshot_status: zStr.optional(),
    snapshot_type: zStr.optional(),
    vm: zRef.optional(),
  }),
);
export type Snapshot = z.infer<typeof snapshotSchema>;

/** A disk as held by a snapshot (`/vms/{id}/snapshots/{id}/disks`). */
export const snapshotDiskSchema = model('snapshot_disk', () =>
  z.object({
    ...identified,
    alias: zStr.optional(),
    image_id: zStr.optional(),
    storage_domains: zList('storage_domain', zRef),
  }),
);
export type SnapshotDisk = z.infer<typeof snapshotDiskSchema>;

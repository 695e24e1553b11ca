/** Disk and disk-attachment models (`/disks`, `/vms/{id}/diskattachments`, `/templates/{id}/diskattachments`). */
import { z } from 'zod';
import { identified, model, zBool, zInt, zList, zRef, zStr } from './zod-helpers';

/** DiskStatus: `ok | locked | illegal`. */
export type DiskStatus = 'ok' | 'locked' | 'illegal';

/** A disk as returned by `GET /disks/{id}` (also a `<disk>` nested in an attachment, where id may be all there is). */
export const diskSchema = model('disk', () =>
  z.object({
    ...identified,
    alias: zStr.optional(),
    image_id: zStr.optional(),
    provisioned_size: zInt.optional(),
    actual_size: zInt.optional(),
    total_size: zInt.optional(),
    initial_size: zInt.optional(),
    status: zStr.optional(),
    format: zStr.optional(),
    sparse: zBool.optional(),
    bootable: zBool.optional(),
    shareable: zBool.optional(),
    wipe_after_delete: zBool.optional(),
    propagate_errors: zBool.optional(),
    backup: zStr.optional(),
    content_type: zStr.optional(),
    storage_type: zStr.optional(),
    qcow_version: zStr.optional(),
    interface: zStr.optional(),
    storage_domains: zList('storage_domain', zRef),
    storage_domain: zRef.optional(),
    disk_profile: zRef.optional(),
    quota: zRef.optional(),
  }),
);
/** A disk. `status` is a {@link DiskStatus} on real engines. */
export type Disk = z.infer<typeof diskSchema>;

/** A disk attachment (its id equals the disk id on real engines). */
export const diskAttachmentSchema = model('disk_attachment', () =>
  z.object({
    id: zStr.optional(),
    href: zStr.optional(),
    active: zBool.optional(),
    bootable: zBool.optional(),
    interface: zStr.optional(),
    logical_name: zStr.optional(),
    pass_discard: zBool.optional(),
    read_only: zBool.optional(),
    uses_scsi_reservation: zBool.optional(),
    disk: diskSchema.unwrap().partial().optional(),
    vm: zRef.optional(),
    template: zRef.optional(),
  }),
);
/** A disk attachment. */
export type DiskAttachment = z.infer<typeof diskAttachmentSchema>;

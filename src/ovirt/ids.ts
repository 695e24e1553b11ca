/**
 * Branded id types: a `VmId` cannot be passed where a `DiskId` is expected by accident.
 * At run time they are plain strings (the engine's UUIDs).
 */

declare const brand: unique symbol;
/** A string tagged with the kind of object it identifies. */
export type Id<K extends string> = string & { readonly [brand]: K };

export type VmId = Id<'vm'>;
export type DiskId = Id<'disk'>;
export type TemplateId = Id<'template'>;
export type ClusterId = Id<'cluster'>;
export type HostId = Id<'host'>;
export type StorageDomainId = Id<'storage_domain'>;
export type NetworkId = Id<'network'>;
export type VnicProfileId = Id<'vnic_profile'>;
export type OperatingSystemId = Id<'operating_system'>;
export type AffinityGroupId = Id<'affinity_group'>;
export type TagId = Id<'tag'>;
export type JobId = Id<'job'>;
export type DataCenterId = Id<'data_center'>;
export type NicId = Id<'nic'>;
/** Disk attachment ids equal the attached disk's id in real engines. */
export type DiskAttachmentId = Id<'disk_attachment'>;
export type InstanceTypeId = Id<'instance_type'>;
export type SnapshotId = Id<'snapshot'>;
export type GraphicsConsoleId = Id<'graphics_console'>;

/** Tags a plain string as an id of kind K (no validation: ids are the engine's business). */
export function asId<T extends Id<string>>(value: string): T {
  return value as T;
}

/** The Blank template's id (also the root tag's id) on every engine. */
export const BLANK_TEMPLATE_ID = '00000000-0000-0000-0000-000000000000' as TemplateId;

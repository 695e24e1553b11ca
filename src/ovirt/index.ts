/**
 * oVirt Engine REST API v4 client. Knows nothing of Terraform.
 *
 *   const c = await OvirtClient.connect({ url: 'https://engine/ovirt-engine/api', username, password, caFile });
 *   const vm = await c.vms.create({ name, cluster: { id }, template: { name: 'Blank' } }, { clone: true });
 *   await c.waitForVmStatus(asId<VmId>(vm.id), 'down');
 */
export { OvirtClient, type OvirtClientOptions } from './client';
export { OvirtError, identify, type OvirtErrorCode, type OvirtErrorInit } from './errors';
export * from './ids';
export type { RequestOptions, WaitOptions } from './request-options';
export type { Logger } from './transport';
export type { AuthMode } from './auth';
export type { WireFormat } from './codec';
export { parseBody, decodeEntity, decodeList, encodeBody } from './codec';
export { fetchEngineCa } from './ca';
export { FileTokenStore, userCacheDir, type TokenStore } from './token-cache';
export { nameQuery, and } from './search';
export * from './models';
export type { Spec, RefSpec } from './models/spec';
export type { ListOptions, Collection, ChildCollection, CollectionShape } from './services/base';
export type {
  VmsService,
  VmCreateSpec,
  VmFromSnapshotSpec,
  VmUpdateSpec,
  VmCreateOptions,
  VmGetOptions,
  VmStartOptions,
} from './services/vms';
export type { DisksService, DiskCreateSpec } from './services/disks';
export type { TemplatesService, TemplateCreateSpec } from './services/templates';
export type {
  VmNicsService,
  DiskAttachmentsService,
  ReportedDevicesService,
  VmTagsService,
  NicCreateSpec,
  DiskAttachmentCreateSpec,
} from './services/vm-devices';
export type { AffinityGroupsService, AffinityGroupCreateSpec } from './services/affinity-groups';
export type { TagsService, TagCreateSpec } from './services/tags';
export type { ImageTransfersService, ImageTransferCreateSpec, ImageTransferId } from './services/image-transfers';
export type { UploadSpec, UploadOptions, UploadProgress } from './images/upload';
export { checkImage } from './images/probe';
export type { TemplateFromDiskSpec } from './images/template-from-disk';
export { probeImage, classify, rawDiskSize, type ImageInfo } from './images/probe';
export type { SnapshotsService, SnapshotCreateSpec } from './services/snapshots';
export {
  GRAPHICS_PROTOCOLS,
  type GraphicsProtocol,
  type VmGraphicsConsolesService,
} from './services/graphics-consoles';
export type {
  ClustersService,
  DataCentersService,
  HostsService,
  JobsService,
  NetworksService,
  StorageDomainsService,
  VnicProfilesService,
} from './services/lookups';

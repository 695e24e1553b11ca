/**
 * ovirt-cdktf constructs: typed CDKTF constructs for oVirt/RHV on top of L1 bindings generated from
 * this package's own Terraform provider (`terraform.local/ovirt-cdktf/ovirt`).
 */
export { ValidationError } from './errors';
export type { ConstructErrorCode } from './errors';
export { parseSize, formatSize } from './units';
export type { Size } from './units';
export { OvirtProvider } from './provider';
export type { OvirtProviderProps, CredentialSource } from './provider';
export { BootArtifactServer } from './boot-server';
export type { BootArtifactServerProps } from './boot-server';
export type { Ref, VnicProfileRef } from './refs';
export type { IOvirtVm, IOvirtTemplate } from './interfaces';
export { OvirtDisk } from './disk';
export type { OvirtDiskProps } from './disk';
export { OvirtVm } from './vm';
export type { OvirtVmProps, VmDiskSpec, VmNicSpec, VmInitialization, DiskInterface, VmSnapshotSpec } from './vm';
export { OvirtTemplate } from './template';
export type { OvirtTemplateProps } from './template';
export { PxeBootEntry } from './pxe-boot-entry';
export type { PxeBootEntryProps, PxeIpxe } from './pxe-boot-entry';
export { OpenShiftIpiCluster } from './openshift/cluster';
export { OpenShiftNode } from './openshift/nodes';
export type { OpenShiftIpiClusterProps, TemplateBoot, PxeBoot, OpenShiftIgnition, NodePool } from './openshift/props';
export { fromInstallDir } from './openshift/ignition-source';
export type { IgnitionSource, InstallerIgnition } from './openshift/ignition-source';
export { MINIMUM_SIZES, RECOMMENDED_SIZES } from './openshift/sizes';
export type { NodeSize, OpenShiftRole } from './openshift/sizes';
export { pointerIgnition, machineConfigUrl } from './openshift/pointer';
export type { PointerIgnitionOptions } from './openshift/pointer';
/** The generated L1 bindings, one namespace per resource and data source. */
export * as l1 from './generated';

/** Models of the infrastructure the provider looks up: data centers, clusters, hosts, storage, networks. */
import { z } from 'zod';
import { identified, model, zBool, zInt, zList, zRef, zStr, zTopology, zObject } from './zod-helpers';

/** A compatibility version `<version><major/><minor/></version>` (built with each model that has one). */
const version = () => zObject({ major: zInt.optional(), minor: zInt.optional() });

/** A data center (`/datacenters`). */
export const dataCenterSchema = model('data_center', () =>
  z.object({
    ...identified,
    status: zStr.optional(),
    local: zBool.optional(),
    storage_format: zStr.optional(),
    quota_mode: zStr.optional(),
    version: version().optional(),
  }),
);
export type DataCenter = z.infer<typeof dataCenterSchema>;

/** A cluster (`/clusters`). */
export const clusterSchema = model('cluster', () =>
  z.object({
    ...identified,
    cpu: zObject({ architecture: zStr.optional(), type: zStr.optional() }).optional(),
    version: version().optional(),
    ballooning_enabled: zBool.optional(),
    data_center: zRef.optional(),
    mac_pool: zRef.optional(),
    scheduling_policy: zRef.optional(),
  }),
);
export type Cluster = z.infer<typeof clusterSchema>;

/** A host (`/hosts`). */
export const hostSchema = model('host', () =>
  z.object({
    ...identified,
    address: zStr.optional(),
    status: zStr.optional(),
    type: zStr.optional(),
    memory: zInt.optional(),
    max_scheduling_memory: zInt.optional(),
    port: zInt.optional(),
    cpu: zObject({
      name: zStr.optional(),
      speed: zInt.optional(),
      type: zStr.optional(),
      topology: zTopology.optional(),
    }).optional(),
    spm: zObject({ priority: zInt.optional(), status: zStr.optional() }).optional(),
    cluster: zRef.optional(),
  }),
);
export type Host = z.infer<typeof hostSchema>;

/** A storage domain (`/storagedomains`; attached domains carry no `status` there, only per data center). */
export const storageDomainSchema = model('storage_domain', () =>
  z.object({
    ...identified,
    type: zStr.optional(),
    status: zStr.optional(),
    external_status: zStr.optional(),
    master: zBool.optional(),
    available: zInt.optional(),
    used: zInt.optional(),
    committed: zInt.optional(),
    block_size: zInt.optional(),
    storage_format: zStr.optional(),
    storage: zObject({
      type: zStr.optional(),
      address: zStr.optional(),
      path: zStr.optional(),
    }).optional(),
    data_centers: zList('data_center', zRef),
    data_center: zRef.optional(),
  }),
);
export type StorageDomain = z.infer<typeof storageDomainSchema>;

/** A logical network (`/networks`). */
export const networkSchema = model('network', () =>
  z.object({
    ...identified,
    mtu: zInt.optional(),
    stp: zBool.optional(),
    vlan: zObject({ id: zStr.optional() }).optional(),
    usages: zList('usage', zStr),
    data_center: zRef.optional(),
  }),
);
export type Network = z.infer<typeof networkSchema>;

/** A guest operating system the engine knows (`/operatingsystems`); `name` is what `os.type` takes. */
export const operatingSystemSchema = model('operating_system', () => z.object({ ...identified }));
export type OperatingSystem = z.infer<typeof operatingSystemSchema>;

/** A vNIC profile (`/vnicprofiles`). */
export const vnicProfileSchema = model('vnic_profile', () =>
  z.object({
    ...identified,
    pass_through: zObject({ mode: zStr.optional() }).optional(),
    port_mirroring: zBool.optional(),
    migratable: zBool.optional(),
    network: zRef.optional(),
    network_filter: zRef.optional(),
  }),
);
export type VnicProfile = z.infer<typeof vnicProfileSchema>;

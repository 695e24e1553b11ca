/** Read-only lookups of the infrastructure: data centers, clusters, hosts, storage domains, networks, vNIC profiles, jobs. */
import type { z } from 'zod';
import {
  clusterSchema,
  dataCenterSchema,
  hostSchema,
  networkSchema,
  operatingSystemSchema,
  storageDomainSchema,
  vnicProfileSchema,
} from '../models/infra';
import { jobSchema, type Job } from '../models/misc';
import type {
  ClusterId,
  DataCenterId,
  HostId,
  JobId,
  NetworkId,
  OperatingSystemId,
  StorageDomainId,
  VnicProfileId,
} from '../ids';
import type { RequestOptions } from '../request-options';
import { Api, Collection, type CollectionShape } from './base';

/** Where each lookup collection lives. vNIC profiles are not searchable on the engine: name lookups filter the list. */
export const LOOKUP_SHAPES = {
  dataCenters: {
    path: '/datacenters',
    plural: 'data_centers',
    element: 'data_center',
    schema: dataCenterSchema,
    searchable: true,
  },
  clusters: { path: '/clusters', plural: 'clusters', element: 'cluster', schema: clusterSchema, searchable: true },
  hosts: { path: '/hosts', plural: 'hosts', element: 'host', schema: hostSchema, searchable: true },
  storageDomains: {
    path: '/storagedomains',
    plural: 'storage_domains',
    element: 'storage_domain',
    schema: storageDomainSchema,
    searchable: true,
  },
  networks: { path: '/networks', plural: 'networks', element: 'network', schema: networkSchema, searchable: true },
  vnicProfiles: {
    path: '/vnicprofiles',
    plural: 'vnic_profiles',
    element: 'vnic_profile',
    schema: vnicProfileSchema,
    searchable: false,
  },
  jobs: { path: '/jobs', plural: 'jobs', element: 'job', schema: jobSchema, searchable: true },
  operatingSystems: {
    path: '/operatingsystems',
    plural: 'operating_systems',
    element: 'operating_system',
    schema: operatingSystemSchema,
    searchable: false,
  },
} satisfies Record<string, CollectionShape<z.ZodType>>;

/** `/datacenters`. */
export type DataCentersService = Collection<typeof dataCenterSchema, DataCenterId>;
/** `/clusters`. */
export type ClustersService = Collection<typeof clusterSchema, ClusterId>;
/** `/hosts`. */
export type HostsService = Collection<typeof hostSchema, HostId>;
/** `/networks`. */
export type NetworksService = Collection<typeof networkSchema, NetworkId>;
/** `/operatingsystems`: the guest OS names `os.type` accepts. */
export type OperatingSystemsService = Collection<typeof operatingSystemSchema, OperatingSystemId>;
/** `/vnicprofiles`. */
export type VnicProfilesService = Collection<typeof vnicProfileSchema, VnicProfileId>;

/** `/storagedomains` (status there is only set for unattached domains; see `forDataCenter`). */
export class StorageDomainsService extends Collection<typeof storageDomainSchema, StorageDomainId> {
  constructor(api: Api) {
    super(api, LOOKUP_SHAPES.storageDomains);
  }

  /** `/datacenters/{id}/storagedomains`: the domains attached to a data center, with their status there. */
  forDataCenter(id: DataCenterId, opts?: RequestOptions) {
    return this.api.list(
      { ...this.shape, path: `/datacenters/${encodeURIComponent(id)}/storagedomains`, searchable: false },
      opts,
    );
  }
}

/** `/jobs`. */
export class JobsService extends Collection<typeof jobSchema, JobId> {
  constructor(api: Api) {
    super(api, LOOKUP_SHAPES.jobs);
  }

  /** The jobs the engine started for requests sent with this correlation id. */
  byCorrelationId(correlationId: string, opts?: RequestOptions): Promise<Job[]> {
    return this.list({ ...opts, search: `correlation_id=${correlationId.replace(/[^0-9a-zA-Z_-]/g, '')}` });
  }
}

/** Read-only lookups of the infrastructure: data centers, clusters, hosts, storage domains, networks, vNIC profiles, jobs. */
import { clusterSchema, dataCenterSchema, hostSchema, networkSchema, storageDomainSchema, vnicProfileSchema } from '../models/infra';
import { jobSchema, type Job } from '../models/misc';
import type { ClusterId, DataCenterId, HostId, JobId, NetworkId, StorageDomainId, VnicProfileId } from '../ids';
import type { RequestOptions } from '../request-options';
import { Api, Collection } from './base';

/** `/datacenters`. */
export class DataCentersService extends Collection<typeof dataCenterSchema, DataCenterId> {
  constructor(api: Api) {
    super(api, { path: '/datacenters', plural: 'data_centers', element: 'data_center', schema: dataCenterSchema, searchable: true });
  }
}

/** `/clusters`. */
export class ClustersService extends Collection<typeof clusterSchema, ClusterId> {
  constructor(api: Api) {
    super(api, { path: '/clusters', plural: 'clusters', element: 'cluster', schema: clusterSchema, searchable: true });
  }
}

/** `/hosts`. */
export class HostsService extends Collection<typeof hostSchema, HostId> {
  constructor(api: Api) {
    super(api, { path: '/hosts', plural: 'hosts', element: 'host', schema: hostSchema, searchable: true });
  }
}

/** `/storagedomains` (status there is only set for unattached domains; see `forDataCenter`). */
export class StorageDomainsService extends Collection<typeof storageDomainSchema, StorageDomainId> {
  constructor(api: Api) {
    super(api, { path: '/storagedomains', plural: 'storage_domains', element: 'storage_domain', schema: storageDomainSchema, searchable: true });
  }

  /** `/datacenters/{id}/storagedomains`: the domains attached to a data center, with their status there. */
  forDataCenter(id: DataCenterId, opts?: RequestOptions) {
    return this.api.list({ ...this.shape, path: `/datacenters/${encodeURIComponent(id)}/storagedomains`, searchable: false }, opts);
  }
}

/** `/networks`. */
export class NetworksService extends Collection<typeof networkSchema, NetworkId> {
  constructor(api: Api) {
    super(api, { path: '/networks', plural: 'networks', element: 'network', schema: networkSchema, searchable: true });
  }
}

/** `/vnicprofiles` (not searchable on the engine: name lookups filter the list). */
export class VnicProfilesService extends Collection<typeof vnicProfileSchema, VnicProfileId> {
  constructor(api: Api) {
    super(api, { path: '/vnicprofiles', plural: 'vnic_profiles', element: 'vnic_profile', schema: vnicProfileSchema, searchable: false });
  }
}

/** `/jobs`. */
export class JobsService extends Collection<typeof jobSchema, JobId> {
  constructor(api: Api) {
    super(api, { path: '/jobs', plural: 'jobs', element: 'job', schema: jobSchema, searchable: true });
  }

  /** The jobs the engine started for requests sent with this correlation id. */
  byCorrelationId(correlationId: string, opts?: RequestOptions): Promise<Job[]> {
    return this.list({ ...opts, search: `correlation_id=${correlationId.replace(/[^0-9a-zA-Z_-]/g, '')}` });
  }
}

/** Affinity groups of a cluster and their VM/host members. */
import { affinityGroupSchema, type AffinityGroup } from '../models/misc';
import type { RefSpec, Spec } from '../models/spec';
import type { AffinityGroupId, ClusterId, HostId, VmId } from '../ids';
import type { RequestOptions } from '../request-options';
import { zRef } from '../models/zod-helpers';
import { ChildCollection, type Api, type CollectionShape } from './base';

/** Body of `POST /clusters/{id}/affinitygroups`. */
export type AffinityGroupCreateSpec = Spec<AffinityGroup> & { name: string };

/**
 * `/clusters/{cid}/affinitygroups` (list, get, update, remove, create, findByName) and the
 * member collections `.../{gid}/vms`, `.../{gid}/hosts`.
 */
export class AffinityGroupsService extends ChildCollection<typeof affinityGroupSchema, ClusterId, AffinityGroupId> {
  constructor(api: Api) {
    super(api, (cluster) => ({
      path: `/clusters/${encodeURIComponent(cluster)}/affinitygroups`,
      plural: 'affinity_groups',
      element: 'affinity_group',
      schema: affinityGroupSchema,
      searchable: false,
    }));
  }

  /** The group named `name`, or undefined. */
  findByName(cluster: ClusterId, name: string, opts?: RequestOptions): Promise<AffinityGroup | undefined> {
    return this.api.findByName(this.shape(cluster), name, opts);
  }

  /** Creates a group (vms_rule / hosts_rule, priority, enforcing). */
  create(cluster: ClusterId, spec: AffinityGroupCreateSpec, opts?: RequestOptions): Promise<AffinityGroup> {
    return this.api.create(this.shape(cluster), spec, opts, undefined, () => this.findByName(cluster, spec.name, opts));
  }

  /** Member VMs (references). */
  listVms(cluster: ClusterId, group: AffinityGroupId, opts?: RequestOptions) {
    return this.api.list(this.memberShape(cluster, group, 'vm'), opts);
  }

  /** Member hosts (references). */
  listHosts(cluster: ClusterId, group: AffinityGroupId, opts?: RequestOptions) {
    return this.api.list(this.memberShape(cluster, group, 'host'), opts);
  }

  /** Adds a VM to the group. */
  async addVm(cluster: ClusterId, group: AffinityGroupId, vm: VmId, opts?: RequestOptions): Promise<void> {
    await this.addMember(cluster, group, 'vm', { id: vm }, opts);
  }

  /** Removes a VM from the group. */
  removeVm(cluster: ClusterId, group: AffinityGroupId, vm: VmId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(`${this.itemPath(cluster, group)}/vms/${encodeURIComponent(vm)}`, opts);
  }

  /** Adds a host to the group. */
  async addHost(cluster: ClusterId, group: AffinityGroupId, host: HostId, opts?: RequestOptions): Promise<void> {
    await this.addMember(cluster, group, 'host', { id: host }, opts);
  }

  /** Removes a host from the group. */
  removeHost(cluster: ClusterId, group: AffinityGroupId, host: HostId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(`${this.itemPath(cluster, group)}/hosts/${encodeURIComponent(host)}`, opts);
  }

  private memberShape(cluster: ClusterId, group: AffinityGroupId, kind: 'vm' | 'host'): CollectionShape<typeof zRef> {
    return {
      path: `${this.itemPath(cluster, group)}/${kind}s`,
      plural: `${kind}s`,
      element: kind,
      schema: zRef,
      searchable: false,
    };
  }

  private async addMember(
    cluster: ClusterId,
    group: AffinityGroupId,
    kind: 'vm' | 'host',
    ref: RefSpec,
    opts?: RequestOptions,
  ): Promise<void> {
    const shape = this.memberShape(cluster, group, kind);
    const lookup = async () => (await this.api.list(shape, opts)).find((m) => m.id === ref.id);
    await this.api.create(shape, ref, opts, undefined, lookup);
  }
}

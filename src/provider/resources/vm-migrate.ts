/**
 * Live migration of `ovirt_vm`: when the hosts a running VM may run on change so that its host is
 * no longer one of them, the VM moves (the engine's migrate action) instead of waiting for a
 * restart. The plan already refuses hosts the engine would refuse: another cluster, not up.
 */
import type { OvirtClient, Vm, VmId } from '../../ovirt';
import { asId, type HostId } from '../../ovirt/ids';
import { path, type Diagnostics } from '../../tfplugin';
import { strList } from '../common';
import { waitOpts, untilUnlocked, reqOpts } from '../ops';

/** Hosts named in `placement_policy_host_ids` that the VM could not migrate to, with the engine's reason. */
export async function checkPlacement(
  api: OvirtClient,
  clusterId: string | undefined,
  hostIds: string[],
  diags: Diagnostics,
  signal: AbortSignal,
): Promise<void> {
  for (const id of hostIds) {
    const host = await api.hosts.tryGet(asId<HostId>(id), reqOpts(signal));
    if (!host) {
      diags.error(
        'Unknown Host',
        `placement_policy_host_ids names host ${id}, which the engine does not have.`,
        path('placement_policy_host_ids'),
      );
    } else if (clusterId && host.cluster?.id && host.cluster.id !== clusterId) {
      diags.error(
        'Host In Another Cluster',
        `Host ${host.name ?? id} is in another cluster than the VM; the engine refuses the migration: "Cannot migrate VM. If target Cluster is not specified VM can be migrated only between Hosts in the same Cluster."`,
        path('placement_policy_host_ids'),
      );
    } else if (host.status !== 'up') {
      diags.error(
        'Host Not Up',
        `Host ${host.name ?? id} is ${host.status ?? 'not up'}; the engine refuses to migrate to it: "Cannot migrate VM. Operation can be performed only when Host status is Up."`,
        path('placement_policy_host_ids'),
      );
    }
  }
}

/** True when the plan changes the allowed hosts of a VM that is running (so a migration may follow). */
export function placementChanged(
  plan: { placement_policy_host_ids?: unknown },
  state: { placement_policy_host_ids?: unknown; status?: unknown } | null,
): string[] | undefined {
  const want = strList(plan.placement_policy_host_ids);
  const had = strList(state?.placement_policy_host_ids) ?? [];
  if (!want?.length || state?.status !== 'up') return undefined;
  return JSON.stringify([...want].sort()) === JSON.stringify([...had].sort()) ? undefined : want;
}

/** Migrates a running VM onto one of `hostIds` when its host is not one of them; returns the VM after it. */
export async function migrateIntoPlacement(
  api: OvirtClient,
  id: VmId,
  hostIds: string[] | undefined,
  signal: AbortSignal,
): Promise<Vm | undefined> {
  if (!hostIds?.length) return undefined;
  const vm = await api.vms.get(id, { signal });
  if (vm.status !== 'up' || (vm.host?.id && hostIds.includes(vm.host.id))) return undefined;
  const target = [...hostIds].sort()[0];
  if (!target) return undefined;
  await untilUnlocked(signal, () => api.vms.migrate(id, target, reqOpts(signal)));
  await api.vms.waitRunningOn(id, target, waitOpts(signal));
  return api.vms.get(id, { signal, allContent: true, nextRun: true });
}

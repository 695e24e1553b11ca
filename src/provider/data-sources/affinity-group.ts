/** `data "ovirt_affinity_group"`: an affinity group of a cluster, by name, with its members and rules. */
import type { ClusterId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, schema, t } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { lookup, reqOpts } from '../ops';

const groupSchema = schema({
  attributes: {
    cluster_id: attr.string({
      required: true,
      description: 'Cluster the group belongs to.',
      validators: [isUuid],
    }),
    name: attr.string({
      required: true,
      description: 'Name of the group (unique in its cluster).',
    }),
    id: attr.string({
      computed: true,
      description: 'Affinity group id.',
    }),
    description: attr.string({
      computed: true,
      description: 'Group description.',
    }),
    priority: attr.number({
      computed: true,
      description: "Priority of the group's rules against other groups.",
    }),
    vm_ids: attr.list(t.string, {
      computed: true,
      description: 'VMs in the group, sorted.',
    }),
    host_ids: attr.list(t.string, {
      computed: true,
      description: 'Hosts in the group, sorted.',
    }),
    vms_affinity: attr.string({
      computed: true,
      description: 'VM rule: `positive` (together), `negative` (apart) or `disabled`.',
    }),
    vms_enforcing: attr.bool({
      computed: true,
      description: 'Whether the VM rule is hard (enforcing).',
    }),
    hosts_affinity: attr.string({
      computed: true,
      description: 'Host rule: `positive`, `negative` or `disabled`.',
    }),
    hosts_enforcing: attr.bool({
      computed: true,
      description: 'Whether the host rule is hard (enforcing).',
    }),
  },
});

function affinity(rule: { enabled?: boolean; positive?: boolean } | undefined): string {
  if (rule?.enabled === false) return 'disabled';
  return rule?.positive === false ? 'negative' : 'positive';
}

/** The `ovirt_affinity_group` data source. */
export const affinityGroupDataSource = defineDataSource({
  typeName: 'ovirt_affinity_group',
  description: 'Looks up an affinity group of a cluster by name: its members (VMs, hosts) and rules.',
  schema: groupSchema,

  async read({ config, client, diags, signal }) {
    const cluster = asId<ClusterId>(config.cluster_id);
    const name = config.name;
    const group = await lookup(
      diags,
      { action: `looking up affinity group "${name}" in cluster ${cluster}`, signal },
      `Cluster ${cluster} has no affinity group named "${name}".`,
      () => client.engine.affinityGroups.findByName(cluster, name, reqOpts(signal)),
    );
    if (!group) return null;
    return {
      cluster_id: cluster,
      name,
      id: group.id,
      description: group.description ?? '',
      priority: group.priority ?? 0,
      vm_ids: (group.vms ?? [])
        .map((r) => r.id ?? '')
        .filter(Boolean)
        .sort(),
      host_ids: (group.hosts ?? [])
        .map((r) => r.id ?? '')
        .filter(Boolean)
        .sort(),
      vms_affinity: affinity(group.vms_rule),
      vms_enforcing: group.vms_rule?.enforcing ?? false,
      hosts_affinity: affinity(group.hosts_rule),
      hosts_enforcing: group.hosts_rule?.enforcing ?? false,
    };
  },
});

/**
 * `ovirt_affinity_group`: a cluster's affinity group. Unlike the Go provider, priority,
 * enforcing and both rules are sent to the engine, read back (drift) and updated in place.
 */
import type { OvirtClient, AffinityGroup, AffinityGroupId, AffinityRule, ClusterId, HostId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import {
  attr,
  useStateForUnknown,
  block,
  schema,
  t,
  oneOf,
  between,
  type ApplyPlanOf,
  type StateOf,
} from '../../tfplugin';
import { defineResource } from '../define';
import {
  idAttribute,
  num,
  orNull,
  parentIdAttribute,
  settle,
  str,
  bool,
  splitId,
  strList,
  UUID_PATTERN,
} from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [
  [/name/i, 'name'],
  [/priority/i, 'priority'],
  [/host/i, 'host_ids'],
];

const rule = (what: string) =>
  block.single(
    {
      attributes: {
        affinity: attr.string({
          required: true,
          description: `\`positive\`: keep the group's VMs on the same ${what}; \`negative\`: keep them apart.`,
          validators: [oneOf('positive', 'negative')],
        }),
        enforcing: attr.bool({
          optional: true,
          computed: true,
          default: false,
          description: 'Hard rule (VMs do not start when it cannot be met) instead of a soft preference.',
        }),
      },
    },
    {
      description: `The rule between the group's VMs and ${what === 'host' ? 'its hosts' : 'each other'}. Absent: the rule is disabled. Updated in place.`,
    },
  );

const groupSchema = schema({
  attributes: {
    id: idAttribute('The affinity group id.'),
    cluster_id: parentIdAttribute('Cluster of the group. Changing it replaces the group.'),
    name: attr.string({
      required: true,
      description: 'Group name, unique in the cluster. Updated in place.',
    }),
    description: attr.string({
      optional: true,
      description: 'Free-text description. Updated in place.',
    }),
    priority: attr.number({
      optional: true,
      computed: true,
      default: 1,
      description: 'Priority among affinity groups when rules conflict (higher wins). Updated in place.',
      validators: [between(0, 1e6)],
    }),
    enforcing: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        'Group-level enforcing flag (older engines read this instead of the per-rule flags). Updated in place.',
    }),
    host_ids: attr.set(t.string, {
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Hosts in the group (the other side of `hosts_rule`). Updated in place.',
    }),
  },
  blocks: { vms_rule: rule('host as each other'), hosts_rule: rule('host') },
});

type GroupState = StateOf<typeof groupSchema>;
type RuleState = GroupState['vms_rule'];
type GroupPlan = ApplyPlanOf<typeof groupSchema>;

function ruleFromEngine(engineRule: AffinityRule | undefined): RuleState {
  if (!engineRule || engineRule.enabled === false || engineRule.positive === undefined) return null;
  return { affinity: engineRule.positive ? 'positive' : 'negative', enforcing: engineRule.enforcing ?? false };
}

function ruleToEngine(planned: GroupPlan['vms_rule']): AffinityRule {
  return planned
    ? { enabled: true, positive: planned.affinity === 'positive', enforcing: bool(planned.enforcing) ?? false }
    : { enabled: false };
}

function fromEngine(group: AffinityGroup, clusterId: string): GroupState {
  return {
    id: group.id,
    cluster_id: clusterId,
    name: group.name ?? '',
    description: orNull(group.description),
    priority: group.priority ?? 1,
    enforcing: group.enforcing ?? false,
    host_ids: (group.hosts ?? [])
      .map((h) => h.id ?? '')
      .filter(Boolean)
      .sort(),
    vms_rule: ruleFromEngine(group.vms_rule),
    hosts_rule: ruleFromEngine(group.hosts_rule),
  };
}

function body(plan: GroupPlan) {
  return {
    name: plan.name,
    description: str(plan.description) ?? '',
    priority: num(plan.priority),
    enforcing: bool(plan.enforcing),
    vms_rule: ruleToEngine(plan.vms_rule),
    hosts_rule: ruleToEngine(plan.hosts_rule),
  };
}

/** Adds and removes hosts so the group holds exactly `want` (unknown `want`: leave as is). */
async function syncHosts(
  api: OvirtClient,
  clusterId: ClusterId,
  groupId: AffinityGroupId,
  have: string[],
  want: unknown,
  signal: AbortSignal,
): Promise<void> {
  const target = strList(want);
  if (!target) return;
  for (const h of target.filter((x) => !have.includes(x)))
    await untilUnlocked(signal, () => api.affinityGroups.addHost(clusterId, groupId, asId<HostId>(h), reqOpts(signal)));
  for (const h of have.filter((x) => !target.includes(x)))
    await untilUnlocked(signal, () =>
      api.affinityGroups.removeHost(clusterId, groupId, asId<HostId>(h), reqOpts(signal)),
    );
}

/** The `ovirt_affinity_group` resource. */
export const affinityGroupResource = defineResource({
  typeName: 'ovirt_affinity_group',
  description:
    'An affinity group of a cluster: keeps its VMs together or apart, and on or off its hosts. Add VMs with `ovirt_vm_affinity_group`.',
  schema: groupSchema,
  timeouts: { create: '5m', read: '5m', update: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const clusterId = asId<ClusterId>(plan.cluster_id);
    const ctx = { action: `creating affinity group "${str(plan.name)}"`, hints: HINTS, signal, op: 'create' as const };
    const group = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () => client.engine.affinityGroups.create(clusterId, body(plan), reqOpts(signal))),
    );
    if (!group) return null;
    const created = fromEngine(group, clusterId);
    await attempt(diags, { ...ctx, action: `adding hosts to affinity group ${group.id}` }, () =>
      syncHosts(
        client.engine,
        clusterId,
        asId<AffinityGroupId>(group.id),
        created.host_ids ?? [],
        plan.host_ids,
        signal,
      ),
    );
    return settle(
      plan,
      diags.hasError() ? created : { ...created, host_ids: strList(plan.host_ids) ?? created.host_ids },
    );
  },

  async read({ state, client, diags, signal }) {
    const group = await readObject(diags, { action: `reading affinity group ${state.id}`, signal, op: 'read' }, () =>
      client.engine.affinityGroups.get(
        asId<ClusterId>(state.cluster_id),
        asId<AffinityGroupId>(state.id),
        reqOpts(signal),
      ),
    );
    return group === undefined ? state : group && fromEngine(group, state.cluster_id);
  },

  async update({ plan, state, client, diags, signal }) {
    const clusterId = asId<ClusterId>(state.cluster_id);
    const id = asId<AffinityGroupId>(state.id);
    const ctx = { action: `updating affinity group ${id}`, hints: HINTS, signal, op: 'update' as const };
    const group = await attempt(diags, ctx, async () => {
      const updated = await untilUnlocked(signal, () =>
        client.engine.affinityGroups.update(clusterId, id, body(plan), reqOpts(signal)),
      );
      await syncHosts(client.engine, clusterId, id, state.host_ids ?? [], plan.host_ids, signal);
      return updated;
    });
    return group
      ? settle(plan, { ...fromEngine(group, clusterId), host_ids: strList(plan.host_ids) ?? state.host_ids })
      : state;
  },

  async delete({ state, client, diags, signal }) {
    await removeObject(diags, { action: `deleting affinity group ${state.id}`, signal, op: 'delete' }, () =>
      untilUnlocked(signal, () =>
        client.engine.affinityGroups.remove(
          asId<ClusterId>(state.cluster_id),
          asId<AffinityGroupId>(state.id),
          reqOpts(signal),
        ),
      ),
    );
  },

  async importState({ id, diags }) {
    const [clusterId, groupId] = splitId(id, 2) ?? [];
    if (!clusterId || !groupId || ![clusterId, groupId].every((p) => UUID_PATTERN.test(p)))
      return badImportId(diags, id, '`<cluster_id>/<affinity_group_id>`');
    return { id: groupId, cluster_id: clusterId };
  },
});

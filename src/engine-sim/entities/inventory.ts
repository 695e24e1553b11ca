/** Inventory (read-only kinds), vNIC profiles, tags, jobs and affinity groups. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, bool, list, num, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone, many, one, readOnly, searched } from '../engine/handler';
import { Entity, Kind, ref } from '../store/store';

function underDc(kind: Kind, refPath: string): Route {
  return {
    method: 'GET',
    pattern: `datacenters/{dc}/${kind}`,
    handler: (c) => {
      const dc = c.sim.must('datacenters', c.params.dc);
      return many(
        kind,
        searched(
          c,
          c.sim.store
            .list(kind)
            .filter((e) => str(e.data, refPath) === dc.id || list(e.data, refPath).some((r) => r.id === dc.id)),
        ),
      );
    },
  };
}

function addNamed(c: Ctx, kind: Kind, type: string, data: Tree, dupText: string, parent?: string): Reply {
  const name = str(c.body, 'name');
  if (!name) throw incomplete(type, 'name');
  if (c.sim.store.list(kind, parent).some((e) => str(e.data, 'name') === name)) throw opFailed(409, dupText);
  const e = c.sim.store.put({
    kind,
    id: c.sim.newId(),
    parent,
    meta: {},
    data: { name, description: str(c.body, 'description') ?? '', ...data },
  });
  c.sim.onChange();
  return { ...one(e, 201), location: e.id };
}

function removeOf(kind: Kind, before?: (c: Ctx, e: Entity) => void): Route['handler'] {
  return (c) => {
    const e = c.sim.must(kind, c.params.id, c.params.cluster);
    before?.(c, e);
    c.sim.store.remove(kind, e.id, e.parent);
    c.sim.onChange();
    return actionDone();
  };
}

function rule(b: Tree | undefined): Tree {
  return {
    enabled: bool(b, 'enabled') ?? true,
    enforcing: bool(b, 'enforcing') ?? false,
    positive: bool(b, 'positive') ?? true,
  };
}

function addGroup(c: Ctx): Reply {
  const cluster = c.sim.must('clusters', c.params.cluster);
  return addNamed(
    c,
    'affinitygroups',
    'AffinityGroup',
    {
      cluster: ref('clusters', cluster.id),
      enforcing: bool(c.body, 'enforcing') ?? false,
      positive: bool(c.body, 'positive') ?? true,
      priority: num(c.body, 'priority') ?? 1,
      broken: false,
      hosts_rule: rule(sub(c.body, 'hosts_rule')),
      vms_rule: rule(sub(c.body, 'vms_rule')),
      vms: { vm: [] },
      hosts: { host: [] },
    },
    'Cannot add Affinity Group. Affinity Group name already exists.',
    cluster.id,
  );
}

function updateGroup(c: Ctx): Reply {
  const g = c.sim.must('affinitygroups', c.params.id, c.params.cluster);
  const name = str(c.body, 'name');
  if (
    name &&
    name !== str(g.data, 'name') &&
    c.sim.store.list('affinitygroups', g.parent).some((e) => str(e.data, 'name') === name)
  ) {
    throw opFailed(409, 'Cannot edit Affinity Group. Affinity Group name already exists.');
  }
  for (const k of ['name', 'description', 'enforcing', 'positive', 'priority'])
    if (str(c.body, k) !== undefined) g.data[k] = str(c.body, k);
  for (const k of ['hosts_rule', 'vms_rule'])
    if (sub(c.body, k)) g.data[k] = { ...rule(sub(g.data, k)), ...rule(sub(c.body, k)) };
  c.sim.onChange();
  return one(g);
}

/** Membership routes `/clusters/{c}/affinitygroups/{g}/vms|hosts`. */
function membership(kind: 'vms' | 'hosts'): Route[] {
  const el = kind === 'vms' ? 'vm' : 'host';
  const group = (c: Ctx): Entity => c.sim.must('affinitygroups', c.params.g, c.params.cluster);
  return [
    {
      method: 'GET',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}`,
      handler: (c) =>
        many(
          kind,
          list(group(c).data, `${kind}.${el}`)
            .map((r) => c.sim.store.get(kind, String(r.id)))
            .filter((e): e is Entity => !!e),
        ),
    },
    {
      method: 'POST',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}`,
      root: el,
      service: `affinity_group_${kind}/methods/add`,
      handler: (c) => {
        const g = group(c);
        const member = c.sim.resolve(kind, c.body);
        if (!member) throw incomplete(el === 'vm' ? 'Vm' : 'Host', 'id|name');
        const members = list(g.data, `${kind}.${el}`);
        if (members.some((r) => r.id === member.id))
          throw opFailed(
            409,
            `Cannot edit Affinity Group. The ${el === 'vm' ? 'VM' : 'host'} is already in the affinity group.`,
          );
        g.data[kind] = { [el]: [...members, ref(kind, member.id)] };
        c.sim.onChange();
        return { status: 201, ...one(member, 201) };
      },
    },
    {
      method: 'DELETE',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}/{id}`,
      handler: (c) => {
        const g = group(c);
        const members = list(g.data, `${kind}.${el}`);
        if (!members.some((r) => r.id === c.params.id)) throw new EngineFault(404, '');
        g.data[kind] = { [el]: members.filter((r) => r.id !== c.params.id) };
        c.sim.onChange();
        return actionDone();
      },
    },
  ];
}

/** Routes of the inventory and the small collections. */
export const inventoryRoutes: Route[] = [
  ...(
    [
      'clusters',
      'hosts',
      'storagedomains',
      'datacenters',
      'networks',
      'instancetypes',
      'jobs',
      'macpools',
      'operatingsystems',
    ] as Kind[]
  ).flatMap(readOnly),
  underDc('clusters', 'data_center.id'),
  underDc('networks', 'data_center.id'),
  {
    method: 'GET',
    pattern: 'networks/{net}/vnicprofiles',
    handler: (c) =>
      many(
        'vnicprofiles',
        c.sim.store
          .list('vnicprofiles')
          .filter((p) => str(p.data, 'network.id') === c.sim.must('networks', c.params.net).id),
      ),
  },
  ...readOnly('vnicprofiles'),
  {
    method: 'POST',
    pattern: 'vnicprofiles',
    root: 'vnic_profile',
    service: 'vnic_profiles/methods/add',
    handler: (c) => {
      const net = c.sim.resolve('networks', sub(c.body, 'network'));
      if (!net) throw incomplete('VnicProfile', 'network.id');
      return addNamed(
        c,
        'vnicprofiles',
        'VnicProfile',
        { network: ref('networks', net.id), pass_through: { mode: 'disabled' }, port_mirroring: false },
        "Cannot add VM network interface profile. The VM network interface profile's name is already used by an existing profile for the same network.",
      );
    },
  },
  { method: 'DELETE', pattern: 'vnicprofiles/{id}', handler: removeOf('vnicprofiles') },
  ...readOnly('tags'),
  {
    method: 'POST',
    pattern: 'tags',
    root: 'tag',
    service: 'tags/methods/add',
    handler: (c) =>
      addNamed(
        c,
        'tags',
        'Tag',
        { parent: ref('tags', '00000000-0000-0000-0000-000000000000') },
        'The specified Tag name already exists.',
      ),
  },
  {
    method: 'PUT',
    pattern: 'tags/{id}',
    root: 'tag',
    service: 'tag/methods/update',
    handler: (c) => {
      const tag = c.sim.must('tags', c.params.id);
      const name = str(c.body, 'name');
      if (
        name !== undefined &&
        name !== str(tag.data, 'name') &&
        c.sim.store.list('tags').some((t) => str(t.data, 'name') === name)
      ) {
        throw opFailed(409, 'The specified Tag name already exists.');
      }
      for (const k of ['name', 'description']) if (str(c.body, k) !== undefined) tag.data[k] = str(c.body, k);
      c.sim.onChange();
      return one(tag);
    },
  },
  {
    method: 'DELETE',
    pattern: 'tags/{id}',
    handler: removeOf('tags', (c, tag) => {
      for (const vm of c.sim.store.list('vms'))
        vm.meta.tags = ((vm.meta.tags as string[] | undefined) ?? []).filter((t) => t !== tag.id);
    }),
  },
  {
    method: 'GET',
    pattern: 'clusters/{cluster}/affinitygroups',
    handler: (c) =>
      many(
        'affinitygroups',
        searched(c, c.sim.store.list('affinitygroups', c.sim.must('clusters', c.params.cluster).id)),
      ),
  },
  {
    method: 'POST',
    pattern: 'clusters/{cluster}/affinitygroups',
    root: 'affinity_group',
    service: 'affinity_groups/methods/add',
    handler: addGroup,
  },
  {
    method: 'GET',
    pattern: 'clusters/{cluster}/affinitygroups/{id}',
    handler: (c) => one(c.sim.must('affinitygroups', c.params.id, c.params.cluster)),
  },
  {
    method: 'PUT',
    pattern: 'clusters/{cluster}/affinitygroups/{id}',
    root: 'affinity_group',
    service: 'affinity_group/methods/update',
    handler: updateGroup,
  },
  { method: 'DELETE', pattern: 'clusters/{cluster}/affinitygroups/{id}', handler: removeOf('affinitygroups') },
  ...membership('vms'),
  ...membership('hosts'),
];

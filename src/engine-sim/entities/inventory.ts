/** Inventory (read-only kinds), vNIC profiles, tags, jobs and affinity groups. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, bool, list, num, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone, many, one, searched } from '../engine/handler';
import { Entity, Kind, ref } from '../store/store';

export function underDc(kind: Kind, refPath: string): Route {
  return {
    method: 'GET',
    pattern: `datacenters/{dc}/${kind}`,
    handler: (ctx) => {
      const dc = ctx.sim.must('datacenters', ctx.params.dc);
      return many(
        kind,
        searched(
          ctx,
          ctx.sim.store
            .list(kind)
            .filter((e) => str(e.data, refPath) === dc.id || list(e.data, refPath).some((r) => r.id === dc.id)),
        ),
      );
    },
  };
}

function addNamed(ctx: Ctx, kind: Kind, type: string, data: Tree, dupText: string, parent?: string): Reply {
  const name = str(ctx.body, 'name');
  if (!name) throw incomplete(type, 'name');
  if (ctx.sim.store.list(kind, parent).some((e) => str(e.data, 'name') === name)) throw opFailed(409, dupText);
  const entity = ctx.sim.store.put({
    kind,
    id: ctx.sim.newId(),
    parent,
    meta: {},
    data: { name, description: str(ctx.body, 'description') ?? '', ...data },
  });
  ctx.sim.onChange();
  return { ...one(entity, 201), location: entity.id };
}

export function removeOf(kind: Kind, before?: (c: Ctx, e: Entity) => void): Route['handler'] {
  return (ctx) => {
    const entity = ctx.sim.must(kind, ctx.params.id, ctx.params.cluster);
    before?.(ctx, entity);
    ctx.sim.store.remove(kind, entity.id, entity.parent);
    ctx.sim.onChange();
    return actionDone();
  };
}

function rule(tree: Tree | undefined): Tree {
  return {
    enabled: bool(tree, 'enabled') ?? true,
    enforcing: bool(tree, 'enforcing') ?? false,
    positive: bool(tree, 'positive') ?? true,
  };
}

export function addGroup(ctx: Ctx): Reply {
  const cluster = ctx.sim.must('clusters', ctx.params.cluster);
  return addNamed(
    ctx,
    'affinitygroups',
    'AffinityGroup',
    {
      cluster: ref('clusters', cluster.id),
      enforcing: bool(ctx.body, 'enforcing') ?? false,
      positive: bool(ctx.body, 'positive') ?? true,
      priority: num(ctx.body, 'priority') ?? 1,
      broken: false,
      hosts_rule: rule(sub(ctx.body, 'hosts_rule')),
      vms_rule: rule(sub(ctx.body, 'vms_rule')),
      vms: { vm: [] },
      hosts: { host: [] },
    },
    'Cannot add Affinity Group. Affinity Group name already exists.',
    cluster.id,
  );
}

export function updateGroup(ctx: Ctx): Reply {
  const group = ctx.sim.must('affinitygroups', ctx.params.id, ctx.params.cluster);
  const name = str(ctx.body, 'name');
  if (
    name &&
    name !== str(group.data, 'name') &&
    ctx.sim.store.list('affinitygroups', group.parent).some((e) => str(e.data, 'name') === name)
  ) {
    throw opFailed(409, 'Cannot edit Affinity Group. Affinity Group name already exists.');
  }
  for (const k of ['name', 'description', 'enforcing', 'positive', 'priority'])
    if (str(ctx.body, k) !== undefined) group.data[k] = str(ctx.body, k);
  for (const k of ['hosts_rule', 'vms_rule'])
    if (sub(ctx.body, k)) group.data[k] = { ...rule(sub(group.data, k)), ...rule(sub(ctx.body, k)) };
  ctx.sim.onChange();
  return one(group);
}

/** Membership routes `/clusters/{c}/affinitygroups/{g}/vms|hosts`. */
export function membership(kind: 'vms' | 'hosts'): Route[] {
  const el = kind === 'vms' ? 'vm' : 'host';
  const group = (c: Ctx): Entity => c.sim.must('affinitygroups', c.params.g, c.params.cluster);
  return [
    {
      method: 'GET',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}`,
      handler: (ctx) =>
        many(
          kind,
          list(group(ctx).data, `${kind}.${el}`)
            .map((r) => ctx.sim.store.get(kind, String(r.id)))
            .filter((e): e is Entity => !!e),
        ),
    },
    {
      method: 'POST',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}`,
      root: el,
      service: `affinity_group_${kind}/methods/add`,
      handler: (ctx) => {
        const affinityGroup = group(ctx);
        const member = ctx.sim.resolve(kind, ctx.body);
        if (!member) throw incomplete(el === 'vm' ? 'Vm' : 'Host', 'id|name');
        const members = list(affinityGroup.data, `${kind}.${el}`);
        if (members.some((r) => r.id === member.id))
          throw opFailed(
            409,
            `Cannot edit Affinity Group. The ${el === 'vm' ? 'VM' : 'host'} is already in the affinity group.`,
          );
        affinityGroup.data[kind] = { [el]: [...members, ref(kind, member.id)] };
        ctx.sim.onChange();
        return { status: 201, ...one(member, 201) };
      },
    },
    {
      method: 'DELETE',
      pattern: `clusters/{cluster}/affinitygroups/{g}/${kind}/{id}`,
      handler: (ctx) => {
        const affinityGroup = group(ctx);
        const members = list(affinityGroup.data, `${kind}.${el}`);
        if (!members.some((r) => r.id === ctx.params.id)) throw new EngineFault(404, '');
        affinityGroup.data[kind] = { [el]: members.filter((r) => r.id !== ctx.params.id) };
        ctx.sim.onChange();
        return actionDone();
      },
    },
  ];
}

/** `GET /networks/{net}/vnicprofiles`. */
export function listNetworksVnicprofiles(ctx: Ctx): Reply {
  return many(
    'vnicprofiles',
    ctx.sim.store
      .list('vnicprofiles')
      .filter((p) => str(p.data, 'network.id') === ctx.sim.must('networks', ctx.params.net).id),
  );
}

/** `POST /vnicprofiles`. */
export function addVnicProfile(ctx: Ctx): Reply {
  const net = ctx.sim.resolve('networks', sub(ctx.body, 'network'));
  if (!net) throw incomplete('VnicProfile', 'network.id');
  return addNamed(
    ctx,
    'vnicprofiles',
    'VnicProfile',
    { network: ref('networks', net.id), pass_through: { mode: 'disabled' }, port_mirroring: false },
    "Cannot add VM network interface profile. The VM network interface profile's name is already used by an existing profile for the same network.",
  );
}

/** `POST /tags`. */
export function addTag(ctx: Ctx): Reply {
  return addNamed(
    ctx,
    'tags',
    'Tag',
    { parent: ref('tags', '00000000-0000-0000-0000-000000000000') },
    'The specified Tag name already exists.',
  );
}

/** `PUT /tags/{id}`. */
export function updateTag(ctx: Ctx): Reply {
  const tag = ctx.sim.must('tags', ctx.params.id);
  const name = str(ctx.body, 'name');
  if (
    name !== undefined &&
    name !== str(tag.data, 'name') &&
    ctx.sim.store.list('tags').some((t) => str(t.data, 'name') === name)
  ) {
    throw opFailed(409, 'The specified Tag name already exists.');
  }
  for (const k of ['name', 'description']) if (str(ctx.body, k) !== undefined) tag.data[k] = str(ctx.body, k);
  ctx.sim.onChange();
  return one(tag);
}

/** `GET /clusters/{cluster}/affinitygroups`. */
export function listClustersAffinitygroups(ctx: Ctx): Reply {
  return many(
    'affinitygroups',
    searched(ctx, ctx.sim.store.list('affinitygroups', ctx.sim.must('clusters', ctx.params.cluster).id)),
  );
}

/** `GET /clusters/{cluster}/affinitygroups/{id}`. */
export function getClustersAffinitygroups(ctx: Ctx): Reply {
  return one(ctx.sim.must('affinitygroups', ctx.params.id, ctx.params.cluster));
}

/** `DELETE /tags/{id}`: the tag also leaves every VM that carries it. */
export const removeTag = removeOf('tags', (ctx, tag) => {
  for (const vm of ctx.sim.store.list('vms'))
    vm.meta.tags = ((vm.meta.tags as string[] | undefined) ?? []).filter((t) => t !== tag.id);
});

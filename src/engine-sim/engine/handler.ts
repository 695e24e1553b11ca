/** Route table types and the reply helpers handlers share. */
import { EngineFault } from '../errors';
import { render } from './render';
import { Tree, parseBoolean } from '../store/repr';
import { matches, parseSearch } from '../store/search';
import { Sim } from './sim';
import { Entity, Kind } from '../store/store';

/** The `{name}` path parameters route patterns use; the router fills exactly those of the matched pattern. */
export type ParamName = 'id' | 'vm' | 'p' | 't' | 's' | 'g' | 'dc' | 'sd' | 'cluster' | 'net';

/** One API request as a handler sees it. */
export interface Ctx {
  sim: Sim;
  method: string;
  params: Readonly<Record<ParamName, string>>;
  query: Record<string, string>;
  body: Tree;
  correlationId: string;
}

/** A handler's answer: an element (rendered as XML or JSON) or nothing. */
export interface Reply {
  status?: number;
  root?: string;
  body?: Tree;
  location?: string;
}

/** A route: `pattern` uses `{name}` for path parameters; `root` is the body element expected. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  handler: (c: Ctx) => Reply;
  root?: string;
  /** The apidoc service path named in "Request syntactically incorrect." details. */
  service?: string;
  /** Path parameters that are not UUIDs (graphics console ids are hex-encoded protocol names). */
  opaque?: string[];
}

/** Element name of one object of each kind. */
export const SINGULAR: Record<Kind, string> = {
  vms: 'vm',
  templates: 'template',
  disks: 'disk',
  clusters: 'cluster',
  hosts: 'host',
  storagedomains: 'storage_domain',
  datacenters: 'data_center',
  networks: 'network',
  vnicprofiles: 'vnic_profile',
  tags: 'tag',
  jobs: 'job',
  affinitygroups: 'affinity_group',
  nics: 'nic',
  diskattachments: 'disk_attachment',
  reporteddevices: 'reported_device',
  instancetypes: 'instance_type',
  macpools: 'mac_pool',
  snapshots: 'snapshot',
  imagetransfers: 'image_transfer',
  operatingsystems: 'operating_system',
};

/** An engine boolean query parameter (`?x`, `?x=true`, `;x`) with its default. */
export function flag(ctx: Ctx, name: string, dflt = false): boolean {
  const value = ctx.query[name];
  return value === undefined ? dflt : parseBoolean(value);
}

/** Reply with one object. */
export function one(entity: Entity, status = 200, data?: Tree): Reply {
  return { status, root: SINGULAR[entity.kind], body: render(entity, data) };
}

/** Reply with a collection, e.g. `<vms><vm/>...</vms>`. */
export function many(kind: Kind, items: Entity[], view?: (e: Entity) => Tree): Reply {
  const text = SINGULAR[kind];
  return {
    root: `${text}s`.replace(/ys$/, 'ies'),
    body: { [text]: items.map((e) => render(e, view ? view(e) : e.data)) },
  };
}

/** Filters by `search` and `max`, as list operations do. */
export function searched(ctx: Ctx, items: Entity[]): Entity[] {
  let out = items;
  if (ctx.query.search) {
    const clauses = parseSearch(ctx.query.search, flag(ctx, 'case_sensitive', false));
    out = out.filter((e) => matches(e, clauses, (x) => ctx.sim.tagNames(x)));
  }
  const max = ctx.query.max === undefined ? NaN : Number(ctx.query.max);
  return Number.isInteger(max) && max >= 0 ? out.slice(0, max) : out;
}

/** The `<action>` answer of a successful action. */
export function actionDone(extra: Tree = {}, status = 200): Reply {
  return { status, root: 'action', body: { ...extra, status: 'complete' } };
}

/** Kinds whose ids are not UUIDs: the engine numbers its operating systems (0 = other, 5 = rhel_6, ...). */
const NUMBERED: ReadonlySet<Kind> = new Set<Kind>(['operatingsystems']);

/** Read-only list and get routes for a top-level kind. */
export function readOnly(kind: Kind): Route[] {
  return [
    { method: 'GET', pattern: kind, handler: (c) => many(kind, searched(c, c.sim.store.list(kind))) },
    {
      method: 'GET',
      pattern: `${kind}/{id}`,
      ...(NUMBERED.has(kind) ? { opaque: ['id'] } : {}),
      handler: (c) => one(c.sim.must(kind, c.params.id)),
    },
  ];
}

/** A 400 for a value the engine would not accept. */
export function badValue(detail: string): EngineFault {
  return new EngineFault(400, 'Invalid value', detail);
}

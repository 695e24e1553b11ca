/** The API request pipeline: routing, body parsing, faults, rendering. */
import { ADMIN_USER_ID, Sim } from '../engine/sim';
import { EngineFault, syntax } from '../errors';
import { Tree, parseBody, toJson, toXml } from '../store/repr';
import { Ctx, Reply, Route } from '../engine/handler';
import { API } from '../store/store';
import { TOP_LEVEL_DERIVED } from '../entities/derived';
import { ROUTES as TABLE } from './routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Compiled {
  route: Route;
  segs: string[];
  counterKey: string;
}

const ROUTES: Compiled[] = TABLE.map((route) => ({
  route,
  segs: route.pattern.split('/'),
  counterKey: `${route.method} /${route.pattern.replace(/\{[a-z]+\}/g, '{id}')}`,
}));

/** An HTTP answer of the API. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function match(method: string, segs: string[]): { c: Compiled; params: Record<string, string> } | 'method' | undefined {
  let pathMatched = false;
  for (const c of ROUTES) {
    if (c.segs.length !== segs.length) continue;
    const params: Record<string, string> = {};
    if (!c.segs.every((s, i) => (s.startsWith('{') ? ((params[s.slice(1, -1)] = segs[i]!), true) : s === segs[i])))
      continue;
    pathMatched = true;
    if (c.route.method === method) return { c, params };
  }
  return pathMatched ? 'method' : undefined;
}

function apiRoot(sim: Sim): Tree {
  const rels = [
    'clusters',
    'datacenters',
    'disks',
    'hosts',
    'jobs',
    'networks',
    'storagedomains',
    'tags',
    'templates',
    'vms',
    'vnicprofiles',
    'instancetypes',
    'macpools',
    'imagetransfers',
    'operatingsystems',
  ];
  const count = (kind: 'vms' | 'hosts' | 'storagedomains', active: (s: string) => boolean): Tree => {
    const all = sim.store.list(kind);
    return { active: all.filter((e) => active(String(e.data.status ?? ''))).length, total: all.length };
  };
  return {
    link: [
      ...rels.flatMap((rest) => [
        { href: `${API}/${rest}`, rel: rest },
        { href: `${API}/${rest}?search={query}`, rel: `${rest}/search` },
      ]),
      ...TOP_LEVEL_DERIVED.map((r) => ({ href: `${API}/${r}`, rel: r })),
    ],
    authenticated_user: { href: `${API}/users/${ADMIN_USER_ID}`, id: ADMIN_USER_ID },
    effective_user: { href: `${API}/users/${ADMIN_USER_ID}`, id: ADMIN_USER_ID },
    product_info: {
      instance_id: '5a1e0000-0000-4000-8000-0000000001d0',
      name: 'oVirt Engine',
      vendor: 'ovirt.org',
      version: { build: 5, full_version: '4.5.5-sim', major: 4, minor: 5, revision: 0 },
    },
    special_objects: {
      blank_template: {
        href: `${API}/templates/00000000-0000-0000-0000-000000000000`,
        id: '00000000-0000-0000-0000-000000000000',
      },
      root_tag: {
        href: `${API}/tags/00000000-0000-0000-0000-000000000000`,
        id: '00000000-0000-0000-0000-000000000000',
      },
    },
    summary: {
      hosts: count('hosts', (s) => s === 'up'),
      storage_domains: count('storagedomains', (s) => s === 'active'),
      users: { active: 1, total: 1 },
      vms: count('vms', (s) => s === 'up'),
    },
    time: sim.nowIso(),
  };
}

function render(root: string, body: Tree, json: boolean): { type: string; text: string } {
  return json
    ? { type: 'application/json', text: toJson(body) }
    : { type: 'application/xml;charset=UTF-8', text: toXml(root, body) };
}

/** Maps an engine fault to an HTTP answer (404 empty; action failures wrapped in `<action>`). */
function faultAnswer(
  engineFault: EngineFault,
  json: boolean,
  isAction: boolean,
): { status: number; type?: string; text: string } {
  if (engineFault.status === 404 && !engineFault.reason) return { status: 404, text: '' };
  const fault: Tree = { reason: engineFault.reason, detail: engineFault.detail };
  const rendered = isAction ? render('action', { fault, status: 'failed' }, json) : render('fault', fault, json);
  return { status: engineFault.status, type: rendered.type, text: rendered.text };
}

/**
 * Handles one authenticated API request. `segs` are the path segments after `/ovirt-engine/api`.
 * Returns the answer; the caller applies latency, resets and 503s before calling this.
 */
export function handleApi(
  sim: Sim,
  method: string,
  segs: string[],
  query: Record<string, string>,
  bodyText: string,
  headers: Record<string, string | undefined>,
  correlationId: string,
  origin: string,
): ApiAnswer {
  const json = (headers.accept ?? '').includes('application/json');
  const out = (status: number, type: string | undefined, text: string): ApiAnswer => ({
    status,
    body: text,
    headers: { 'correlation-id': correlationId, ...(type ? { 'content-type': type } : {}) },
  });
  if (segs.length === 0) {
    sim.counters[`${method} /`] = (sim.counters[`${method} /`] ?? 0) + 1;
    const rendered = render('api', apiRoot(sim), json);
    return out(200, rendered.type, rendered.text);
  }
  const matched = match(method, segs);
  if (matched === undefined || matched === 'method') {
    sim.counters[`${method} (unmatched)`] = (sim.counters[`${method} (unmatched)`] ?? 0) + 1;
    return out(matched === 'method' ? 405 : 404, undefined, '');
  }
  const { c: compiled, params } = matched;
  sim.counters[compiled.counterKey] = (sim.counters[compiled.counterKey] ?? 0) + 1;
  const isAction = compiled.route.root === 'action';
  try {
    const bad = Object.entries(params).find(([k, v]) => !compiled.route.opaque?.includes(k) && !UUID.test(v))?.[1];
    if (bad !== undefined) throw new EngineFault(400, 'Operation failed', `Invalid UUID string: ${bad}`);
    let body: Tree = {};
    if (compiled.route.root) {
      const isJson = (headers['content-type'] ?? '').includes('json');
      if (bodyText.trim() === '') {
        if (!isAction) throw syntax(compiled.route.service ?? compiled.route.pattern);
      } else {
        let parsed;
        try {
          parsed = parseBody(bodyText, isJson);
        } catch {
          throw syntax(compiled.route.service ?? compiled.route.pattern);
        }
        if (parsed.root !== undefined && parsed.root !== compiled.route.root)
          throw syntax(compiled.route.service ?? compiled.route.pattern);
        body = parsed.tree;
      }
    }
    if (method !== 'GET' && sim.faults.pLocked && sim.rng.next() < sim.faults.pLocked) {
      sim.countFault('locked');
      throw new EngineFault(
        409,
        'Operation Failed',
        '[Cannot complete the operation. Related operation is currently in progress. Please try again later.]',
      );
    }
    // A handler reads only the names its own pattern declares (the route table is ours), so the cast holds.
    const ctx: Ctx = { sim, method, params: params as Ctx['params'], query, body, correlationId };
    const reply: Reply = compiled.route.handler(ctx);
    const headersOut: Record<string, string> = {};
    if (reply.location !== undefined && reply.body && typeof reply.body.href === 'string')
      headersOut.location = origin + reply.body.href;
    if (!reply.root || !reply.body) return out(reply.status ?? 200, undefined, '');
    const rendered = render(reply.root, reply.body, json);
    const answer = out(reply.status ?? 200, rendered.type, rendered.text);
    Object.assign(answer.headers, headersOut);
    return answer;
  } catch (err) {
    if (!(err instanceof EngineFault)) throw err;
    const failure = faultAnswer(err, json, isAction);
    return out(failure.status, failure.type, failure.text);
  }
}

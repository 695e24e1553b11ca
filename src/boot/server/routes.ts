/**
 * Every route of the boot server in one table: `/boot.ipxe`, `/ipxe`, `/ignition`,
 * `/ignition/<token>`, `/assets/...`, `/healthz`, `/metrics` and the admin API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressAllowed, normalizeMac, normalizeUuid } from '../entry';
import { BootError } from '../errors';
import { chainScript, localBootScript } from '../ipxe/builder';
import { serveAsset } from './assets';
import type { CompiledEntry, MachineQuery } from './catalog';
import { clientAddress, parseTarget, prepare, send, sendError, sendPrepared } from './http';
import type { MachineId } from './machines';
import type { BootService } from './service';
import { handleAdmin } from './admin';

/** What the route handlers need besides the request. */
export interface RouteContext {
  service: BootService;
  assetsDir?: string;
  adminToken?: string;
  maxBodyBytes: number;
  /** Logs boot events (entry, machine, source); never bodies. */
  log: (line: string) => void;
  logRequests: boolean;
}

const IPXE_TYPE = 'text/plain; charset=utf-8';
const CHAIN = prepare(IPXE_TYPE, Buffer.from(chainScript()));
const LOCAL = {
  exit: prepare(IPXE_TYPE, Buffer.from(localBootScript('exit'))),
  sanboot: prepare(IPXE_TYPE, Buffer.from(localBootScript('sanboot'))),
};

/** iPXE's `${mac:hexhyp}` (lowercase, hyphens) is what machines send: one replace makes it canonical. */
const HEXHYP = /^[0-9a-f]{2}(?:-[0-9a-f]{2}){5}$/;

function machineQuery(query: Map<string, string>): MachineQuery {
  const rawMac = query.get('mac');
  const rawUuid = query.get('uuid');
  const mac = rawMac ? (HEXHYP.test(rawMac) ? rawMac.replaceAll('-', ':') : normalizeMac(rawMac)) : undefined;
  if (rawMac && !mac) throw new BootError('invalid_request', `mac "${rawMac.slice(0, 40)}" is not a MAC address`);
  const uuid = rawUuid ? normalizeUuid(rawUuid) : undefined;
  if (rawUuid && !uuid) throw new BootError('invalid_request', `uuid "${rawUuid.slice(0, 60)}" is not a UUID`);
  return { mac, uuid, labels: query };
}

function describe(q: MachineQuery): string {
  return `mac=${q.mac ?? '-'} uuid=${q.uuid ?? '-'}`;
}

function select(ctx: RouteContext, q: MachineQuery): CompiledEntry {
  const e = ctx.service.catalog.select(q);
  if (!e) throw new BootError('not_found', `no boot entry matches ${describe(q)}`);
  return e;
}

function checkSource(e: CompiledEntry, source: string): void {
  if (e.sources && !addressAllowed(source, e.sources)) {
    throw new BootError('forbidden', `entry ${e.name} is not served to ${source}`);
  }
}

function serveIpxe(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, query: Map<string, string>): void {
  const q = machineQuery(query);
  const e = select(ctx, q);
  const id: MachineId = { mac: q.mac, uuid: q.uuid, source: clientAddress(req) };
  checkSource(e, id.source);
  if (!e.ipxe) throw new BootError('not_found', `entry ${e.name} has no iPXE configuration`);
  const { machines, metrics } = ctx.service;
  if (e.oneShot && machines.installed(e.name, id)) {
    metrics.fetch(e.name, 'local_boot');
    machines.record(e.name, id, 'ipxe');
    sendPrepared(req, res, LOCAL[e.localBoot]);
    return;
  }
  machines.record(e.name, id, 'ipxe');
  metrics.fetch(e.name, 'ipxe');
  if (ctx.logRequests) ctx.log(`boot: ipxe entry=${e.name} ${describe(q)} source=${id.source}`);
  sendPrepared(req, res, e.ipxe);
}

function serveIgnition(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, e: CompiledEntry, q: MachineQuery): void {
  const id: MachineId = { mac: q.mac, uuid: q.uuid, source: clientAddress(req) };
  checkSource(e, id.source);
  if (!e.ignition) throw new BootError('not_found', `entry ${e.name} has no Ignition config`);
  ctx.service.machines.record(e.name, id, 'ignition');
  ctx.service.metrics.fetch(e.name, 'ignition');
  if (ctx.logRequests) ctx.log(`boot: ignition entry=${e.name} ${describe(q)} source=${id.source}`);
  const ign = e.ignition;
  if (req.headers['if-none-match'] === ign.etag) { res.writeHead(304, { etag: ign.etag }); res.end(); return; }
  sendPrepared(req, res, /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') ? ign.gzip : ign.raw);
}

function ignitionByQuery(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, query: Map<string, string>): void {
  const q = machineQuery(query);
  const e = select(ctx, q);
  if (e.token) throw new BootError('forbidden', `entry ${e.name} serves its Ignition only at its token URL`);
  serveIgnition(ctx, req, res, e, q);
}

function ignitionByToken(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, token: string, query: Map<string, string>): void {
  const e = ctx.service.catalog.byTokenValue(token);
  if (!e) throw new BootError('not_found', 'unknown Ignition token');
  serveIgnition(ctx, req, res, e, machineQuery(query));
}

/**
 * Routes one request and returns the route name; only the admin API and assets are
 * asynchronous, so the boot routes answer without allocating a promise.
 */
export function route(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): string | Promise<string> {
  const { path, query } = parseTarget(req.url ?? '/');
  if (path.startsWith('/api/')) return handleAdmin(ctx, req, res, path).then(() => 'admin');
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new BootError('method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 80)}`);
  switch (path) {
    case '/boot.ipxe': case '/boot.ipxe.0':
      sendPrepared(req, res, CHAIN); return 'boot.ipxe';
    case '/ipxe':
      serveIpxe(ctx, req, res, query); return 'ipxe';
    case '/ignition':
      ignitionByQuery(ctx, req, res, query); return 'ignition';
    case '/healthz':
      send(req, res, 200, 'text/plain', 'ok\n'); return 'healthz';
    case '/metrics':
      send(req, res, 200, 'text/plain; version=0.0.4', ctx.service.metrics.render(ctx.service.catalog.size)); return 'metrics';
    default:
      break;
  }
  if (path.startsWith('/ignition/')) { ignitionByToken(ctx, req, res, path.slice(10), query); return 'ignition_token'; }
  if (path.startsWith('/assets/') && ctx.assetsDir) return serveAsset(ctx.assetsDir, path.slice(8), req, res).then(() => 'assets');
  throw new BootError('not_found', `no route for ${path.slice(0, 80)}`);
}

/** The request listener: routes, answers errors with their reason, counts. */
export function handler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = ctx.service.metrics;
  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    const e = BootError.is(err) ? err : new BootError('unavailable', 'internal error', { status: 500 });
    if (!BootError.is(err)) ctx.log(`error: ${req.method} ${(req.url ?? '').split('?')[0]}: ${(err as Error).stack ?? String(err)}`);
    if (!res.headersSent) sendError(req, res, e); else res.destroy();
    metrics.request('error', e.status);
  };
  return (req, res) => {
    let r: string | Promise<string>;
    try { r = route(ctx, req, res); } catch (err) { failed(req, res, err); return; }
    if (typeof r === 'string') metrics.request(r, res.statusCode);
    else r.then((name) => metrics.request(name, res.statusCode), (err: unknown) => failed(req, res, err));
  };
}

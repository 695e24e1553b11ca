/**
 * Every route of the boot server in one table: `/boot.ipxe`, `/ipxe`, `/ignition`,
 * `/ignition/<token>`, `/assets/...`, `/healthz`, `/metrics`, the admin API and the live view (`/ui`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressAllowed, normalizeMac, normalizeUuid } from '../entry';
import { BootError } from '../errors';
import { chainScript, failureScript, localBootScript } from '../ipxe/builder';
import { GRUB_LOCAL_BOOT, grubBootConfig, grubChainConfig } from '../ipxe/grub';
import { serveAsset } from './assets';
import { storageError } from './store';
import { compileIgnition, matchesAll, type CompiledEntry, type CompiledIgnition, type MachineQuery } from './catalog';
import { renderIgnition } from '../ignition/template';
import { clientAddress, parseTarget, prepare, send, sendError, sendPrepared, type Prepared } from './http';
import { openApiDocument } from './openapi';
import type { MachineId } from './machines';
import { handleAdmin } from './admin';
import type { Outcome, RouteContext } from './context';
import { handleUi } from './ui';

const IPXE_TYPE = 'text/plain; charset=utf-8';
const CHAIN = prepare(IPXE_TYPE, Buffer.from(chainScript()));
const LOCAL = {
  exit: prepare(IPXE_TYPE, Buffer.from(localBootScript('exit'))),
  sanboot: prepare(IPXE_TYPE, Buffer.from(localBootScript('sanboot'))),
};

let openApiAnswer: Prepared | undefined;
/** The OpenAPI document, built on first request. */
function openApi(): Prepared {
  openApiAnswer ??= prepare('application/json', Buffer.from(JSON.stringify(openApiDocument(), null, 2) + '\n'));
  return openApiAnswer;
}

/** iPXE's `${mac:hexhyp}` (lowercase, hyphens) is what machines send: one replace makes it canonical. */
const HEXHYP = /^[0-9a-f]{2}(?:-[0-9a-f]{2}){5}$/;

function machineQuery(query: Map<string, string>): MachineQuery {
  const rawMac = query.get('mac');
  const rawUuid = query.get('uuid');
  const mac = rawMac ? (HEXHYP.test(rawMac) ? rawMac.replaceAll('-', ':') : normalizeMac(rawMac)) : undefined;
  if (rawMac && !mac)
    throw new BootError('invalid_request', `mac "${rawMac.slice(0, 40)}" is not a MAC address`, {
      refusal: 'bad_request',
    });
  const uuid = rawUuid ? normalizeUuid(rawUuid) : undefined;
  if (rawUuid && !uuid)
    throw new BootError('invalid_request', `uuid "${rawUuid.slice(0, 60)}" is not a UUID`, { refusal: 'bad_request' });
  return { mac, uuid, labels: query };
}

function describe(q: MachineQuery): string {
  return `mac=${q.mac ?? '-'} uuid=${q.uuid ?? '-'}`;
}

function select(ctx: RouteContext, q: MachineQuery): CompiledEntry {
  const e = ctx.service.catalog.select(q);
  if (!e) throw new BootError('not_found', `no boot entry matches ${describe(q)}`, { refusal: 'unknown_machine' });
  return e;
}

function checkSource(e: CompiledEntry, source: string): void {
  if (e.sources && !addressAllowed(source, e.sources)) {
    throw new BootError('forbidden', `entry ${e.name} is not served to ${source}`, { refusal: 'source' });
  }
}

/** The entry whose iPXE a machine gets, or the refusal. */
function ipxeEntry(ctx: RouteContext, q: MachineQuery, source: string): CompiledEntry {
  const e = select(ctx, q);
  checkSource(e, source);
  if (!e.ipxe) throw new BootError('not_found', `entry ${e.name} has no iPXE configuration`, { refusal: 'no_ipxe' });
  return e;
}

/**
 * Whether a one-shot machine is installed: at once from memory, or (a promise) from a shared
 * store when memory says not yet; `answer` then runs with the verdict.
 */
function whenInstalled(
  ctx: RouteContext,
  e: CompiledEntry,
  id: MachineId,
  answer: (installed: boolean) => Outcome,
): Outcome | Promise<Outcome> {
  const installed = e.oneShot && ctx.service.machines.installedNow(e.name, id, e.soleMachine);
  return installed instanceof Promise ? installed.then(answer) : answer(installed);
}

function serveIpxe(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const q = machineQuery(query);
  const id: MachineId = { mac: q.mac, uuid: q.uuid, source: clientAddress(req) };
  const e = ipxeEntry(ctx, q, id.source);
  return whenInstalled(ctx, e, id, (installed) => answerIpxe(ctx, req, res, e, id, q, installed));
}

function answerIpxe(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  e: CompiledEntry,
  id: MachineId,
  q: MachineQuery,
  installed: boolean,
): Outcome {
  const { machines, metrics } = ctx.service;
  const head = req.method === 'HEAD';
  if (installed) {
    if (!head) {
      metrics.fetch(e.name, 'local_boot');
      machines.record(e.name, id, 'local_boot');
    }
    sendPrepared(req, res, LOCAL[e.localBoot]);
    return { route: 'ipxe', event: 'local_boot', entry: e.name, q };
  }
  if (!head) {
    machines.record(e.name, id, 'ipxe');
    metrics.fetch(e.name, 'ipxe');
  }
  sendPrepared(req, res, e.ipxe!);
  return { route: 'ipxe', event: 'ipxe', entry: e.name, q };
}

/** iPXE variables the server can fill for a GRUB machine: it knows the MAC and UUID from the query. */
function forMachine(s: string, q: MachineQuery): string {
  return s
    .replaceAll('${mac:hexhyp}', q.mac?.replaceAll(':', '-') ?? '')
    .replaceAll('${mac}', q.mac ?? '')
    .replaceAll('${uuid}', q.uuid ?? '');
}

/** `/grub`: the entry's kernel boot as a GRUB config, rendered for this machine. */
function serveGrub(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const q = machineQuery(query);
  const id: MachineId = { mac: q.mac, uuid: q.uuid, source: clientAddress(req) };
  const e = ipxeEntry(ctx, q, id.source);
  return whenInstalled(ctx, e, id, (installed) => answerGrub(ctx, req, res, e, id, q, installed));
}

function answerGrub(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  e: CompiledEntry,
  id: MachineId,
  q: MachineQuery,
  installed: boolean,
): Outcome {
  const { machines, metrics } = ctx.service;
  const head = req.method === 'HEAD';
  if (installed) {
    if (!head) {
      metrics.fetch(e.name, 'local_boot');
      machines.record(e.name, id, 'local_boot');
    }
    send(req, res, 200, IPXE_TYPE, GRUB_LOCAL_BOOT);
    return { route: 'grub', event: 'local_boot', entry: e.name, q };
  }
  const k = e.kernelBoot;
  if (!k)
    throw new BootError('not_found', `entry ${e.name} has a raw iPXE script, which GRUB cannot run (use ipxe.kernel)`);
  const config = grubBootConfig(
    e.name,
    {
      kernel: forMachine(k.kernel, q),
      initrd: k.initrd.map((i) => forMachine(i, q)),
      args: k.args.map((a) => forMachine(a, q)),
    },
    ctx.service.publicUrl,
  );
  if (!head) {
    machines.record(e.name, id, 'ipxe');
    metrics.fetch(e.name, 'ipxe');
  }
  send(req, res, 200, IPXE_TYPE, config);
  return { route: 'grub', event: 'grub', entry: e.name, q };
}

/**
 * `/metadata`: the selected entry's metadata, its labels and the machine's facts as `KEY=value`
 * lines (keys upper-cased, `.`/`-` as `_`), e.g. for a systemd EnvironmentFile.
 */
function serveMetadata(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome {
  const q = machineQuery(query);
  const e = select(ctx, q);
  checkSource(e, clientAddress(req));
  const vars = new Map<string, string>([
    ['entry', e.name],
    ...(q.mac ? ([['mac', q.mac]] as const) : []),
    ...(q.uuid ? ([['uuid', q.uuid]] as const) : []),
    ...e.labels,
    ...Object.entries(e.stored.spec.metadata ?? {}),
  ]);
  const text = [...vars].map(([k, v]) => `${k.toUpperCase().replace(/[.-]/g, '_')}=${v}`).join('\n') + '\n';
  send(req, res, 200, 'text/plain; charset=utf-8', text);
  return { route: 'metadata', event: 'metadata', entry: e.name, q };
}

/** `/ipxe/failed`: the chain script asks why its chain failed; the answer echoes the reason. */
function explainFailure(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome {
  const rawErrno = query.get('errno') ?? '';
  const errno = /^(0x)?[0-9a-f]{1,8}$/i.test(rawErrno) ? rawErrno : '?';
  let reason: string;
  let entry: string | undefined;
  let q: MachineQuery | undefined;
  try {
    q = machineQuery(query);
    const e = ipxeEntry(ctx, q, clientAddress(req));
    entry = e.name;
    reason = `entry ${e.name} answered ${describe(q)}; its script failed with error ${errno} (a kernel or initrd download, or the boot itself; https://ipxe.org/${errno})`;
  } catch (err) {
    if (!BootError.is(err)) throw err;
    reason = `${err.message} (HTTP ${err.status})`;
  }
  send(req, res, 200, IPXE_TYPE, failureScript(reason));
  return { route: 'ipxe_failed', event: 'boot_failed', entry, q, detail: `errno=${errno} reason="${reason}"` };
}

function serveIgnition(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  e: CompiledEntry,
  id: MachineId,
  q: MachineQuery,
  route: string,
): Outcome | Promise<Outcome> {
  checkSource(e, id.source);
  const ign = e.ignition ?? (e.ignitionTemplate === undefined ? undefined : renderFor(e, e.ignitionTemplate, q));
  if (!ign) throw new BootError('not_found', `entry ${e.name} has no Ignition config`);
  const outcome: Outcome = { route, event: 'ignition', entry: e.name, q };
  // Only a GET that delivers the config counts as a fetch: a HEAD or a 304 delivers nothing, and
  // counting them would let one unauthenticated request flip a one-shot machine to local boot.
  if (req.headers['if-none-match'] === ign.etag) {
    res.writeHead(304, { etag: ign.etag });
    res.end();
    return outcome;
  }
  const body = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') ? ign.gzip : ign.raw;
  if (req.method === 'HEAD') {
    sendPrepared(req, res, body);
    return outcome;
  }
  const { machines, metrics } = ctx.service;
  const transition = machines.record(e.name, id, 'ignition');
  metrics.fetch(e.name, 'ignition');
  if (!(transition && e.oneShot)) {
    sendPrepared(req, res, body);
    return outcome;
  }
  // One-shot depends on this transition: it is saved before the config goes out, so a crash
  // can never make an installed machine install again.
  return machines.flush().then(
    () => {
      sendPrepared(req, res, body);
      return outcome;
    },
    (err: unknown) => {
      machines.revertIgnition(e.name, id);
      throw storageError(err, 'could not save the machine state before serving the Ignition config');
    },
  );
}

/** A templated Ignition rendered for this machine, as an answer (built per request: it differs per machine). */
function renderFor(e: CompiledEntry, template: string, q: MachineQuery): CompiledIgnition {
  const vars = new Map<string, string>([
    ...e.labels,
    ...Object.entries(e.stored.spec.metadata ?? {}),
    ['entry', e.name],
    ...(q.mac ? ([['mac', q.mac]] as const) : []),
    ...(q.uuid ? ([['uuid', q.uuid]] as const) : []),
  ]);
  return compileIgnition(renderIgnition(template, vars));
}

function ignitionByQuery(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const q = machineQuery(query);
  const name = query.get('entry');
  let e: CompiledEntry;
  if (name === undefined) e = select(ctx, q);
  else {
    // The URL of an entry's script names the entry: serve exactly it, if it selects this machine.
    const named = ctx.service.catalog.get(name);
    if (!named || !matchesAll(named, q))
      throw new BootError('not_found', `entry ${name.slice(0, 64)} does not select ${describe(q)}`, {
        refusal: 'unknown_machine',
      });
    e = named;
  }
  if (e.token)
    throw new BootError('forbidden', `entry ${e.name} serves its Ignition only at its token URL`, {
      refusal: 'token_required',
    });
  return serveIgnition(ctx, req, res, e, { mac: q.mac, uuid: q.uuid, source: clientAddress(req) }, q, 'ignition');
}

function ignitionByToken(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const e = ctx.service.catalog.byTokenValue(token);
  if (!e) throw new BootError('not_found', 'unknown Ignition token', { refusal: 'bad_token' });
  const q = machineQuery(query);
  // The machine named in the URL must be one of the entry's, so one record is kept per real machine.
  if (
    (q.mac !== undefined && e.macs !== undefined && !e.macs.has(q.mac)) ||
    (q.uuid !== undefined && e.uuid !== undefined && e.uuid !== q.uuid)
  ) {
    throw new BootError('forbidden', `entry ${e.name} does not select ${describe(q)}`, { refusal: 'wrong_machine' });
  }
  return serveIgnition(
    ctx,
    req,
    res,
    e,
    { mac: q.mac, uuid: q.uuid, source: clientAddress(req), viaToken: true },
    q,
    'ignition_token',
  );
}

function healthz(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Outcome {
  const problem = ctx.service.machines.lastError;
  if (problem) send(req, res, 503, 'text/plain', `machine state: ${problem}\n`);
  else send(req, res, 200, 'text/plain', 'ok\n');
  return { route: 'healthz' };
}

/**
 * Routes one request and returns what it did; only the admin API, assets and a first one-shot
 * Ignition fetch are asynchronous, so the boot routes answer without allocating a promise.
 */
export function route(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Outcome | Promise<Outcome> {
  const { path, query } = parseTarget(req.url ?? '/');
  if (path === '/api/v1/openapi.json') {
    sendPrepared(req, res, openApi());
    return { route: 'openapi' };
  }
  if (path.startsWith('/api/')) return handleAdmin(ctx, req, res, path).then((event) => ({ route: 'admin', event }));
  if (path === '/ui' || path.startsWith('/ui/')) return handleUi(ctx, req, res, path);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new BootError('method_not_allowed', `${req.method} is not allowed on ${path.slice(0, 80)}`);
  switch (path) {
    case '/boot.ipxe':
    case '/boot.ipxe.0':
      sendPrepared(req, res, CHAIN);
      return { route: 'boot.ipxe', event: 'chain' };
    case '/ipxe':
      return serveIpxe(ctx, req, res, query);
    case '/ipxe/failed':
      return explainFailure(ctx, req, res, query);
    case '/grub.cfg':
      send(req, res, 200, IPXE_TYPE, grubChainConfig(ctx.service.publicUrl));
      return { route: 'grub.cfg', event: 'chain' };
    case '/grub':
      return serveGrub(ctx, req, res, query);
    case '/metadata':
      return serveMetadata(ctx, req, res, query);
    case '/ignition':
      return ignitionByQuery(ctx, req, res, query);
    case '/healthz':
      return healthz(ctx, req, res);
    case '/metrics':
      send(
        req,
        res,
        200,
        'text/plain; version=0.0.4',
        ctx.service.metrics.render(ctx.service.catalog.size, ctx.service.machines),
      );
      return { route: 'metrics' };
    default:
      break;
  }
  if (path.startsWith('/ignition/')) return ignitionByToken(ctx, req, res, path.slice(10), query);
  if (path.startsWith('/assets/') && ctx.assetsDir)
    return serveAsset(ctx.assetsDir, path.slice(8), req, res).then(() => ({ route: 'assets', event: 'asset' }));
  throw new BootError('not_found', `no route for ${path.slice(0, 80)}`);
}

/** The path as logged: a token in it is never written anywhere. */
function loggedPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).slice(0, 200);
  return path.startsWith('/ignition/') ? '/ignition/<token>' : path;
}

/** Routes whose every request is logged; `/healthz`, `/metrics` and admin reads are not worth a line. */
const QUIET = new Set(['healthz', 'metrics', 'openapi', 'ui']);

/** The request listener: routes, answers errors with their reason, logs and counts. */
export function handler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = ctx.service.metrics;
  const logLine = (req: IncomingMessage, res: ServerResponse, o: Outcome | undefined, error?: BootError) => {
    if (!ctx.logRequests || (o && QUIET.has(o.route))) return;
    const parts = [
      o?.event ?? (error?.refusal ? 'refused' : 'error'),
      req.method ?? '-',
      loggedPath(req),
      String(res.statusCode),
    ];
    if (o?.entry) parts.push(`entry=${o.entry}`);
    if (o?.q) parts.push(describe(o.q));
    parts.push(`source=${clientAddress(req)}`);
    if (o?.detail) parts.push(o.detail);
    if (error) parts.push(`${error.refusal ? `reason=${error.refusal} ` : ''}error="${error.message}"`);
    ctx.log(parts.join(' '));
  };
  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    const e = BootError.is(err) ? err : new BootError('unavailable', 'internal error', { status: 500 });
    if (!BootError.is(err)) ctx.log(`error: ${req.method} ${loggedPath(req)}: ${(err as Error).stack ?? String(err)}`);
    if (e.status === 401) {
      const realm = loggedPath(req).startsWith('/ui') ? 'boot-server live view' : 'boot-server admin API';
      res.setHeader('www-authenticate', `Bearer realm="${realm}"`);
    }
    if (!res.headersSent) sendError(req, res, e);
    else res.destroy();
    if (e.refusal) {
      metrics.refusal(e.refusal);
      ctx.live.refused(req, e);
    }
    metrics.request('error', e.status);
    logLine(req, res, undefined, e);
  };
  const done = (req: IncomingMessage, res: ServerResponse, o: Outcome) => {
    metrics.request(o.route, res.statusCode);
    logLine(req, res, o);
    // What the live view shows: a machine answered (with its user agent), or an entry written.
    if (o.entry && o.q) {
      const id = { mac: o.q.mac, uuid: o.q.uuid, source: clientAddress(req), viaToken: o.route === 'ignition_token' };
      ctx.live.answered(id, req.headers['user-agent']);
    } else if (o.route === 'admin') ctx.live.changed();
  };
  return (req, res) => {
    let r: Outcome | Promise<Outcome>;
    try {
      r = route(ctx, req, res);
    } catch (err) {
      failed(req, res, err);
      return;
    }
    if (!(r instanceof Promise)) done(req, res, r);
    else
      r.then(
        (o) => done(req, res, o),
        (err: unknown) => failed(req, res, err),
      );
  };
}

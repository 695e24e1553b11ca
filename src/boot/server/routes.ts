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
import { clientAddress, parseTarget, prepare, rawHeader, send, sendError, sendPrepared, type Prepared } from './http';
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

function describe(machine: MachineQuery): string {
  return `mac=${machine.mac ?? '-'} uuid=${machine.uuid ?? '-'}`;
}

function select(ctx: RouteContext, machine: MachineQuery): CompiledEntry {
  const entry = ctx.service.catalog.select(machine);
  if (!entry)
    throw new BootError('not_found', `no boot entry matches ${describe(machine)}`, { refusal: 'unknown_machine' });
  return entry;
}

function checkSource(entry: CompiledEntry, source: string): void {
  if (entry.sources && !addressAllowed(source, entry.sources)) {
    throw new BootError('forbidden', `entry ${entry.name} is not served to ${source}`, { refusal: 'source' });
  }
}

/** The entry whose iPXE a machine gets, or the refusal. */
function ipxeEntry(ctx: RouteContext, machine: MachineQuery, source: string): CompiledEntry {
  const entry = select(ctx, machine);
  checkSource(entry, source);
  if (!entry.ipxe)
    throw new BootError('not_found', `entry ${entry.name} has no iPXE configuration`, { refusal: 'no_ipxe' });
  return entry;
}

/**
 * Whether a one-shot machine is installed: at once from memory, or (a promise) from a shared
 * store when memory says not yet; `answer` then runs with the verdict.
 */
function whenInstalled(
  ctx: RouteContext,
  entry: CompiledEntry,
  id: MachineId,
  answer: (installed: boolean) => Outcome,
): Outcome | Promise<Outcome> {
  const installed = entry.oneShot && ctx.service.machines.installedNow(entry.name, id, entry.soleMachine);
  return installed instanceof Promise ? installed.then(answer) : answer(installed);
}

/** Answers `/ipxe` or `/grub` for a machine whose entry and one-shot state are known. */
type BootAnswer = (
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: CompiledEntry,
  id: MachineId,
  machine: MachineQuery,
  installed: boolean,
) => Outcome;

/** A boot route (`/ipxe`, `/grub`): the machine's entry, answered once its one-shot state is known. */
function bootRoute(answer: BootAnswer) {
  return (
    ctx: RouteContext,
    req: IncomingMessage,
    res: ServerResponse,
    query: Map<string, string>,
  ): Outcome | Promise<Outcome> => {
    const machine = machineQuery(query);
    const id: MachineId = { mac: machine.mac, uuid: machine.uuid, source: clientAddress(req) };
    const entry = ipxeEntry(ctx, machine, id.source);
    return whenInstalled(ctx, entry, id, (installed) => answer(ctx, req, res, entry, id, machine, installed));
  };
}

/** Records and counts a boot answer; a HEAD request fetches nothing, so it records nothing. */
function recordBoot(
  ctx: RouteContext,
  req: IncomingMessage,
  entry: CompiledEntry,
  id: MachineId,
  event: 'ipxe' | 'local_boot',
): void {
  if (req.method === 'HEAD') return;
  ctx.service.machines.record(entry.name, id, event);
  ctx.service.metrics.fetch(entry.name, event);
}

function answerIpxe(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: CompiledEntry,
  id: MachineId,
  machine: MachineQuery,
  installed: boolean,
): Outcome {
  if (installed) {
    recordBoot(ctx, req, entry, id, 'local_boot');
    sendPrepared(req, res, LOCAL[entry.localBoot]);
    return { route: 'ipxe', event: 'local_boot', entry: entry.name, q: machine, id };
  }
  recordBoot(ctx, req, entry, id, 'ipxe');
  sendPrepared(req, res, entry.ipxe!);
  return { route: 'ipxe', event: 'ipxe', entry: entry.name, q: machine, id };
}

const serveIpxe = bootRoute(answerIpxe);

/** iPXE variables the server can fill for a GRUB machine: it knows the MAC and UUID from the query. */
function forMachine(template: string, machine: MachineQuery): string {
  return template
    .replaceAll('${mac:hexhyp}', machine.mac?.replaceAll(':', '-') ?? '')
    .replaceAll('${mac}', machine.mac ?? '')
    .replaceAll('${uuid}', machine.uuid ?? '');
}

/** `/grub`: the entry's kernel boot as a GRUB config, rendered for this machine. */
function answerGrub(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: CompiledEntry,
  id: MachineId,
  machine: MachineQuery,
  installed: boolean,
): Outcome {
  if (installed) {
    recordBoot(ctx, req, entry, id, 'local_boot');
    send(req, res, 200, IPXE_TYPE, GRUB_LOCAL_BOOT);
    return { route: 'grub', event: 'local_boot', entry: entry.name, q: machine, id };
  }
  const kernel = entry.kernelBoot;
  if (!kernel)
    throw new BootError(
      'not_found',
      `entry ${entry.name} has a raw iPXE script, which GRUB cannot run (use ipxe.kernel)`,
    );
  const config = grubBootConfig(
    entry.name,
    {
      kernel: forMachine(kernel.kernel, machine),
      initrd: kernel.initrd.map((i) => forMachine(i, machine)),
      args: kernel.args.map((a) => forMachine(a, machine)),
    },
    ctx.service.publicUrl,
  );
  recordBoot(ctx, req, entry, id, 'ipxe');
  send(req, res, 200, IPXE_TYPE, config);
  return { route: 'grub', event: 'grub', entry: entry.name, q: machine, id };
}

const serveGrub = bootRoute(answerGrub);

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
  const machine = machineQuery(query);
  const entry = select(ctx, machine);
  checkSource(entry, clientAddress(req));
  const vars = new Map<string, string>([
    ['entry', entry.name],
    ...(machine.mac ? ([['mac', machine.mac]] as const) : []),
    ...(machine.uuid ? ([['uuid', machine.uuid]] as const) : []),
    ...entry.labels,
    ...Object.entries(entry.stored.spec.metadata ?? {}),
  ]);
  const text = [...vars].map(([k, v]) => `${k.toUpperCase().replace(/[.-]/g, '_')}=${v}`).join('\n') + '\n';
  send(req, res, 200, 'text/plain; charset=utf-8', text);
  return { route: 'metadata', event: 'metadata', entry: entry.name, q: machine };
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
  let machine: MachineQuery | undefined;
  try {
    machine = machineQuery(query);
    const answering = ipxeEntry(ctx, machine, clientAddress(req));
    entry = answering.name;
    reason = `entry ${answering.name} answered ${describe(machine)}; its script failed with error ${errno} (a kernel or initrd download, or the boot itself; https://ipxe.org/${errno})`;
  } catch (err) {
    if (!BootError.is(err)) throw err;
    reason = `${err.message} (HTTP ${err.status})`;
  }
  send(req, res, 200, IPXE_TYPE, failureScript(reason));
  return { route: 'ipxe_failed', event: 'boot_failed', entry, q: machine, detail: `errno=${errno} reason="${reason}"` };
}

function serveIgnition(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: CompiledEntry,
  id: MachineId,
  machine: MachineQuery,
  route: string,
): Outcome | Promise<Outcome> {
  checkSource(entry, id.source);
  const ign =
    entry.ignition ??
    (entry.ignitionTemplate === undefined ? undefined : renderFor(entry, entry.ignitionTemplate, machine));
  if (!ign) throw new BootError('not_found', `entry ${entry.name} has no Ignition config`);
  const outcome: Outcome = { route, event: 'ignition', entry: entry.name, q: machine, id };
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
  const transition = machines.record(entry.name, id, 'ignition');
  // No room for the record (every one is an installed machine): served, the machine would install
  // again on every boot, so a one-shot Ignition is refused instead.
  if (entry.oneShot && !transition && !machines.installed(entry.name, id, entry.soleMachine))
    throw new BootError(
      'unavailable',
      `entry ${entry.name}: the machine state is full of installed machines, so this one-shot Ignition is not served: it could not be recorded`,
      { refusal: 'state_full' },
    );
  metrics.fetch(entry.name, 'ignition');
  if (!(transition && entry.oneShot)) {
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
      machines.revertIgnition(entry.name, id);
      throw storageError(err, 'could not save the machine state before serving the Ignition config');
    },
  );
}

/** A templated Ignition rendered for this machine, as an answer (built per request: it differs per machine). */
function renderFor(entry: CompiledEntry, template: string, machine: MachineQuery): CompiledIgnition {
  const vars = new Map<string, string>([
    ...entry.labels,
    ...Object.entries(entry.stored.spec.metadata ?? {}),
    ['entry', entry.name],
    ...(machine.mac ? ([['mac', machine.mac]] as const) : []),
    ...(machine.uuid ? ([['uuid', machine.uuid]] as const) : []),
  ]);
  return compileIgnition(renderIgnition(template, vars));
}

function ignitionByQuery(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const machine = machineQuery(query);
  const name = query.get('entry');
  let entry: CompiledEntry;
  if (name === undefined) entry = select(ctx, machine);
  else {
    // The URL of an entry's script names the entry: serve exactly it, if it selects this machine.
    const named = ctx.service.catalog.get(name);
    if (!named || !matchesAll(named, machine))
      throw new BootError('not_found', `entry ${name.slice(0, 64)} does not select ${describe(machine)}`, {
        refusal: 'unknown_machine',
      });
    entry = named;
  }
  if (entry.token)
    throw new BootError('forbidden', `entry ${entry.name} serves its Ignition only at its token URL`, {
      refusal: 'token_required',
    });
  return serveIgnition(
    ctx,
    req,
    res,
    entry,
    { mac: machine.mac, uuid: machine.uuid, source: clientAddress(req) },
    machine,
    'ignition',
  );
}

function ignitionByToken(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  query: Map<string, string>,
): Outcome | Promise<Outcome> {
  const entry = ctx.service.catalog.byTokenValue(token);
  if (!entry) throw new BootError('not_found', 'unknown Ignition token', { refusal: 'bad_token' });
  const machine = machineQuery(query);
  // The machine named in the URL must be one of the entry's, so one record is kept per real machine.
  if (
    (machine.mac !== undefined && entry.macs !== undefined && !entry.macs.has(machine.mac)) ||
    (machine.uuid !== undefined && entry.uuid !== undefined && entry.uuid !== machine.uuid)
  ) {
    throw new BootError('forbidden', `entry ${entry.name} does not select ${describe(machine)}`, {
      refusal: 'wrong_machine',
    });
  }
  return serveIgnition(
    ctx,
    req,
    res,
    entry,
    { mac: machine.mac, uuid: machine.uuid, source: clientAddress(req), viaToken: true },
    machine,
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
  const machineStart = url.indexOf('?');
  const path = (machineStart < 0 ? url : url.slice(0, machineStart)).slice(0, 200);
  return path.startsWith('/ignition/') ? '/ignition/<token>' : path;
}

/** Routes whose every request is logged; `/healthz`, `/metrics` and admin reads are not worth a line. */
const QUIET = new Set(['healthz', 'metrics', 'openapi', 'ui']);

/** The request listener: routes, answers errors with their reason, logs and counts. */
export function handler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const metrics = ctx.service.metrics;
  const logLine = (req: IncomingMessage, res: ServerResponse, outcome: Outcome | undefined, error?: BootError) => {
    if (!ctx.logRequests || (outcome && QUIET.has(outcome.route))) return;
    const parts = [
      outcome?.event ?? (error?.refusal ? 'refused' : 'error'),
      req.method ?? '-',
      loggedPath(req),
      String(res.statusCode),
    ];
    if (outcome?.entry) parts.push(`entry=${outcome.entry}`);
    if (outcome?.q) parts.push(describe(outcome.q));
    parts.push(`source=${clientAddress(req)}`);
    if (outcome?.detail) parts.push(outcome.detail);
    if (error) parts.push(`${error.refusal ? `reason=${error.refusal} ` : ''}error="${error.message}"`);
    ctx.log(parts.join(' '));
  };
  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    const bootError = BootError.is(err) ? err : new BootError('unavailable', 'internal error', { status: 500 });
    if (!BootError.is(err)) ctx.log(`error: ${req.method} ${loggedPath(req)}: ${(err as Error).stack ?? String(err)}`);
    if (bootError.status === 401) {
      const realm = loggedPath(req).startsWith('/ui') ? 'boot-server live view' : 'boot-server admin API';
      res.setHeader('www-authenticate', `Bearer realm="${realm}"`);
    }
    if (!res.headersSent) sendError(req, res, bootError);
    else res.destroy();
    if (bootError.refusal) {
      metrics.refusal(bootError.refusal);
      ctx.live.refused(req, bootError);
    }
    metrics.request('error', bootError.status);
    logLine(req, res, undefined, bootError);
  };
  const done = (req: IncomingMessage, res: ServerResponse, outcome: Outcome) => {
    metrics.request(outcome.route, res.statusCode);
    logLine(req, res, outcome);
    // What the live view shows: a machine answered (with its user agent), or an entry written.
    if (outcome.id) ctx.live.answered(outcome.id, rawHeader(req, 'user-agent'));
    else if (outcome.entry && outcome.q) {
      const id = { mac: outcome.q.mac, uuid: outcome.q.uuid, source: clientAddress(req) };
      ctx.live.answered(id, rawHeader(req, 'user-agent'));
    } else if (outcome.route === 'admin') ctx.live.changed();
  };
  return (req, res) => {
    let outcome: Outcome | Promise<Outcome>;
    try {
      outcome = route(ctx, req, res);
    } catch (err) {
      failed(req, res, err);
      return;
    }
    if (!(outcome instanceof Promise)) done(req, res, outcome);
    else
      outcome.then(
        (o) => done(req, res, o),
        (err: unknown) => failed(req, res, err),
      );
  };
}

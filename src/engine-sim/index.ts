/**
 * The oVirt engine simulator, in-process. `startEngineSim()` starts one on 127.0.0.1 (HTTPS with a
 * generated CA by default) and resolves to its URL, credentials, CA and a `control` handle for tests.
 * It shares no code with src/ovirt: it is written from the engine's documented behaviour.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Clock, delayProfile, systemClock } from './engine/clock';
import { certificates } from './http/certs';
import { SimControl } from './http/control';
import { SimError } from './errors';
import { checkFaultSpec, FaultSpec } from './engine/faults';
import { str } from './store/repr';
import { seedStore } from './store/seed';
import { listener } from './http/server';
import { Sim } from './engine/sim';
import { Sso } from './http/sso';
import { loadState, saveState } from './store/store';
import { ADMIN_BASE } from './http/admin';
import { startImageio } from './http/imageio';

export type { FaultSpec } from './engine/faults';
export { parseFaultSpec, REDIRECT_LOCATION } from './engine/faults';
export { ManualClock } from './engine/clock';
export type { Clock } from './engine/clock';
export { SimControl } from './http/control';
export { SEED_IDS } from './store/seed';
export type { Entity, Kind } from './store/store';
export { KINDS } from './store/store';
export { SimError } from './errors';
export { ADMIN_BASE } from './http/admin';

/** How fast statuses change: none (next poll), fast (~100 ms steps), realistic (seconds). */
export type DelayProfile = 'none' | 'fast' | 'realistic';

/** Options of `startEngineSim`. Everything is optional. */
export interface EngineSimOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** HTTPS with a generated CA (default true); false = plain HTTP. */
  tls?: boolean;
  /** Status-change delays; default 'none'. */
  delays?: DelayProfile;
  /** Seed for ids, MACs and fault draws (deterministic runs). */
  seed?: number;
  /** Injected faults, as an object or `latency=20,jitter=5,503=0.1,reset=0.05,locked=0.1`. */
  faults?: FaultSpec | string;
  /** JSON file holding the state: loaded at start if present, written atomically after changes. */
  stateFile?: string;
  /** Users and passwords; default `{ 'admin@internal': <random> }`. The first user is reported. */
  users?: Record<string, string>;
  /** JSON array of extra or replacement seed entities (`{kind, id, parent?, data}`). */
  seedFile?: string;
  /** Token lifetime in ms; default: tokens never expire (expire them with `control.expireTokens()`). */
  tokenTtlMs?: number;
  /** Clock for status changes and tokens (e.g. `new ManualClock()`); default the wall clock. */
  clock?: Clock;
  /** Folder for the CA and server certificate, kept across restarts; default a per-process temp folder. */
  certDir?: string;
  /** How long a declared request body may take to arrive before a 408; default 30 s. */
  bodyTimeoutMs?: number;
  /** Log sink (stderr lines); default silent. */
  log?: (line: string) => void;
}

/** A running simulator. */
export interface EngineSim {
  /** API base URL, e.g. `https://127.0.0.1:PORT/ovirt-engine/api`. */
  url: string;
  /** Admin endpoint base URL, `.../ovirt-engine/__sim` (same credentials). */
  adminUrl: string;
  username: string;
  password: string;
  /** PEM of the CA that signed the server certificate ('' with tls=false). */
  caPem: string;
  /** File holding `caPem` ('' with tls=false). */
  caFile: string;
  port: number;
  /** Programmatic control: objects, locks, faults, counters, tokens. */
  control: SimControl;
  /** Stops listening, closes connections and writes the state file. */
  stop(): Promise<void>;
}

const SETTLED: Record<string, string> = {
  image_locked: 'down',
  locked: 'ok',
  wait_for_launch: 'up',
  powering_up: 'up',
  powering_down: 'down',
  reboot_in_progress: 'up',
  saving_state: 'suspended',
  restoring_state: 'up',
};

/** Loads the state file, finishing transitions that were under way when it was written. */
function restore(sim: Sim, file: string): boolean {
  if (!loadState(sim.store, file)) return false;
  for (const kind of ['vms', 'disks', 'templates'] as const) {
    for (const e of sim.store.list(kind)) {
      const text = str(e.data, 'status');
      if (text && SETTLED[text]) e.data.status = SETTLED[text];
    }
  }
  return true;
}

/** Starts a simulator; resolves once it listens. */
export async function startEngineSim(opts: EngineSimOptions = {}): Promise<EngineSim> {
  const log = opts.log ?? (() => undefined);
  const delays = opts.delays ?? 'none';
  if (!['none', 'fast', 'realistic'].includes(delays))
    throw new SimError('BAD_OPTIONS', `delays must be none, fast or realistic, not "${delays}"`);
  const sim = new Sim(opts.clock ?? systemClock, delayProfile(delays), opts.seed);
  if (opts.faults) sim.faults = checkFaultSpec(opts.faults);
  if (!(opts.stateFile && restore(sim, opts.stateFile))) seedStore(sim.store, opts.seedFile);
  const users = opts.users ?? { 'admin@internal': sim.rng.hex(24) };
  const [username, password] = Object.entries(users)[0] ?? [];
  if (!username || password === undefined) throw new SimError('BAD_OPTIONS', 'at least one user is needed');
  const sso = new Sso(users, sim.clock, sim.rng, opts.tokenTtlMs);
  const control = new SimControl(sim, sso);
  let dirty = opts.stateFile !== undefined;
  sim.onChange = () => {
    dirty = true;
  };
  const flush = (): void => {
    if (!opts.stateFile || !dirty) return;
    dirty = false;
    saveState(sim.store, opts.stateFile);
  };
  const tls = opts.tls ?? true;
  const certs = tls ? certificates(opts.certDir) : undefined;
  sim.caPem = certs?.caPem ?? '';
  const handler = listener({
    sim,
    sso,
    control,
    caPem: certs?.caPem ?? '',
    log,
    afterRequest: flush,
    bodyTimeoutMs: opts.bodyTimeoutMs ?? 30_000,
  });
  const server = certs
    ? https.createServer({ key: certs.key, cert: certs.cert, noDelay: true }, handler)
    : http.createServer({ noDelay: true }, handler);
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const imageio = await startImageio(sim, host, certs && { key: certs.key, cert: certs.cert });
  flush();
  // On the wall clock, due status changes also happen between requests, so the state file and
  // out-of-band observers (the admin endpoint) see them; a manual clock only moves when told.
  const ticker =
    !opts.clock && delays !== 'none'
      ? setInterval(() => {
          sim.scheduler.runDue();
          flush();
        }, 100).unref()
      : undefined;
  const port = (server.address() as AddressInfo).port;
  const origin = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`engine-sim listening on ${origin}/ovirt-engine/api (delays ${delays})`);
  return {
    url: `${origin}/ovirt-engine/api`,
    adminUrl: `${origin}${ADMIN_BASE}`,
    username,
    password,
    caPem: certs?.caPem ?? '',
    caFile: certs?.caFile ?? '',
    port,
    control,
    stop: async () => {
      if (ticker) clearInterval(ticker);
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        imageio.stop(),
      ]);
      flush();
    },
  };
}

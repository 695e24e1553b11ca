/**
 * What the live view (`/ui`) shows: entries by role with each machine's boot steps (from the
 * machine state), plus what only this process sees and does not store: each machine's latest user
 * agent and the recent refusals. Subscribers of `/ui/events` get a new snapshot within 100 ms of a
 * change here, and every 5 s when it differs (changes that other replicas made to shared state).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MachineState } from '../entry';
import { normalizeMac, normalizeUuid } from '../entry';
import type { BootError } from '../errors';
import { clientAddress, parseTarget } from './http';
import { isoNow } from './log';
import { machineKey, type MachineId } from './machines';
import type { BootService } from './service';

/** A refused boot request as the page lists it (values as the machine sent them, cut short). */
export interface Refusal {
  at: string;
  reason: string;
  error: string;
  path: string;
  source: string;
  mac?: string;
  uuid?: string;
  user_agent?: string;
}

/** Where a machine is in a one-shot install. */
export type OneShotState = 'off' | 'armed' | 'installed' | 'booted_locally';

/** A machine row of the page: the stored state plus what this process saw. */
export interface LiveMachine extends Partial<MachineState> {
  key: string;
  /** True for a MAC the entry selects that has not asked for anything yet. */
  waiting?: boolean;
  one_shot_state: OneShotState;
  user_agent?: string;
  refusals: number;
  last_refusal?: string;
}

/** An entry as the page shows it: no Ignition, no token, no script. */
export interface LiveEntry {
  name: string;
  role?: string;
  labels: Record<string, string>;
  one_shot: boolean;
  updated_at: string;
  machines: LiveMachine[];
}

/** Everything the page shows. */
export interface LiveSnapshot {
  groups: Array<{ role: string; title: string; entries: LiveEntry[] }>;
  refusals: { total: number; by_reason: Record<string, number>; recent: Refusal[] };
}

const GROUPS = [
  ['bootstrap', 'Bootstrap'],
  ['master', 'Masters'],
  ['worker', 'Workers'],
  ['other', 'Other entries'],
] as const;
const RECENT = 50;
/** Machines whose user agent and refusals are kept (the oldest go first), like the machine state's bound. */
const MAX_SEEN = 100_000;
const PUSH_DELAY_MS = 100;
const TICK_MS = 5_000;
const cut = (s: string | undefined, n = 200) => (s === undefined ? undefined : s.slice(0, n));

function groupOf(role: string | undefined): string {
  const singular = role?.replace(/s$/, '');
  return singular === 'bootstrap' || singular === 'master' || singular === 'worker' ? singular : 'other';
}

function oneShotState(oneShot: boolean, state: Partial<MachineState>): OneShotState {
  if (!oneShot) return 'off';
  if (!state.first_ignition_at) return 'armed';
  return state.local_boots ? 'booted_locally' : 'installed';
}

/** What this process saw of a machine (not stored). */
interface Observed {
  agent?: string;
  refusals: number;
  lastRefusal?: string;
}

/** The live view of one server. */
export class LiveView {
  private readonly observed = new Map<string, Observed>();
  private readonly recent: Refusal[] = [];
  private readonly byReason = new Map<string, number>();
  private refusalCount = 0;
  private readonly subscribers = new Set<ServerResponse>();
  private pending?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;
  private lastSent = '';

  constructor(private readonly service: BootService) {}

  /** A machine was answered: remembers its user agent (runs per boot request: look-ups only, unless it changed). */
  answered(id: MachineId, agent: string | undefined): void {
    if (agent !== undefined) {
      const key = machineKey(id);
      const known = this.observed.get(key);
      if (known === undefined || known.agent !== agent) this.machine(key).agent = cut(agent);
    }
    this.changed();
  }

  /** A boot request was refused: listed, and counted for its machine when it named one. */
  refused(req: IncomingMessage, err: BootError): void {
    let mac: string | undefined;
    let uuid: string | undefined;
    try {
      const { query } = parseTarget(req.url ?? '/');
      mac = query.get('mac');
      uuid = query.get('uuid');
    } catch {
      // a malformed query names no machine
    }
    const source = clientAddress(req);
    const agent = cut(req.headers['user-agent']);
    const id = { mac: mac && normalizeMac(mac), uuid: uuid && normalizeUuid(uuid), source };
    const seen = this.machine(machineKey(id));
    seen.refusals++;
    seen.lastRefusal = err.refusal;
    if (agent !== undefined) seen.agent = agent;
    const path = (req.url ?? '/').split('?')[0]!;
    this.recent.unshift({
      at: isoNow(),
      reason: err.refusal ?? err.code,
      error: cut(err.message, 300)!,
      // A token in the path is never shown, as it is never logged.
      path: path.startsWith('/ignition/') ? '/ignition/<token>' : cut(path, 120)!,
      source,
      ...(mac === undefined ? {} : { mac: cut(mac, 64) }),
      ...(uuid === undefined ? {} : { uuid: cut(uuid, 64) }),
      ...(agent === undefined ? {} : { user_agent: agent }),
    });
    if (this.recent.length > RECENT) this.recent.pop();
    const reason = err.refusal ?? err.code;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    this.refusalCount++;
    this.changed();
  }

  /** Something the page shows may have changed: push a snapshot soon (only while someone watches). */
  changed(): void {
    if (this.subscribers.size === 0 || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.push();
    }, PUSH_DELAY_MS);
    this.pending.unref();
  }

  /** Serves `/ui/events`: server-sent events, a `snapshot` event with the whole view at once and on every change. */
  subscribe(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // A reverse proxy must pass events on at once, not buffer them.
      'x-accel-buffering': 'no',
    });
    const data = JSON.stringify(this.snapshot());
    res.write(`retry: 2000\nevent: snapshot\ndata: ${data}\n\n`);
    this.subscribers.add(res);
    res.on('close', () => {
      this.subscribers.delete(res);
      if (this.subscribers.size === 0) this.stopTimers();
    });
    if (!this.ticker) {
      this.lastSent = data;
      this.ticker = setInterval(() => this.push(), TICK_MS);
      this.ticker.unref();
    }
  }

  /** Ends every event stream (the server stops). */
  close(): void {
    this.stopTimers();
    for (const res of this.subscribers) res.end();
    this.subscribers.clear();
  }

  /** The view now. */
  snapshot(): LiveSnapshot {
    const groups = new Map<string, LiveEntry[]>(GROUPS.map(([role]) => [role, []]));
    const { catalog, machines } = this.service;
    for (const name of catalog.names()) {
      const entry = catalog.get(name)!;
      const spec = entry.stored.spec;
      const rows = machines.list(name).map((state) => this.row(entry.oneShot, state));
      const known = new Set(rows.map((row) => row.key));
      for (const mac of spec.selectors?.macs ?? []) {
        if (!known.has(`mac:${mac}`))
          rows.push({ ...this.row(entry.oneShot, { key: `mac:${mac}`, mac }), waiting: true });
      }
      groups.get(groupOf(spec.role))!.push({
        name,
        ...(spec.role === undefined ? {} : { role: spec.role }),
        labels: spec.selectors?.labels ?? {},
        one_shot: entry.oneShot,
        updated_at: entry.stored.updated_at,
        machines: rows,
      });
    }
    return {
      groups: GROUPS.map(([role, title]) => ({ role, title, entries: groups.get(role)! })),
      refusals: { total: this.refusalCount, by_reason: Object.fromEntries(this.byReason), recent: this.recent },
    };
  }

  private row(oneShot: boolean, state: Partial<MachineState> & { key: string }): LiveMachine {
    const seen = this.observed.get(state.key);
    return {
      ...state,
      one_shot_state: oneShotState(oneShot, state),
      ...(seen?.agent === undefined ? {} : { user_agent: seen.agent }),
      refusals: seen?.refusals ?? 0,
      ...(seen?.lastRefusal === undefined ? {} : { last_refusal: seen.lastRefusal }),
    };
  }

  private machine(key: string): Observed {
    let seen = this.observed.get(key);
    if (!seen) {
      if (this.observed.size >= MAX_SEEN) this.observed.delete(this.observed.keys().next().value!);
      seen = { refusals: 0 };
      this.observed.set(key, seen);
    }
    return seen;
  }

  /** Sends the view to every subscriber when it differs from the last one sent; else a comment keeps the stream open. */
  private push(): void {
    if (this.subscribers.size === 0) return;
    const data = JSON.stringify(this.snapshot());
    const message = data === this.lastSent ? ':\n\n' : `event: snapshot\ndata: ${data}\n\n`;
    this.lastSent = data;
    for (const res of this.subscribers) res.write(message);
  }

  private stopTimers(): void {
    clearTimeout(this.pending);
    clearInterval(this.ticker);
    this.pending = undefined;
    this.ticker = undefined;
  }
}

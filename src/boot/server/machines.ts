/**
 * Per-machine boot state: first iPXE fetch, Ignition fetch, local-boot answers, last seen and
 * source address, per entry. Updates are in memory at once and reach the store as record-level
 * changes: an Ignition transition is saved before the config is sent (the caller awaits
 * `flush`), other transitions within half a second, counters and last-seen times alone at most
 * every 30 seconds and on stop. State is bounded per entry and in total: spoofed MACs can fill it,
 * so the oldest unfinished record (no Ignition fetched yet) is evicted first; finished records,
 * which one-shot depends on, are kept, and a new machine is then not tracked.
 */
import type { MachineState } from '../entry';
import { isoNow } from './log';
import type { MachineChange, Store } from './store';

/** The identity of a requesting machine. */
export interface MachineId {
  mac?: string;
  uuid?: string;
  source: string;
  /** The request came by token URL: without MAC or UUID it is recorded under `token`, never by address. */
  viaToken?: boolean;
}

/** The key a machine's state is recorded under. */
export function machineKey(id: MachineId): string {
  return id.mac ? `mac:${id.mac}` : id.uuid ? `uuid:${id.uuid}` : id.viaToken ? 'token' : `ip:${id.source}`;
}

/** Bounds of the machine state. */
export interface MachineLimits {
  /** Records per entry. @default 10000 */
  perEntry: number;
  /** Records in total. @default 100000 */
  total: number;
}

/** What a recorded request was. */
export type FetchKind = 'ipxe' | 'ignition' | 'local_boot';

type Pending = { entry: string; key: string } | { entry: string; reset: true };

/** Tracks machine state for every entry and persists it in batches. */
export class MachineTracker {
  private readonly states = new Map<string, Map<string, MachineState>>();
  /** Unfinished records in least-recently-seen order, across entries (`entry\0key`). */
  private readonly unfinished = new Map<string, [string, string]>();
  private count = 0;
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private timerDue = Infinity;
  private flushing: Promise<void> = Promise.resolve();
  /** The last failure to save, shown by `/healthz` until a save succeeds. */
  lastError?: string;
  /** Records evicted to stay within the limits. */
  evictions = 0;

  constructor(private readonly store: Store, private readonly log: (line: string) => void,
    private readonly limits: MachineLimits = { perEntry: 10_000, total: 100_000 },
    private readonly transitionDelayMs = 500, private readonly counterDelayMs = 30_000) {}

  /** Loads an entry's stored state. */
  load(entry: string, machines: MachineState[]): void {
    const m = new Map<string, MachineState>();
    this.states.set(entry, m);
    for (const s of [...machines].sort((a, b) => (a.last_seen_at < b.last_seen_at ? -1 : 1))) {
      m.set(s.key, s);
      this.count++;
      if (!s.first_ignition_at) this.unfinished.set(`${entry}\0${s.key}`, [entry, s.key]);
    }
  }

  /** The state of an entry's machines, sorted by key. */
  list(entry: string): MachineState[] {
    return [...(this.states.get(entry)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Records in total. */
  get size(): number { return this.count; }

  /**
   * True when this machine already fetched the entry's Ignition (one-shot: boot locally now).
   * A fetch of the bare token URL names no machine; it counts only for an entry that selects
   * exactly one machine (`soleMachine`).
   */
  installed(entry: string, id: MachineId, soleMachine: boolean): boolean {
    const m = this.states.get(entry);
    if (!m) return false;
    const fetched = (key: string) => m.get(key)?.first_ignition_at !== undefined;
    return fetched(machineKey(id)) || (soleMachine && fetched('token'));
  }

  /** Records a request; returns true when it was a transition (new machine, first iPXE or Ignition). */
  record(entry: string, id: MachineId, kind: FetchKind): boolean {
    let m = this.states.get(entry);
    if (!m) { m = new Map(); this.states.set(entry, m); }
    const key = machineKey(id);
    const now = isoNow();
    let s = m.get(key);
    const isNew = s === undefined;
    if (!s) {
      if (!this.makeRoom(entry, m)) return false;
      s = { key, source: id.source, ipxe_fetches: 0, ignition_fetches: 0, last_seen_at: now };
      if (id.mac) s.mac = id.mac;
      if (id.uuid) s.uuid = id.uuid;
      m.set(key, s);
      this.count++;
    } else {
      // Least recently seen first: re-inserting moves the record to the end.
      m.delete(key);
      m.set(key, s);
    }
    const transition = isNew || (kind === 'ipxe' && !s.first_ipxe_at) || (kind === 'ignition' && !s.first_ignition_at);
    s.source = id.source;
    s.last_seen_at = now;
    if (kind === 'ipxe') { s.ipxe_fetches++; s.first_ipxe_at ??= now; } else if (kind === 'ignition') {
      s.ignition_fetches++;
      s.first_ignition_at ??= now;
    } else { s.local_boots = (s.local_boots ?? 0) + 1; s.last_local_boot_at = now; }
    const ref = `${entry}\0${key}`;
    this.unfinished.delete(ref);
    if (!s.first_ignition_at) this.unfinished.set(ref, [entry, key]);
    this.mark(ref, { entry, key }, transition ? this.transitionDelayMs : this.counterDelayMs);
    return transition;
  }

  /** Undoes an Ignition transition that could not be saved: the machine has not been served. */
  revertIgnition(entry: string, id: MachineId): void {
    const s = this.states.get(entry)?.get(machineKey(id));
    if (!s) return;
    s.ignition_fetches = Math.max(0, s.ignition_fetches - 1);
    if (s.ignition_fetches === 0) {
      delete s.first_ignition_at;
      this.unfinished.set(`${entry}\0${s.key}`, [entry, s.key]);
    }
  }

  /** Forgets an entry's machines (deleted entry, or a reset asked through the admin API) and saves that. */
  reset(entry: string): void {
    const m = this.states.get(entry);
    if (m) for (const key of m.keys()) this.unfinished.delete(`${entry}\0${key}`);
    this.count -= m?.size ?? 0;
    this.states.delete(entry);
    for (const [ref, p] of this.pending) if (p.entry === entry) this.pending.delete(ref);
    this.mark(`${entry}\0*reset`, { entry, reset: true }, 0);
  }

  /** Writes everything pending now; rejects when the store failed (the changes stay pending). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; this.timerDue = Infinity; }
    const run = this.flushing.catch(() => undefined).then(() => this.save());
    this.flushing = run;
    return run;
  }

  private async save(): Promise<void> {
    if (this.pending.size === 0) return;
    const taken = this.pending;
    this.pending = new Map();
    const changes: MachineChange[] = [...taken.values()].map((p) => ('reset' in p ? p
      : { entry: p.entry, key: p.key, state: this.states.get(p.entry)?.get(p.key) ?? null }));
    try {
      await this.store.saveMachines(changes);
      if (this.lastError) this.log('state: machine state saved again');
      this.lastError = undefined;
    } catch (err) {
      this.lastError = `could not save machine state: ${(err as Error).message}`;
      this.log(`state: ${this.lastError}`);
      // Keep them for the next attempt; newer changes of the same records are already pending.
      for (const [ref, p] of taken) if (!this.pending.has(ref)) this.pending.set(ref, p);
      this.schedule(this.counterDelayMs);
      throw err;
    }
  }

  /** Evicts to make room for one more record of `entry`; false when nothing may be evicted. */
  private makeRoom(entry: string, m: Map<string, MachineState>): boolean {
    if (m.size >= this.limits.perEntry) {
      let victim: string | undefined;
      for (const [key, s] of m) if (!s.first_ignition_at) { victim = key; break; }
      if (victim === undefined) return false;
      this.evict(entry, victim);
    }
    if (this.count >= this.limits.total) {
      const first = this.unfinished.values().next();
      if (first.done) return false;
      this.evict(first.value[0], first.value[1]);
    }
    return true;
  }

  private evict(entry: string, key: string): void {
    const m = this.states.get(entry)!;
    m.delete(key);
    this.count--;
    this.evictions++;
    const ref = `${entry}\0${key}`;
    this.unfinished.delete(ref);
    this.mark(ref, { entry, key }, this.counterDelayMs);
  }

  /** Marks a change for saving within `delayMs` (an earlier deadline already set stands). */
  private mark(ref: string, p: Pending, delayMs: number): void {
    if (!this.pending.has(ref)) this.pending.set(ref, p);
    this.schedule(delayMs);
  }

  private schedule(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.flush().catch(() => undefined);
    }, delayMs);
    this.timer.unref();
  }
}

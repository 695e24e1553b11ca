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
  /** The key, once `machineKey` built it: a request looks its machine up several times, one string hashes once. */
  key?: string;
}

/** The key a machine's state is recorded under. */
export function machineKey(id: MachineId): string {
  id.key ??= id.mac ? `mac:${id.mac}` : id.uuid ? `uuid:${id.uuid}` : id.viaToken ? 'token' : `ip:${id.source}`;
  return id.key;
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

const earliest = (a?: string, b?: string) => (a === undefined ? b : b === undefined || a <= b ? a : b);

/**
 * Merges a record another replica saved into ours: the earliest transitions, the highest
 * counters, the latest contact (as the PostgreSQL store's `ovirt_boot_merge` does).
 */
export function mergeMachine(ours: MachineState, theirs: MachineState): void {
  if (theirs.last_seen_at > ours.last_seen_at) {
    ours.last_seen_at = theirs.last_seen_at;
    ours.source = theirs.source;
  }
  const ipxe = earliest(ours.first_ipxe_at, theirs.first_ipxe_at);
  if (ipxe) ours.first_ipxe_at = ipxe;
  const ignition = earliest(ours.first_ignition_at, theirs.first_ignition_at);
  if (ignition) ours.first_ignition_at = ignition;
  ours.ipxe_fetches = Math.max(ours.ipxe_fetches, theirs.ipxe_fetches);
  ours.ignition_fetches = Math.max(ours.ignition_fetches, theirs.ignition_fetches);
  if (theirs.local_boots !== undefined) ours.local_boots = Math.max(ours.local_boots ?? 0, theirs.local_boots);
  if (
    theirs.last_local_boot_at !== undefined &&
    !(ours.last_local_boot_at && ours.last_local_boot_at >= theirs.last_local_boot_at)
  )
    ours.last_local_boot_at = theirs.last_local_boot_at;
}

/**
 * A stored record rebuilt with its properties in the order `record` gives them. Records parsed from
 * PostgreSQL's jsonb come with their keys sorted by length, so they would get other hidden classes than
 * the records this process made: `record` then deoptimises on them ("wrong map") and its optimised
 * code turns polymorphic on the hot path of every request.
 */
function adopt(stored: MachineState): MachineState {
  const out: MachineState = {
    key: stored.key,
    source: stored.source,
    ipxe_fetches: stored.ipxe_fetches,
    ignition_fetches: stored.ignition_fetches,
    last_seen_at: stored.last_seen_at,
  };
  if (stored.mac !== undefined) out.mac = stored.mac;
  if (stored.uuid !== undefined) out.uuid = stored.uuid;
  if (stored.first_ipxe_at !== undefined) out.first_ipxe_at = stored.first_ipxe_at;
  if (stored.first_ignition_at !== undefined) out.first_ignition_at = stored.first_ignition_at;
  if (stored.local_boots !== undefined) out.local_boots = stored.local_boots;
  if (stored.last_local_boot_at !== undefined) out.last_local_boot_at = stored.last_local_boot_at;
  return out;
}

/** Tracks machine state for every entry and persists it in batches. */
export class MachineTracker {
  private readonly states = new Map<string, Map<string, MachineState>>();
  /** Unfinished records, oldest first, across entries (`entry\0key`); touched on creation and finish only. */
  private readonly unfinished = new Map<string, [string, string]>();
  private count = 0;
  /** Changed records (by identity: no key string is built per request), entries reset, records removed. */
  private dirty = new Map<MachineState, string>();
  /** Dirty records whose boot steps changed: a shared store announces them to other replicas. */
  private transitions = new Set<MachineState>();
  private resets = new Set<string>();
  private removed: Array<{ entry: string; key: string }> = [];
  private timer?: NodeJS.Timeout;
  private timerDue = Infinity;
  private flushing: Promise<void> = Promise.resolve();
  /** The last failure to save, shown by `/healthz` until a save succeeds. */
  lastError?: string;
  /** Records evicted to stay within the limits. */
  evictions = 0;

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
    private readonly limits: MachineLimits = { perEntry: 10_000, total: 100_000 },
    private readonly transitionDelayMs = 500,
    private readonly counterDelayMs = 30_000,
  ) {}

  /** Loads an entry's stored state. */
  load(entry: string, machines: MachineState[]): void {
    const byKey = new Map<string, MachineState>();
    this.states.set(entry, byKey);
    for (const s of [...machines].sort((a, b) =>
      (a.first_ipxe_at ?? a.last_seen_at) < (b.first_ipxe_at ?? b.last_seen_at) ? -1 : 1,
    )) {
      byKey.set(s.key, adopt(s));
      this.count++;
      if (!s.first_ignition_at) this.unfinished.set(`${entry}\0${s.key}`, [entry, s.key]);
    }
  }

  /** The state of an entry's machines, sorted by key. */
  list(entry: string): MachineState[] {
    return [...(this.states.get(entry)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Records in total. */
  get size(): number {
    return this.count;
  }

  /**
   * True when this machine already fetched the entry's Ignition (one-shot: boot locally now).
   * A fetch of the bare token URL names no machine; it counts only for an entry that selects
   * exactly one machine (`soleMachine`).
   */
  installed(entry: string, id: MachineId, soleMachine: boolean): boolean {
    const machines = this.states.get(entry);
    if (!machines) return false;
    const fetched = (key: string) => machines.get(key)?.first_ignition_at !== undefined;
    return fetched(machineKey(id)) || (soleMachine && fetched('token'));
  }

  /**
   * `installed`, confirmed with a shared store whenever memory says no: another replica may have
   * served the machine's Ignition a moment ago, and its notification may still be on the way (under
   * load it can arrive after the machine's next request). The Ignition transition is committed
   * before that Ignition is sent, so a read begun after the request arrived is never stale; each
   * request has its own (one joining a read already in flight could get an answer from before the
   * Ignition it follows). A "yes" from memory needs no read, so installed machines (the steady
   * state) cost none. When the store cannot answer, memory's answer stands.
   */
  installedNow(entry: string, id: MachineId, soleMachine: boolean): boolean | Promise<boolean> {
    if (this.installed(entry, id, soleMachine)) return true;
    const store = this.store;
    if (!store.readMachines) return false;
    const key = machineKey(id);
    return store.readMachines(entry, soleMachine ? [key, 'token'] : [key]).then(
      (states) => {
        for (const state of states) this.applyRemote({ entry, key: state.key, state });
        return this.installed(entry, id, soleMachine);
      },
      () => this.installed(entry, id, soleMachine),
    );
  }

  /** Applies machine state another replica saved: merged into memory, not saved again from here. */
  applyRemote(change: MachineChange): void {
    if ('reset' in change) {
      this.drop(change.entry);
      return;
    }
    let records = this.states.get(change.entry);
    const record = records?.get(change.key);
    if (!change.state) {
      if (!record) return;
      records!.delete(change.key);
      this.count--;
      this.unfinished.delete(`${change.entry}\0${change.key}`);
      this.dirty.delete(record);
      this.transitions.delete(record);
      return;
    }
    if (record) mergeMachine(record, change.state);
    else {
      if (!records) {
        records = new Map();
        this.states.set(change.entry, records);
      }
      records.set(change.key, adopt(change.state));
      this.count++;
    }
    if (records!.get(change.key)!.first_ignition_at) this.unfinished.delete(`${change.entry}\0${change.key}`);
    else this.unfinished.set(`${change.entry}\0${change.key}`, [change.entry, change.key]);
  }

  /** Records a request; returns true when it was a transition (new machine, first iPXE or Ignition). */
  record(entry: string, id: MachineId, kind: FetchKind): boolean {
    let machines = this.states.get(entry);
    if (!machines) {
      machines = new Map();
      this.states.set(entry, machines);
    }
    const key = machineKey(id);
    const now = isoNow();
    let state = machines.get(key);
    const isNew = state === undefined;
    if (!state) {
      if (!this.makeRoom(entry, machines)) return false;
      state = { key, source: id.source, ipxe_fetches: 0, ignition_fetches: 0, last_seen_at: now };
      if (id.mac) state.mac = id.mac;
      if (id.uuid) state.uuid = id.uuid;
      machines.set(key, state);
      this.count++;
      this.unfinished.set(`${entry}\0${key}`, [entry, key]);
    }
    const transition =
      isNew ||
      (kind === 'ipxe' && !state.first_ipxe_at) ||
      (kind === 'ignition' && !state.first_ignition_at) ||
      (kind === 'local_boot' && !state.local_boots);
    state.source = id.source;
    state.last_seen_at = now;
    if (kind === 'ipxe') {
      state.ipxe_fetches++;
      state.first_ipxe_at ??= now;
    } else if (kind === 'ignition') {
      state.ignition_fetches++;
      state.first_ignition_at ??= now;
    } else {
      state.local_boots = (state.local_boots ?? 0) + 1;
      state.last_local_boot_at = now;
    }
    if (kind === 'ignition' && transition) this.unfinished.delete(`${entry}\0${key}`);
    this.dirty.set(state, entry);
    if (transition) this.transitions.add(state);
    this.schedule(transition ? this.transitionDelayMs : this.counterDelayMs);
    return transition;
  }

  /** Undoes an Ignition transition that could not be saved: the machine has not been served. */
  revertIgnition(entry: string, id: MachineId): void {
    const state = this.states.get(entry)?.get(machineKey(id));
    if (!state) return;
    state.ignition_fetches = Math.max(0, state.ignition_fetches - 1);
    if (state.ignition_fetches === 0) {
      delete state.first_ignition_at;
      this.unfinished.set(`${entry}\0${state.key}`, [entry, state.key]);
    }
  }

  /** Forgets an entry's machines (deleted entry, or a reset asked through the admin API) and saves that. */
  reset(entry: string): void {
    this.drop(entry);
    this.removed = this.removed.filter((r) => r.entry !== entry);
    this.resets.add(entry);
    this.schedule(0);
  }

  /** Forgets an entry's machines in memory. */
  private drop(entry: string): void {
    const records = this.states.get(entry);
    if (!records) return;
    for (const [key, record] of records) {
      this.unfinished.delete(`${entry}\0${key}`);
      this.dirty.delete(record);
      this.transitions.delete(record);
    }
    this.count -= records.size;
    this.states.delete(entry);
  }

  /** Writes everything pending now; rejects when the store failed (the changes stay pending). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = Infinity;
    }
    const run = this.flushing.catch(() => undefined).then(() => this.save());
    this.flushing = run;
    return run;
  }

  private async save(): Promise<void> {
    if (this.dirty.size === 0 && this.resets.size === 0 && this.removed.length === 0) return;
    const taken = { dirty: this.dirty, transitions: this.transitions, resets: this.resets, removed: this.removed };
    this.dirty = new Map();
    this.transitions = new Set();
    this.resets = new Set();
    this.removed = [];
    // Resets first: every record still dirty or removed was changed after them.
    const changes: MachineChange[] = [
      ...[...taken.resets].map((entry) => ({ entry, reset: true as const })),
      ...taken.removed.map((r) => ({ ...r, state: null })),
      ...[...taken.dirty].map(([state, entry]): MachineChange =>
        taken.transitions.has(state)
          ? { entry, key: state.key, state, transition: true }
          : { entry, key: state.key, state },
      ),
    ];
    try {
      await this.store.saveMachines(changes);
      if (this.lastError) this.log('state: machine state saved again');
      this.lastError = undefined;
    } catch (err) {
      this.lastError = `could not save machine state: ${(err as Error).message}`;
      this.log(`state: ${this.lastError}`);
      // Keep them for the next attempt (state objects are live: the newest values get written).
      for (const e of taken.resets) this.resets.add(e);
      this.removed = [...taken.removed, ...this.removed];
      for (const [st, e] of taken.dirty) {
        if (this.states.get(e)?.get(st.key) !== st) continue;
        this.dirty.set(st, e);
        if (taken.transitions.has(st)) this.transitions.add(st);
      }
      this.schedule(this.counterDelayMs);
      throw err;
    }
  }

  /** Evicts to make room for one more record of `entry`; false when nothing may be evicted. */
  private makeRoom(entry: string, machines: Map<string, MachineState>): boolean {
    if (machines.size >= this.limits.perEntry) {
      let victim: string | undefined;
      for (const [key, s] of machines)
        if (!s.first_ignition_at) {
          victim = key;
          break;
        }
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
    const machines = this.states.get(entry)!;
    const state = machines.get(key)!;
    machines.delete(key);
    this.count--;
    this.evictions++;
    this.unfinished.delete(`${entry}\0${key}`);
    this.dirty.delete(state);
    this.transitions.delete(state);
    this.removed.push({ entry, key });
    this.schedule(this.counterDelayMs);
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

/**
 * Per-machine boot state: first iPXE fetch, Ignition fetch, last seen and source address, per
 * entry. Updates are in memory at once. Transitions (a new machine, its first iPXE or Ignition
 * fetch: what one-shot depends on) reach the store within half a second, as one batch; counters
 * and last-seen times alone are written at most every 30 seconds and on stop. A fleet booting
 * at once thus costs one write per batch, and steady polling costs almost nothing.
 */
import type { MachineState } from '../entry';
import type { Store } from './store';

let lastMs = 0;
let lastIso = '';

/** The current time in ISO form, formatted at most once per millisecond (a busy server asks often). */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) { lastMs = ms; lastIso = new Date(ms).toISOString(); }
  return lastIso;
}

/** The identity of a requesting machine. */
export interface MachineId { mac?: string; uuid?: string; source: string }

/** The key a machine's state is recorded under. */
export function machineKey(id: MachineId): string {
  return id.mac ? `mac:${id.mac}` : id.uuid ? `uuid:${id.uuid}` : `ip:${id.source}`;
}

/** Tracks machine state for every entry and persists it in batches. */
export class MachineTracker {
  private readonly states = new Map<string, Map<string, MachineState>>();
  private readonly dirty = new Set<string>();
  private timer?: NodeJS.Timeout;
  private timerDue = Infinity;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store, private readonly log: (line: string) => void,
    private readonly transitionDelayMs = 500, private readonly counterDelayMs = 30_000) {}

  /** Loads an entry's stored state. */
  load(entry: string, machines: MachineState[]): void {
    this.states.set(entry, new Map(machines.map((m) => [m.key, m])));
  }

  /** The state of an entry's machines, sorted by key. */
  list(entry: string): MachineState[] {
    return [...(this.states.get(entry)?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** True when this machine already fetched the entry's Ignition (one-shot: boot locally now). */
  installed(entry: string, id: MachineId): boolean {
    const m = this.states.get(entry);
    if (!m) return false;
    // A machine that fetched Ignition by token URL without a MAC is known by its address only.
    const fetched = (key: string) => (m.get(key)?.ignition_fetches ?? 0) > 0;
    return fetched(machineKey(id)) || fetched(`ip:${id.source}`);
  }

  /** Records an iPXE or Ignition fetch. */
  record(entry: string, id: MachineId, kind: 'ipxe' | 'ignition'): void {
    let m = this.states.get(entry);
    if (!m) { m = new Map(); this.states.set(entry, m); }
    const key = machineKey(id);
    const now = isoNow();
    let s = m.get(key);
    const transition = !s || (kind === 'ipxe' ? !s.first_ipxe_at : !s.first_ignition_at);
    if (!s) {
      s = { key, source: id.source, ipxe_fetches: 0, ignition_fetches: 0, last_seen_at: now };
      if (id.mac) s.mac = id.mac;
      if (id.uuid) s.uuid = id.uuid;
      m.set(key, s);
    }
    s.source = id.source;
    s.last_seen_at = now;
    if (kind === 'ipxe') { s.ipxe_fetches++; s.first_ipxe_at ??= now; } else { s.ignition_fetches++; s.first_ignition_at ??= now; }
    this.markDirty(entry, transition ? this.transitionDelayMs : this.counterDelayMs);
  }

  /** Forgets an entry's machines (deleted entry, or a reset asked through the admin API). */
  reset(entry: string, persist: boolean): void {
    this.states.delete(entry);
    this.dirty.delete(entry);
    if (persist) { this.states.set(entry, new Map()); this.markDirty(entry, 0); }
  }

  /** Writes everything pending now. */
  async flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; this.timerDue = Infinity; }
    const names = [...this.dirty];
    this.dirty.clear();
    if (names.length === 0) { await this.flushing; return; }
    this.flushing = this.flushing.then(async () => {
      try { await this.store.putMachines(new Map(names.map((n) => [n, this.list(n)]))); } catch (err) {
        this.log(`state: could not save machine state of ${names.length} entries: ${(err as Error).message}`);
      }
    });
    await this.flushing;
  }

  /** Marks an entry for saving within `delayMs` (an earlier deadline already set stands). */
  private markDirty(entry: string, delayMs: number): void {
    this.dirty.add(entry);
    const due = Date.now() + delayMs;
    if (due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => { this.timer = undefined; this.timerDue = Infinity; void this.flush(); }, delayMs);
    this.timer.unref();
  }
}

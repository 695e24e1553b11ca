/** Test and operator control of a running simulator (in-process; the admin HTTP endpoint wraps it). */
import { checkFaultSpec, FaultSpec } from '../engine/faults';
import { Tree, merge } from '../store/repr';
import { Sim } from '../engine/sim';
import { Sso } from './sso';
import { Entity, KINDS, Kind } from '../store/store';
import { SimError } from '../errors';

/** What tests and tools can do to a simulator behind the client's back. */
export class SimControl {
  constructor(
    private readonly sim: Sim,
    private readonly sso: Sso,
  ) {}

  private kind(key: string): Kind {
    if (!KINDS.includes(key as Kind))
      throw new SimError('BAD_OPTIONS', `unknown kind "${key}"; kinds: ${KINDS.join(', ')}`);
    return key as Kind;
  }

  /** Runs due status changes now (they also run before every request). */
  tick(): void {
    this.sim.scheduler.runDue();
  }

  /** All objects of a kind (`vms`, `disks`, ...), as stored: `{kind, id, parent, data, meta}`. */
  list(kind: Kind | string): Entity[] {
    this.tick();
    return this.sim.store.list(this.kind(kind));
  }

  /** One object, or undefined. `parent` is needed for nested kinds (NICs, attachments, affinity groups). */
  get(kind: Kind | string, id: string, parent?: string): Entity | undefined {
    this.tick();
    return this.sim.store.get(this.kind(kind), id, parent);
  }

  /** Deep-merges `patch` into an object's data (e.g. `{memory: 4294967296}`); throws when absent. */
  mutate(kind: Kind | string, id: string, patch: Tree, parent?: string): Entity {
    const entity = this.get(kind, id, parent);
    if (!entity) throw new SimError('BAD_OPTIONS', `no ${kind} with id ${id}`);
    entity.data = merge(entity.data, patch);
    this.sim.onChange();
    return entity;
  }

  /** Deletes an object (a VM with its NICs, attachments and reported devices); false when absent. */
  remove(kind: Kind | string, id: string, parent?: string): boolean {
    const knownKind = this.kind(kind);
    if (knownKind === 'vms') {
      for (const c of ['nics', 'diskattachments', 'reporteddevices'] as const) {
        for (const e of this.sim.store.list(c, id)) this.sim.store.remove(c, e.id, id);
      }
    }
    const ok = this.sim.store.remove(knownKind, id, parent);
    if (knownKind === 'disks') this.sim.images.drop(id);
    this.sim.onChange();
    return ok;
  }

  /** Keeps an object locked: modifying it answers 409 with the engine's "... is locked" text. */
  lock(id: string): void {
    this.sim.locked.add(id);
  }
  /** Ends `lock`. */
  unlock(id: string): void {
    this.sim.locked.delete(id);
  }
  /** Ids currently kept locked. */
  lockedIds(): string[] {
    return [...this.sim.locked];
  }

  /** Replaces the injected faults (object or `latency=..,503=..` string; checked, as it may come from JSON). */
  setFaults(spec: unknown): FaultSpec {
    this.sim.faults = checkFaultSpec(spec);
    return this.sim.faults;
  }
  /** The injected faults. */
  getFaults(): FaultSpec {
    return { ...this.sim.faults };
  }

  /** Request counts by `METHOD /pattern`, e.g. `GET /vms/{id}`. */
  counters(): Record<string, number> {
    return { ...this.sim.counters };
  }
  /** Sets all request counts to zero. */
  resetCounters(): void {
    this.sim.counters = {};
  }
  /** Faults injected so far by kind (`503`, `reset`, `locked`, `delayed`). */
  faultCounts(): Record<string, number> {
    return { ...this.sim.faultsInjected };
  }

  /** Makes every issued token expired; returns how many. */
  expireTokens(): number {
    return this.sso.expireAll();
  }
  /** Every SSO token issued so far. */
  issuedTokens(): string[] {
    return this.sso.issued();
  }
  /** Revokes one token or all; returns how many. */
  revokeTokens(token?: string): number {
    return this.sso.revoke(token);
  }
  /** Sets the lifetime of tokens issued from now on (undefined = never expire). */
  setTokenTtl(ms: number | undefined): void {
    this.sso.tokenTtlMs = ms;
  }
}

/** The simulated engine's state and the helpers every handler shares. */
import { Delays, Random, Scheduler, Clock } from './clock';
import { EngineFault, lockedFault, opFailed } from '../errors';
import { FaultSpec } from './faults';
import { ImageData } from '../store/image-data';
import { Tree, str } from '../store/repr';
import { API, Entity, Kind, Store, ref } from '../store/store';

/** The id the simulator gives its admin user (job owner). */
export const ADMIN_USER_ID = '5a1e0000-0000-4000-8000-000000000a11';

/** Request counters keyed by `METHOD /path/{pattern}`. */
export type Counters = Record<string, number>;

/** Everything a handler may touch. Handlers are synchronous, so each request is atomic. */
export class Sim {
  readonly store = new Store();
  readonly scheduler: Scheduler;
  readonly rng: Random;
  faults: FaultSpec = {};
  counters: Counters = {};
  /** How many faults were injected, by kind (`503`, `reset`, `locked`, `delayed`): chaos tests report them. */
  faultsInjected: Counters = {};
  /** Ids that an operator keeps locked (admin API): modifying them answers 409 "... is locked". */
  readonly locked = new Set<string>();
  /** PEM shown as the display certificate of running VMs (the simulator's CA). */
  caPem = '';
  /** Bytes of uploaded disk images (sparse files). */
  readonly images = new ImageData();
  /** Origins of the imageio endpoints that transfer URLs point at: the host's daemon and the engine's proxy. */
  imageio = { hostOrigin: '', proxyOrigin: '' };
  /** Called after every change, for persistence. */
  onChange: () => void = () => undefined;

  constructor(
    readonly clock: Clock,
    readonly delays: Delays,
    seed?: number,
  ) {
    this.scheduler = new Scheduler(clock);
    this.rng = new Random(seed);
  }

  /** A new object id. */
  newId(): string {
    return this.rng.uuid();
  }

  /** Counts one injected fault of a kind. */
  countFault(kind: '503' | 'reset' | 'locked' | 'delayed' | 'redirect'): void {
    this.faultsInjected[kind] = (this.faultsInjected[kind] ?? 0) + 1;
  }

  /** The current time in the engine's XML date format. */
  nowIso(): string {
    return new Date(this.clock.now()).toISOString().replace('Z', '+00:00');
  }

  /** The object or a 404. */
  must(kind: Kind, id: string, parent?: string): Entity {
    const entity = this.store.get(kind, id, parent);
    if (!entity) throw new EngineFault(404, '');
    return entity;
  }

  /**
   * Resolves a reference element `<x id>` or `<x><name>n</name></x>`. An unknown id or name is a
   * 400 with `missing` as the engine's text, or a 404 "Entity not found" when no text is given.
   */
  resolve(kind: Kind, tree: Tree | undefined, missing?: string): Entity | undefined {
    if (!tree) return undefined;
    const id = str(tree, 'id');
    const name = str(tree, 'name');
    const hit = id ? this.store.get(kind, id) : this.store.list(kind).find((e) => str(e.data, 'name') === name);
    if (hit) return hit;
    if (!id && !name) return undefined;
    if (missing) throw opFailed(400, missing);
    throw new EngineFault(404, 'Operation Failed', `Entity not found: ${id ?? name}`);
  }

  /** Throws the engine's "... is locked" fault when `e` is locked by status or by the operator. */
  assertUnlocked(entity: Entity, action: string): void {
    const status = str(entity.data, 'status');
    if (this.locked.has(entity.id) || status === 'locked' || status === 'image_locked') {
      throw lockedFault(entity.kind, action);
    }
  }

  /** Sets a status now and returns a token that later transitions check, so stale ones do nothing. */
  setStatus(entity: Entity, status: string): number {
    entity.data.status = status;
    const gen = ((entity.meta.gen as number | undefined) ?? 0) + 1;
    entity.meta.gen = gen;
    this.onChange();
    return gen;
  }

  /** Runs `fn` after `delayMs` if the object still exists and no newer transition has started. */
  later(entity: Entity, gen: number, delayMs: number, fn: () => void): void {
    this.scheduler.schedule(delayMs, () => {
      const cur = this.store.get(entity.kind, entity.id, entity.parent);
      if (!cur || cur.meta.gen !== gen) return;
      fn();
      this.onChange();
    });
  }

  /** Starts an engine job for a correlation id (if given); returns a function that finishes it. */
  startJob(description: string, correlationId: string | undefined): { job?: Tree; finish: (ok?: boolean) => void } {
    if (!correlationId) return { finish: () => undefined };
    const id = this.newId();
    const now = this.nowIso();
    const job: Entity = {
      kind: 'jobs',
      id,
      meta: { correlationId },
      data: {
        description,
        auto_cleared: true,
        external: false,
        last_updated: now,
        start_time: now,
        status: 'started',
        owner: { href: `${API}/users/${ADMIN_USER_ID}`, id: ADMIN_USER_ID },
      },
    };
    this.store.put(job);
    return {
      job: ref('jobs', id),
      finish: (ok = true) => {
        const now = this.nowIso();
        Object.assign(job.data, { status: ok ? 'finished' : 'failed', end_time: now, last_updated: now });
        this.onChange();
      },
    };
  }

  /** Names of the tags on an object (for `tag=` searches). */
  tagNames(entity: Entity): string[] {
    const ids = (entity.meta.tags as string[] | undefined) ?? [];
    return ids.map((id) => str(this.store.get('tags', id)?.data, 'name') ?? '');
  }
}

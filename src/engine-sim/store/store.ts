/** The simulator's object store: every engine object by kind and id, plus persistence. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimError } from '../errors';
import { Tree } from './repr';

/** Kinds of objects the simulator holds (the engine's collection names). */
export type Kind =
  | 'vms'
  | 'templates'
  | 'disks'
  | 'clusters'
  | 'hosts'
  | 'storagedomains'
  | 'datacenters'
  | 'networks'
  | 'vnicprofiles'
  | 'tags'
  | 'jobs'
  | 'affinitygroups'
  | 'nics'
  | 'diskattachments'
  | 'reporteddevices'
  | 'instancetypes'
  | 'macpools'
  | 'imagetransfers'
  | 'operatingsystems'
  | 'snapshots';

/** All kinds, for listing. */
export const KINDS: readonly Kind[] = [
  'vms',
  'templates',
  'disks',
  'clusters',
  'hosts',
  'storagedomains',
  'datacenters',
  'networks',
  'vnicprofiles',
  'tags',
  'jobs',
  'affinitygroups',
  'nics',
  'diskattachments',
  'reporteddevices',
  'instancetypes',
  'macpools',
  'imagetransfers',
  'operatingsystems',
  'snapshots',
];

/** One object: `data` is what the engine shows; `meta` is simulator bookkeeping never rendered. */
export interface Entity {
  kind: Kind;
  id: string;
  /** The owning object for nested collections (VM of a NIC, cluster of an affinity group, ...). */
  parent?: string;
  data: Tree;
  meta: Record<string, unknown>;
}

/** The API base path. */
export const API = '/ovirt-engine/api';

/** The href of an object, following the engine's URL layout. */
export function hrefOf(kind: Kind, id: string, parent?: string, parentKind: Kind = 'vms'): string {
  if (kind === 'affinitygroups') return `${API}/clusters/${parent}/affinitygroups/${id}`;
  if (parent && (kind === 'nics' || kind === 'diskattachments' || kind === 'reporteddevices' || kind === 'snapshots')) {
    return `${API}/${parentKind}/${parent}/${kind}/${id}`;
  }
  return `${API}/${kind}/${id}`;
}

/** A reference element `{href, id}` to an object. */
export function ref(kind: Kind, id: string): Tree {
  return { href: hrefOf(kind, id), id };
}

function key(id: string, parent?: string): string {
  return parent ? `${parent}/${id}` : id;
}

/** Serializable store content. */
interface Snapshot {
  version: 1;
  entities: Entity[];
  counters: Record<string, number>;
}

/** All objects, in insertion order per kind. Synchronous access keeps every request atomic. */
export class Store {
  private readonly maps = new Map<Kind, Map<string, Entity>>();
  /** Named sequence counters (MAC pool, ...), persisted with the objects. */
  counters: Record<string, number> = {};

  constructor() {
    for (const k of KINDS) this.maps.set(k, new Map());
  }

  private map(kind: Kind): Map<string, Entity> {
    return this.maps.get(kind) as Map<string, Entity>;
  }

  /** Adds (or replaces) an object. */
  put(entity: Entity): Entity {
    this.map(entity.kind).set(key(entity.id, entity.parent), entity);
    return entity;
  }

  /** The object, or undefined. */
  get(kind: Kind, id: string, parent?: string): Entity | undefined {
    return this.map(kind).get(key(id, parent));
  }

  /** Objects of a kind, optionally only those under `parent`. */
  list(kind: Kind, parent?: string): Entity[] {
    const all = [...this.map(kind).values()];
    return parent === undefined ? all : all.filter((e) => e.parent === parent);
  }

  /** Removes an object; true when it existed. */
  remove(kind: Kind, id: string, parent?: string): boolean {
    return this.map(kind).delete(key(id, parent));
  }

  /** Next value of a named counter. */
  next(name: string): number {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
    return this.counters[name];
  }

  /** A deep copy of the content, for persistence. */
  snapshot(): Snapshot {
    const entities: Entity[] = [];
    for (const m of this.maps.values())
      for (const e of m.values()) entities.push(JSON.parse(JSON.stringify(e)) as Entity);
    return { version: 1, entities, counters: { ...this.counters } };
  }

  /** Replaces the content with a snapshot. */
  restore(snapshot: Snapshot): void {
    for (const m of this.maps.values()) m.clear();
    for (const e of snapshot.entities) {
      if (!this.maps.has(e.kind)) throw new SimError('STATE_FILE', `unknown kind "${e.kind}" in state file`);
      this.put(e);
    }
    this.counters = { ...snapshot.counters };
  }
}

/**
 * Writes the store atomically (temp file + rename) so a crash never leaves half a file. Owner-only
 * (0600): the state holds VM root passwords and cloud-init scripts.
 */
export function saveState(store: Store, file: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(store.snapshot()), { mode: 0o600 });
  // A temp file left by a crash keeps its old mode through writeFileSync.
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Loads a state file into the store; false when the file does not exist. */
export function loadState(store: Store, file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SimError('STATE_FILE', `cannot read state file ${file}: ${(err as Error).message}`);
  }
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(text) as Snapshot;
  } catch (err) {
    throw new SimError('STATE_FILE', `state file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (snapshot.version !== 1 || !Array.isArray(snapshot.entities)) {
    throw new SimError('STATE_FILE', `state file ${file} has an unknown layout`);
  }
  store.restore(snapshot);
  return true;
}

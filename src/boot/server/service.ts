/**
 * The boot service: entries (stored, compiled, indexed), machine state and metrics, without
 * HTTP. The admin API and the boot routes call it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseEntrySpec, type BootEntry } from '../entry';
import { BootError } from '../errors';
import { renderIgnition } from '../ignition/template';
import { validateIgnition } from '../ignition/validate';
import { Catalog, compileEntry, type CompiledEntry } from './catalog';
import { MachineTracker, type MachineLimits } from './machines';
import { Metrics } from './metrics';
import { storageError, type Store, type StoredEntry } from './store';

/** The ETag of a stored entry: changes with every write, so `If-Match` detects lost updates. */
export function entryEtag(stored: StoredEntry): string {
  return `"${createHash('sha256').update(JSON.stringify(stored)).digest('base64url').slice(0, 22)}"`;
}

/** Preconditions of an admin write: `If-Match` (an ETag or `*`) and `If-None-Match: *`. */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

function checkConditions(name: string, old: StoredEntry | undefined, conditions: WriteConditions): void {
  if (conditions.ifNoneMatch?.trim() === '*' && old)
    throw new BootError('precondition_failed', `entry "${name}" already exists (If-None-Match: *)`);
  if (conditions.ifMatch === undefined) return;
  const wanted = conditions.ifMatch.split(',').map((t) => t.trim());
  if (!old) throw new BootError('precondition_failed', `entry "${name}" does not exist (If-Match)`);
  if (!wanted.includes('*') && !wanted.includes(entryEtag(old))) {
    throw new BootError(
      'precondition_failed',
      `entry "${name}" changed since ETag ${wanted.join(', ').slice(0, 80)} (now ${entryEtag(old)})`,
    );
  }
}

/** Entries, machine state and metrics of one server. */
export class BootService {
  readonly catalog = new Catalog();
  readonly metrics = new Metrics();
  readonly machines: MachineTracker;
  /** Per entry, the tail of its chain of writes: writes of one entry run one after another. */
  private readonly writes = new Map<string, Promise<unknown>>();
  /** The entry the current write compiled, until the catalog takes it. */
  private justCompiled?: CompiledEntry;

  constructor(
    private readonly store: Store,
    private baseUrl: string,
    private readonly log: (line: string) => void,
    limits?: MachineLimits,
  ) {
    this.machines = new MachineTracker(store, log, limits);
  }

  /** Runs `fn` after every earlier write of `name`, so memory and disk see the same order. */
  private serialised<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.writes.get(name) ?? Promise.resolve();
    const run = prev.catch(() => undefined).then(fn);
    this.writes.set(name, run);
    const cleanup = () => {
      if (this.writes.get(name) === run) this.writes.delete(name);
    };
    run.then(cleanup, cleanup);
    return run;
  }

  /** Loads the store; entries that no longer compile are logged and left out. */
  async load(): Promise<void> {
    for (const { entry, machines } of await this.store.loadAll()) {
      try {
        this.catalog.set(compileEntry(entry, this.baseUrl));
        this.machines.load(entry.spec.name, machines);
      } catch (err) {
        this.log(`store: entry ${entry.spec.name} left out: ${(err as Error).message}`);
      }
    }
    this.store.watch?.({
      entry: (name, stored) => this.apply(name, stored),
      machine: (change) => this.machines.applyRemote(change),
    });
  }

  /** Puts a stored entry (or its absence) into the catalog. */
  private apply(name: string, stored: StoredEntry | undefined): void {
    if (!stored) {
      this.catalog.remove(name);
      this.metrics.forget(name);
      return;
    }
    try {
      // A write compiled its entry already (to refuse bad iPXE before storing it): not twice.
      const compiled = this.justCompiled?.stored === stored ? this.justCompiled : compileEntry(stored, this.baseUrl);
      this.justCompiled = undefined;
      this.catalog.set(compiled);
    } catch (err) {
      this.log(`store: entry ${name} left out: ${(err as Error).message}`);
    }
  }

  /**
   * Writes an entry (`change` gets the stored one and returns the new one, or undefined to delete)
   * and updates the catalog; resolves to the entry replaced. A shared store runs `change` in its
   * transaction, against what the database holds, and updates the catalog through its watcher.
   */
  private async write(
    name: string,
    change: (old: StoredEntry | undefined) => StoredEntry | undefined,
    what: string,
  ): Promise<StoredEntry | undefined> {
    try {
      if (this.store.updateEntry) return await this.store.updateEntry(name, change);
      const old = this.catalog.get(name)?.stored;
      const next = change(old);
      if (next) await this.store.putEntry(next);
      else if (old) await this.store.deleteEntry(name);
      else return old;
      this.apply(name, next);
      return old;
    } catch (err) {
      throw storageError(err, `could not ${what} entry ${name}`);
    }
  }

  /** Sets the public base URL (known once the server listens) and recompiles the entries. */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
    for (const name of this.catalog.names()) this.catalog.set(compileEntry(this.catalog.get(name)!.stored, url));
  }

  /** The base URL machines reach the server at. */
  get publicUrl(): string {
    return this.baseUrl;
  }

  /** The ETag of an entry, or undefined. */
  etag(name: string): string | undefined {
    const entry = this.catalog.get(name);
    return entry && entryEtag(entry.stored);
  }

  /** The admin view of an entry. */
  view(name: string): BootEntry | undefined {
    const entry = this.catalog.get(name);
    return entry && this.viewOf(entry.stored);
  }

  /** The admin view of a stored entry. */
  private viewOf(stored: StoredEntry): BootEntry {
    const { spec, token, created_at, updated_at } = stored;
    const name = spec.name;
    return {
      ...spec,
      ...(token ? { token, ignition_path: `/ignition/${token}` } : {}),
      created_at,
      updated_at,
      machines: this.machines.list(name),
    };
  }

  /**
   * Validates and stores an entry (create or replace); returns the view and whether it is new.
   * Concurrent writes of one entry are serialised: exactly one creates it (and its token).
   */
  async put(
    name: string,
    body: unknown,
    conditions: WriteConditions = {},
  ): Promise<{ entry: BootEntry; created: boolean; etag: string }> {
    const spec = parseEntrySpec(body);
    if (spec.name !== name)
      throw new BootError('invalid_entry', `name: "${spec.name}" does not match the URL's "${name}"`);
    if (spec.ignition !== undefined && spec.ignition_template) {
      // Validated as rendered for a machine: with sample values for what only a request knows.
      const known = new Map([
        ...Object.entries(spec.selectors?.labels ?? {}),
        ...Object.entries(spec.metadata ?? {}),
        ['entry', spec.name],
        ['mac', '52:54:00:00:00:00'],
        ['uuid', '00000000-0000-0000-0000-000000000000'],
      ]);
      renderIgnition(spec.ignition, known);
    } else if (spec.ignition !== undefined) {
      const report = validateIgnition(spec.ignition);
      if (!report.valid) {
        throw new BootError(
          'invalid_ignition',
          `ignition: ${report.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        );
      }
    }
    if (spec.require_token && spec.ignition === undefined)
      throw new BootError('invalid_entry', 'require_token: the entry has no ignition to protect');
    if (
      spec.require_token &&
      !spec.allowed_sources?.length &&
      JSON.stringify(spec.ipxe ?? {}).includes('{{ignition_url}}')
    ) {
      throw new BootError(
        'invalid_entry',
        'require_token: {{ignition_url}} in ipxe would hand the token URL to anyone who knows a MAC; ' +
          "set allowed_sources to the machines' network, or give the machine ignition_path another way (e.g. a pointer Ignition)",
      );
    }
    return this.serialised(name, async () => {
      let stored!: StoredEntry;
      const old = await this.write(
        name,
        (old) => {
          checkConditions(name, old, conditions);
          const now = new Date().toISOString();
          stored = {
            spec,
            ...(spec.require_token ? { token: old?.token ?? randomBytes(24).toString('base64url') } : {}),
            created_at: old?.created_at ?? now,
            updated_at: now,
          };
          this.justCompiled = compileEntry(stored, this.baseUrl); // refuses bad iPXE before anything is written
          return stored;
        },
        'store',
      );
      this.log(`admin: ${old ? 'updated' : 'created'} entry ${name}`);
      return { entry: this.viewOf(stored), created: !old, etag: entryEtag(stored) };
    });
  }

  /** Deletes an entry; false when there was none. */
  async delete(name: string, conditions: WriteConditions = {}): Promise<boolean> {
    return this.serialised(name, async () => {
      const old = await this.write(
        name,
        (old) => {
          if (old) checkConditions(name, old, conditions);
          return undefined;
        },
        'delete',
      );
      if (!old) return false;
      this.machines.reset(name);
      this.log(`admin: deleted entry ${name}`);
      return true;
    });
  }

  /** Forgets an entry's machine state. */
  async resetMachines(name: string): Promise<void> {
    if (!this.catalog.get(name)) throw new BootError('not_found', `no entry named "${name}"`);
    this.machines.reset(name);
    try {
      await this.machines.flush();
    } catch (err) {
      throw storageError(err, `could not reset the machine state of ${name}`);
    }
    this.log(`admin: reset machine state of entry ${name}`);
  }
}

/**
 * The boot service: entries (stored, compiled, indexed), machine state and metrics, without
 * HTTP. The admin API and the boot routes call it.
 */
import { randomBytes } from 'node:crypto';
import { parseEntrySpec, type BootEntry } from '../entry';
import { BootError } from '../errors';
import { validateIgnition } from '../ignition/validate';
import { Catalog, compileEntry } from './catalog';
import { MachineTracker } from './machines';
import { Metrics } from './metrics';
import type { Store, StoredEntry } from './store';

/** Entries, machine state and metrics of one server. */
export class BootService {
  readonly catalog = new Catalog();
  readonly metrics = new Metrics();
  readonly machines: MachineTracker;

  constructor(private readonly store: Store, private baseUrl: string, private readonly log: (line: string) => void) {
    this.machines = new MachineTracker(store, log);
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
  }

  /** Sets the public base URL (known once the server listens) and recompiles the entries. */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
    for (const name of this.catalog.names()) this.catalog.set(compileEntry(this.catalog.get(name)!.stored, url));
  }

  /** The admin view of an entry. */
  view(name: string): BootEntry | undefined {
    const e = this.catalog.get(name);
    if (!e) return undefined;
    const { spec, token, created_at, updated_at } = e.stored;
    return {
      ...spec,
      ...(token ? { token, ignition_path: `/ignition/${token}` } : {}),
      created_at, updated_at,
      machines: this.machines.list(name),
    };
  }

  /** Validates and stores an entry (create or replace); returns the view and whether it is new. */
  async put(name: string, body: unknown): Promise<{ entry: BootEntry; created: boolean }> {
    const spec = parseEntrySpec(body);
    if (spec.name !== name) throw new BootError('invalid_entry', `name: "${spec.name}" does not match the URL's "${name}"`);
    if (spec.ignition !== undefined) {
      const report = validateIgnition(spec.ignition);
      if (!report.valid) {
        throw new BootError('invalid_ignition', `ignition: ${report.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      }
    }
    if (spec.require_token && spec.ignition === undefined) throw new BootError('invalid_entry', 'require_token: the entry has no ignition to protect');
    const old = this.catalog.get(name)?.stored;
    const now = new Date().toISOString();
    const stored: StoredEntry = {
      spec,
      ...(spec.require_token ? { token: old?.token ?? randomBytes(24).toString('base64url') } : {}),
      created_at: old?.created_at ?? now,
      updated_at: now,
    };
    const compiled = compileEntry(stored, this.baseUrl); // refuses bad iPXE before anything is written
    await this.store.putEntry(stored);
    this.catalog.set(compiled);
    this.log(`admin: ${old ? 'updated' : 'created'} entry ${name}`);
    return { entry: this.view(name)!, created: !old };
  }

  /** Deletes an entry; false when there was none. */
  async delete(name: string): Promise<boolean> {
    if (!this.catalog.get(name)) return false;
    this.machines.reset(name, false);
    await this.store.deleteEntry(name);
    this.catalog.remove(name);
    this.metrics.forget(name);
    this.log(`admin: deleted entry ${name}`);
    return true;
  }

  /** Forgets an entry's machine state. */
  async resetMachines(name: string): Promise<void> {
    if (!this.catalog.get(name)) throw new BootError('not_found', `no entry named "${name}"`);
    this.machines.reset(name, true);
    await this.machines.flush();
    this.log(`admin: reset machine state of entry ${name}`);
  }
}

/**
 * Storage of boot entries and per-machine state. `Store` is the interface (a shared database can
 * implement it for replicas); `FileStore` is the default: one JSON file per entry, written to a
 * temporary file, fsynced and renamed, so a crash never leaves a partial entry.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BootEntrySpec, MachineState } from '../entry';
import { ENTRY_NAME_PATTERN } from '../entry';

/** An entry as stored: the spec plus what the server generated. */
export interface StoredEntry {
  spec: BootEntrySpec;
  token?: string;
  created_at: string;
  updated_at: string;
}

/** Where entries and machine state live. */
export interface Store {
  /** Every stored entry and its machine state (loaded once at start). */
  loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>>;
  putEntry(entry: StoredEntry): Promise<void>;
  /** Deletes an entry and its machine state. */
  deleteEntry(name: string): Promise<void>;
  /** Saves the machine state of several entries at once (a batch of changes). */
  putMachines(batch: Map<string, MachineState[]>): Promise<void>;
}

async function writeAtomic(dir: string, name: string, data: string): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, join(dir, name));
  // The rename is durable only once the directory itself is synced.
  const d = await fs.open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try { return JSON.parse(await fs.readFile(file, 'utf8')) as T; } catch { return undefined; }
}

/**
 * The filesystem store under `dir`: `entries/<name>.json`, and all machine state in one
 * `state/machines.json` snapshot (one write per batch, however many entries changed).
 */
export class FileStore implements Store {
  private readonly entriesDir: string;
  private readonly stateDir: string;
  private machines: Record<string, MachineState[]> = {};

  constructor(dir: string, private readonly log: (line: string) => void = () => {}) {
    this.entriesDir = join(dir, 'entries');
    this.stateDir = join(dir, 'state');
  }

  async loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>> {
    await fs.mkdir(this.entriesDir, { recursive: true, mode: 0o700 });
    await fs.mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await this.removeLeftovers();
    this.machines = await readJson<Record<string, MachineState[]>>(join(this.stateDir, 'machines.json')) ?? {};
    const names = (await fs.readdir(this.entriesDir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    const out: Array<{ entry: StoredEntry; machines: MachineState[] }> = [];
    for (const name of names.sort()) {
      if (!ENTRY_NAME_PATTERN.test(name)) continue;
      const entry = await readJson<StoredEntry>(join(this.entriesDir, `${name}.json`));
      if (!entry || entry.spec?.name !== name) { this.log(`store: skipping unreadable entry file ${name}.json`); continue; }
      out.push({ entry, machines: this.machines[name] ?? [] });
    }
    return out;
  }

  async putEntry(entry: StoredEntry): Promise<void> {
    await writeAtomic(this.entriesDir, `${entry.spec.name}.json`, JSON.stringify(entry));
  }

  async deleteEntry(name: string): Promise<void> {
    await fs.rm(join(this.entriesDir, `${name}.json`), { force: true });
    if (this.machines[name]) await this.putMachines(new Map([[name, []]]));
  }

  async putMachines(batch: Map<string, MachineState[]>): Promise<void> {
    for (const [name, machines] of batch) {
      if (machines.length) this.machines[name] = machines; else delete this.machines[name];
    }
    await writeAtomic(this.stateDir, 'machines.json', JSON.stringify(this.machines));
  }

  /** Temporary files of writes a crash interrupted: never renamed, so never an entry. */
  private async removeLeftovers(): Promise<void> {
    for (const dir of [this.entriesDir, this.stateDir]) {
      for (const f of await fs.readdir(dir)) {
        if (f.startsWith('.') && f.endsWith('.tmp')) await fs.rm(join(dir, f), { force: true });
      }
    }
  }
}

/** An in-memory store, for tests and throw-away servers. */
export class MemoryStore implements Store {
  readonly entries = new Map<string, StoredEntry>();
  readonly machines = new Map<string, MachineState[]>();

  async loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>> {
    return [...this.entries.values()].map((entry) => ({ entry, machines: this.machines.get(entry.spec.name) ?? [] }));
  }

  async putEntry(entry: StoredEntry): Promise<void> { this.entries.set(entry.spec.name, structuredClone(entry)); }

  async deleteEntry(name: string): Promise<void> { this.entries.delete(name); this.machines.delete(name); }

  async putMachines(batch: Map<string, MachineState[]>): Promise<void> {
    for (const [name, machines] of batch) this.machines.set(name, structuredClone(machines));
  }
}

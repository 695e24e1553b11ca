/**
 * Storage of boot entries and per-machine state. `Store` is the interface, record-level so a
 * database (one row per entry, one per machine) can implement it for replicas; `FileStore` is the
 * default: one JSON file per entry, written to a temporary file, fsynced and renamed, so a crash
 * never leaves a partial entry; machine state as a snapshot plus an append-only journal.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BootEntrySpec, MachineState } from '../entry';
import { ENTRY_NAME_PATTERN } from '../entry';
import { BootError } from '../errors';

/** An entry as stored: the spec plus what the server generated. */
export interface StoredEntry {
  spec: BootEntrySpec;
  token?: string;
  created_at: string;
  updated_at: string;
}

/**
 * One change of machine state: a record written or removed (`state: null`), or all of an entry's
 * records removed. `transition` marks a record whose boot steps changed (new, first iPXE, first
 * Ignition, first local boot): a shared store tells other replicas of those at once.
 */
export type MachineChange =
  { entry: string; key: string; state: MachineState | null; transition?: true } | { entry: string; reset: true };

/** What a shared store tells a replica about writes (its own, and other replicas' as they come). */
export interface StoreWatcher {
  /** An entry written (or deleted: `undefined`). */
  entry(name: string, stored: StoredEntry | undefined): void;
  /** Machine state another replica saved. */
  machine(change: MachineChange): void;
}

/** Where entries and machine state live. */
export interface Store {
  /** Every stored entry and its machine state (loaded once at start). */
  loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>>;
  putEntry(entry: StoredEntry): Promise<void>;
  /** Deletes an entry (its machine state goes with a `reset` change through `saveMachines`). */
  deleteEntry(name: string): Promise<void>;
  /** Applies machine-state changes in order, durably, as one batch. */
  saveMachines(changes: readonly MachineChange[]): Promise<void>;
  /** Releases what the store holds open (files, connections). */
  close?(): Promise<void>;
  /**
   * Shared stores (replicas race): writes an entry in one transaction with the stored one it
   * replaces; `change` returns the new entry, or undefined to delete. The result goes to the
   * watcher; resolves to the entry replaced.
   */
  updateEntry?(
    name: string,
    change: (old: StoredEntry | undefined) => StoredEntry | undefined,
  ): Promise<StoredEntry | undefined>;
  /** Shared stores: the stored state of these machines of an entry, as of now. */
  readMachines?(entry: string, keys: string[]): Promise<MachineState[]>;
  /** Shared stores: hands `watcher` every write from now until close. */
  watch?(watcher: StoreWatcher): void;
}

/** A store failure as the answer: 507 when the disk is full, else 503, with the reason. */
export function storageError(err: unknown, what: string): BootError {
  if (BootError.is(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new BootError(
    full ? 'insufficient_storage' : 'unavailable',
    `${what}: ${full ? 'the disk is full' : (err as Error).message}`,
    { cause: err },
  );
}

async function writeAtomic(dir: string, name: string, data: string): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, join(dir, name));
  } catch (err) {
    // A full disk must not leave half-written temporary files behind.
    await fs.rm(tmp, { force: true });
    throw err;
  }
  // The rename is durable only once the directory itself is synced.
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Applies one change to an in-memory table of machine state. */
function apply(table: Map<string, Map<string, MachineState>>, change: MachineChange): void {
  if ('reset' in change) {
    table.delete(change.entry);
    return;
  }
  let machines = table.get(change.entry);
  if (change.state) {
    if (!machines) {
      machines = new Map();
      table.set(change.entry, machines);
    }
    machines.set(change.key, change.state);
  } else if (machines) {
    machines.delete(change.key);
    if (machines.size === 0) table.delete(change.entry);
  }
}

const JOURNAL_MIN_BYTES = 4 * 1024 * 1024;

/**
 * The filesystem store under `dir`: `entries/<name>.json`; machine state in `state/machines.json`
 * (a snapshot) and `state/machines.journal` (one JSON line per change, appended and fdatasynced
 * per batch). The journal is folded into a new snapshot at start and once it outgrows the snapshot,
 * so a write costs the changed records, not the whole state.
 */
export class FileStore implements Store {
  private readonly entriesDir: string;
  private readonly stateDir: string;
  private readonly machines = new Map<string, Map<string, MachineState>>();
  private journal?: fs.FileHandle;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private torn = false;

  constructor(
    dir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.entriesDir = join(dir, 'entries');
    this.stateDir = join(dir, 'state');
  }

  async loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>> {
    await fs.mkdir(this.entriesDir, { recursive: true, mode: 0o700 });
    await fs.mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await this.removeLeftovers();
    await this.loadMachines();
    const names = (await fs.readdir(this.entriesDir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    const out: Array<{ entry: StoredEntry; machines: MachineState[] }> = [];
    for (const name of names.sort()) {
      if (!ENTRY_NAME_PATTERN.test(name)) continue;
      const entry = await readJson<StoredEntry>(join(this.entriesDir, `${name}.json`));
      if (!entry || entry.spec?.name !== name) {
        this.log(`store: skipping unreadable entry file ${name}.json`);
        continue;
      }
      out.push({ entry, machines: [...(this.machines.get(name)?.values() ?? [])] });
    }
    return out;
  }

  async putEntry(entry: StoredEntry): Promise<void> {
    await writeAtomic(this.entriesDir, `${entry.spec.name}.json`, JSON.stringify(entry));
  }

  async deleteEntry(name: string): Promise<void> {
    await fs.rm(join(this.entriesDir, `${name}.json`), { force: true });
  }

  async saveMachines(changes: readonly MachineChange[]): Promise<void> {
    if (changes.length === 0) return;
    // After a failed append the file may end in a partial line: start on a fresh one.
    const text = (this.torn ? '\n' : '') + changes.map((c) => JSON.stringify(c) + '\n').join('');
    this.journal ??= await fs.open(join(this.stateDir, 'machines.journal'), 'a', 0o600);
    try {
      await this.journal.appendFile(text);
      await this.journal.datasync();
    } catch (err) {
      // Reopen next time; a partial line at the end is skipped at load.
      await this.journal.close().catch(() => undefined);
      this.journal = undefined;
      this.torn = true;
      throw err;
    }
    this.torn = false;
    for (const c of changes) apply(this.machines, c);
    this.journalBytes += Buffer.byteLength(text);
    if (this.journalBytes > Math.max(JOURNAL_MIN_BYTES, 2 * this.snapshotBytes)) await this.compact();
  }

  /** Closes the journal. */
  async close(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
  }

  private async loadMachines(): Promise<void> {
    const snapshot = (await readJson<Record<string, MachineState[]>>(join(this.stateDir, 'machines.json'))) ?? {};
    for (const [entry, list] of Object.entries(snapshot)) {
      if (Array.isArray(list)) this.machines.set(entry, new Map(list.map((m) => [m.key, m])));
    }
    let journal = '';
    try {
      journal = await fs.readFile(join(this.stateDir, 'machines.journal'), 'utf8');
    } catch {
      /* none yet */
    }
    for (const line of journal.split('\n')) {
      if (!line) continue;
      // A crash mid-append leaves a torn last line: that change was never acknowledged.
      try {
        apply(this.machines, JSON.parse(line) as MachineChange);
      } catch {
        this.log('store: skipped a torn machine-state journal line');
      }
    }
    await this.compact();
  }

  /** Writes the snapshot of everything, then empties the journal. */
  private async compact(): Promise<void> {
    const snapshot: Record<string, MachineState[]> = {};
    for (const [entry, m] of this.machines) snapshot[entry] = [...m.values()];
    const text = JSON.stringify(snapshot);
    await writeAtomic(this.stateDir, 'machines.json', text);
    await this.journal?.close();
    this.journal = await fs.open(join(this.stateDir, 'machines.journal'), 'w', 0o600);
    this.journalBytes = 0;
    this.snapshotBytes = text.length;
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
  readonly machines = new Map<string, Map<string, MachineState>>();

  async loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>> {
    return [...this.entries.values()].map((entry) => ({
      entry,
      machines: [...(this.machines.get(entry.spec.name)?.values() ?? [])],
    }));
  }

  async putEntry(entry: StoredEntry): Promise<void> {
    this.entries.set(entry.spec.name, structuredClone(entry));
  }

  async deleteEntry(name: string): Promise<void> {
    this.entries.delete(name);
  }

  async saveMachines(changes: readonly MachineChange[]): Promise<void> {
    for (const c of changes) apply(this.machines, structuredClone(c));
  }
}

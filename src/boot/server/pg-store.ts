/**
 * The PostgreSQL store, for several replicas serving one site: entries, tokens and machine state
 * in three tables, written in transactions; every write is announced with NOTIFY so each replica's
 * in-memory catalog (the hot path) follows within moments. Machine records merge in the database
 * (earliest transition times, highest counters), so replicas never undo each other's transitions.
 * While the database is unreachable the replica keeps serving what it has; writes fail (503) and
 * the listener reconnects, then reloads everything it may have missed.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import type { MachineState } from '../entry';
import { BootError } from '../errors';
import type { MachineChange, Store, StoredEntry, StoreWatcher } from './store';

const CHANNEL = 'ovirt_boot_store';

/**
 * The schema, one migration per version (never edited once released: add a new one). Machine
 * records merge field by field, so two replicas saving one machine keep both transitions.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ovirt_boot_entries (name text PRIMARY KEY, doc text NOT NULL, revision bigint NOT NULL);
   CREATE SEQUENCE ovirt_boot_revision;
   CREATE TABLE ovirt_boot_machines (entry text NOT NULL, key text NOT NULL, state jsonb NOT NULL, PRIMARY KEY (entry, key));
   CREATE FUNCTION ovirt_boot_merge(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
     SELECT (CASE WHEN b->>'last_seen_at' >= a->>'last_seen_at' THEN a || b ELSE b || a END) || jsonb_strip_nulls(jsonb_build_object(
       'first_ipxe_at', LEAST(a->>'first_ipxe_at', b->>'first_ipxe_at'),
       'first_ignition_at', LEAST(a->>'first_ignition_at', b->>'first_ignition_at'),
       'last_local_boot_at', GREATEST(a->>'last_local_boot_at', b->>'last_local_boot_at'),
       'ipxe_fetches', GREATEST((a->>'ipxe_fetches')::bigint, (b->>'ipxe_fetches')::bigint),
       'ignition_fetches', GREATEST((a->>'ignition_fetches')::bigint, (b->>'ignition_fetches')::bigint),
       'local_boots', GREATEST((a->>'local_boots')::bigint, (b->>'local_boots')::bigint)))
   $$;`,
  // A machine-state batch in one statement (one round trip, its own transaction): resets, then
  // removals, then merged records, then the notifications, under the lock that orders all batches.
  `CREATE FUNCTION ovirt_boot_save_machines(resets jsonb, removed jsonb, states jsonb, notes jsonb) RETURNS void
   LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtext('ovirt_boot_machines'));
     DELETE FROM ovirt_boot_machines WHERE entry IN (SELECT jsonb_array_elements_text(resets));
     DELETE FROM ovirt_boot_machines m USING jsonb_array_elements(removed) AS pair
       WHERE m.entry = pair->>0 AND m.key = pair->>1;
     INSERT INTO ovirt_boot_machines (entry, key, state)
       SELECT entry, key, state FROM jsonb_to_recordset(states) AS t(entry text, key text, state jsonb)
       ON CONFLICT (entry, key) DO UPDATE SET state = ovirt_boot_merge(ovirt_boot_machines.state, EXCLUDED.state);
     PERFORM pg_notify('${CHANNEL}', note) FROM jsonb_array_elements_text(notes) AS note;
   END
   $$;`,
];

/** The schema version this server knows. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** A connection URL fit to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** What a notification says: written by `o`; an entry at revision `r`, machine records `m`, or an entry's machines reset `x`. */
interface Note {
  o: string;
  e?: string;
  r?: number;
  m?: Array<[string, string]>;
  x?: string;
}

/** Notification payloads stay below PostgreSQL's 8000-byte limit. */
const MAX_NOTE = 7000;

/** A database failure as a store error: the reason, never the connection string. */
function dbError(err: unknown): Error {
  if (BootError.is(err)) return err;
  return new Error(`PostgreSQL: ${(err as Error).message || String(err)}`, { cause: err });
}

/** Options of the PostgreSQL store. */
export interface PgStoreOptions {
  /** Log lines (reconnects, skipped rows). */
  log?: (line: string) => void;
  /** How long a connection attempt or query may take before it fails. @default 5000 ms */
  timeoutMs?: number;
}

/** The PostgreSQL store; open it with `PgStore.open(url)`. */
export class PgStore implements Store {
  /** Identifies this replica's own notifications. */
  private readonly origin = randomBytes(8).toString('hex');
  /** Newest revision applied per entry (deletions included), so an older answer never overwrites a newer one. */
  private readonly revisions = new Map<string, number>();
  private watcher?: StoreWatcher;
  private listener?: Client;
  private pending: Note[] = [];
  /** Notifications are handled one at a time, in the order they came. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reloadTimer?: NodeJS.Timeout;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly log: (line: string) => void,
    private readonly timeoutMs: number,
  ) {}

  /** Connects, runs the migrations and starts listening; throws one line naming the database (no password) and the reason. */
  static async open(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const pool = new Pool({
      connectionString: url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      max: 8,
    });
    const log = opts.log ?? (() => {});
    pool.on('error', (err) => log(`store: idle PostgreSQL connection lost: ${err.message}`));
    const store = new PgStore(url, pool, log, timeoutMs);
    try {
      await store.migrate();
      await store.listen();
    } catch (err) {
      await store.close();
      // The one line says "PostgreSQL" once: the driver's own reason, not the wrapped one.
      const cause = BootError.is(err) ? err : (((err as Error).cause as Error | undefined) ?? (err as Error));
      const reason = cause.message || String(err);
      throw new Error(`cannot use the PostgreSQL store at ${redactUrl(url)}: ${reason}`);
    }
    return store;
  }

  /** Brings the schema to this server's version under a lock (replicas may start together); refuses a newer one. */
  private async migrate(): Promise<void> {
    await this.transaction(async (conn) => {
      await conn.query("SELECT pg_advisory_xact_lock(hashtext('ovirt_boot_schema'))");
      await conn.query(
        'CREATE TABLE IF NOT EXISTS ovirt_boot_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const have = Number(
        (await conn.query<{ v: number | null }>('SELECT max(version) AS v FROM ovirt_boot_schema')).rows[0]?.v ?? 0,
      );
      if (have > PG_SCHEMA_VERSION) {
        throw new BootError(
          'unavailable',
          `the database has schema version ${have}, newer than this server's ${PG_SCHEMA_VERSION}; run a newer ovirt-cdktf (nothing was changed)`,
        );
      }
      for (let v = have + 1; v <= PG_SCHEMA_VERSION; v++) {
        await conn.query(MIGRATIONS[v - 1]!);
        await conn.query('INSERT INTO ovirt_boot_schema (version) VALUES ($1)', [v]);
        this.log(`store: PostgreSQL schema migrated to version ${v}`);
      }
    });
  }

  /** Runs `fn` in a transaction on one pooled connection. */
  private async transaction<T>(fn: (conn: PoolClient) => Promise<T>): Promise<T> {
    let conn: PoolClient;
    try {
      conn = await this.pool.connect();
    } catch (err) {
      throw dbError(err);
    }
    let broken: Error | undefined;
    // A connection lost between two statements is reported as an event, not by the next query.
    const onError = (err: Error) => {
      broken = err;
    };
    conn.on('error', onError);
    try {
      await conn.query('BEGIN');
      const out = await fn(conn);
      await conn.query('COMMIT');
      return out;
    } catch (err) {
      await conn.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw dbError(err);
    } finally {
      conn.off('error', onError);
      conn.release(broken);
    }
  }

  private async query<R extends object>(text: string, values?: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (err) {
      throw dbError(err);
    }
  }

  async loadAll(): Promise<Array<{ entry: StoredEntry; machines: MachineState[] }>> {
    const entries = await this.query<{ name: string; doc: string; revision: string }>(
      'SELECT name, doc, revision FROM ovirt_boot_entries ORDER BY name',
    );
    const machines = new Map<string, MachineState[]>();
    for (const r of await this.query<{ entry: string; state: MachineState }>(
      'SELECT entry, state FROM ovirt_boot_machines',
    )) {
      const list = machines.get(r.entry) ?? [];
      list.push(r.state);
      machines.set(r.entry, list);
    }
    return entries.flatMap((row) => {
      this.revisions.set(row.name, Math.max(this.revisions.get(row.name) ?? 0, Number(row.revision)));
      const entry = this.parse(row.name, row.doc);
      return entry ? [{ entry, machines: machines.get(row.name) ?? [] }] : [];
    });
  }

  private parse(name: string, doc: string): StoredEntry | undefined {
    try {
      const entry = JSON.parse(doc) as StoredEntry;
      if (entry.spec?.name === name) return entry;
    } catch {
      /* reported below */
    }
    this.log(`store: skipping unreadable entry row ${name}`);
    return undefined;
  }

  async putEntry(entry: StoredEntry): Promise<void> {
    await this.updateEntry(entry.spec.name, () => entry);
  }

  async deleteEntry(name: string): Promise<void> {
    await this.updateEntry(name, () => undefined);
  }

  /**
   * Writes an entry in one transaction with the stored one it replaces, under a per-entry lock
   * (so two replicas creating one entry agree on its token); the result reaches this replica's
   * watcher before the promise resolves, and the others' through NOTIFY.
   */
  async updateEntry(
    name: string,
    change: (old: StoredEntry | undefined) => StoredEntry | undefined,
  ): Promise<StoredEntry | undefined> {
    const { old, next, revision } = await this.transaction(async (conn) => {
      await conn.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ovirt_boot_entry:${name}`]);
      const row = (await conn.query<{ doc: string }>('SELECT doc FROM ovirt_boot_entries WHERE name = $1', [name]))
        .rows[0];
      const old = row ? this.parse(name, row.doc) : undefined;
      const next = change(old);
      if (!next && !row) return { old, next, revision: undefined };
      const revision = Number(
        (await conn.query<{ r: string }>("SELECT nextval('ovirt_boot_revision') AS r")).rows[0]!.r,
      );
      if (next) {
        await conn.query(
          `INSERT INTO ovirt_boot_entries (name, doc, revision) VALUES ($1, $2, $3)
          ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc, revision = EXCLUDED.revision`,
          [name, JSON.stringify(next), revision],
        );
      } else {
        await conn.query('DELETE FROM ovirt_boot_entries WHERE name = $1', [name]);
      }
      await this.notify(conn, { o: this.origin, e: name, r: revision });
      return { old, next, revision };
    });
    if (revision !== undefined) this.deliverEntry(name, next, revision);
    return old;
  }

  /** Hands an entry to the watcher unless something newer was handed already. */
  private deliverEntry(name: string, entry: StoredEntry | undefined, revision: number): void {
    if ((this.revisions.get(name) ?? 0) >= revision) return;
    this.revisions.set(name, revision);
    this.watcher?.entry(name, entry);
  }

  /**
   * Saves a batch of machine changes in one statement (`ovirt_boot_save_machines`: one round trip
   * where a transaction took five, which is most of a one-shot Ignition fetch's wait) and announces
   * those other replicas need at once (transitions, removals, resets); counters and contact times
   * alone are stored without a notification, so a busy replica does not make every other one read
   * back each machine it served (they merge into the next transition's row, or a reload). Replicas
   * save overlapping batches, and row locks taken in different orders deadlock; so every batch first
   * takes one transaction-scoped lock that orders them all. Batches are few (at most two a second
   * per replica, plus one-shot transitions, which the tracker groups while a save is in flight) and
   * short. The records go as JSON parameters: the driver's array literals escape every quote of
   * every state, which cost more than the query. The function applies resets, then removals, then
   * records, the order the tracker sends them in.
   */
  async saveMachines(changes: readonly MachineChange[]): Promise<void> {
    if (changes.length === 0) return;
    const resets: string[] = [];
    const removed: Array<[string, string]> = [];
    const keys: Array<[string, string]> = [];
    const states: MachineChange[] = [];
    for (const ch of changes) {
      if ('reset' in ch) resets.push(ch.entry);
      else if (!ch.state) {
        removed.push([ch.entry, ch.key]);
        keys.push([ch.entry, ch.key]);
      } else {
        states.push(ch);
        if (ch.transition) keys.push([ch.entry, ch.key]);
      }
    }
    const notes = resets.map((entry) => JSON.stringify({ o: this.origin, x: entry }));
    // Several notifications when one would exceed PostgreSQL's payload limit.
    let batch: Array<[string, string]> = [];
    let size = 0;
    for (const k of keys) {
      const len = k[0].length + k[1].length + 8;
      if (size + len > MAX_NOTE && batch.length) {
        notes.push(JSON.stringify({ o: this.origin, m: batch }));
        batch = [];
        size = 0;
      }
      batch.push(k);
      size += len;
    }
    if (batch.length) notes.push(JSON.stringify({ o: this.origin, m: batch }));
    await this.query('SELECT ovirt_boot_save_machines($1, $2, $3, $4)', [
      JSON.stringify(resets),
      JSON.stringify(removed),
      JSON.stringify(states),
      JSON.stringify(notes),
    ]);
  }

  /** The stored state of an entry's machines (a one-shot decision must not rest on a cache a moment old). */
  async readMachines(entry: string, keys: string[]): Promise<MachineState[]> {
    const rows = await this.query<{ state: MachineState }>(
      'SELECT state FROM ovirt_boot_machines WHERE entry = $1 AND key = ANY($2)',
      [entry, keys],
    );
    return rows.map((r) => r.state);
  }

  private async notify(conn: PoolClient, note: Note): Promise<void> {
    await conn.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(note)]);
  }

  /** Starts handing the watcher every change made by other replicas (and, first, those that came since the load). */
  watch(watcher: StoreWatcher): void {
    this.watcher = watcher;
    const early = this.pending;
    this.pending = [];
    for (const note of early) this.enqueue(() => this.handle(note));
  }

  /** Connects the LISTEN connection; on loss, reconnects every half second and then reloads everything. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: this.timeoutMs });
    client.on('notification', (msg) => {
      let note: Note;
      try {
        note = JSON.parse(msg.payload ?? '') as Note;
      } catch {
        return;
      }
      if (note.o === this.origin) return;
      if (!this.watcher) {
        this.pending.push(note);
        return;
      }
      this.enqueue(() => this.handle(note));
    });
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log(
        `store: lost the PostgreSQL notification connection${err ? ` (${err.message})` : ''}; serving from memory, reconnecting`,
      );
      this.reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.end().catch(() => undefined);
      throw dbError(err);
    }
    this.listener = client;
  }

  private reconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen().then(
        () => {
          this.log('store: PostgreSQL notification connection back; reloading');
          this.reload();
        },
        () => {
          if (!this.closed) this.reconnect();
        },
      );
    }, 500);
    this.reconnectTimer.unref();
  }

  /** Reads everything again, in turn with the notifications. */
  private reload(): void {
    this.enqueue(async () => {
      if (!this.listener) return; // lost meanwhile: the reconnection reloads
      await this.resync();
    });
  }

  /**
   * Runs tasks one at a time. A change that could not be applied (e.g. a query timing out) may be a
   * write this replica never learns of otherwise: a reload, retried every half second until one succeeds.
   */
  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err: unknown) => {
      if (this.closed) return;
      this.log(`store: could not apply changes from other replicas: ${(err as Error).message}; reloading`);
      if (this.reloadTimer) return;
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = undefined;
        this.reload();
      }, 500);
      this.reloadTimer.unref();
    });
  }

  /** Applies one notification: reads the rows it names (the newest state, whatever the order notifications came in). */
  private async handle(note: Note): Promise<void> {
    const watcher = this.watcher!;
    if (note.e !== undefined && note.r !== undefined) {
      if ((this.revisions.get(note.e) ?? 0) >= note.r) return;
      const row = (
        await this.query<{ doc: string; revision: string }>(
          'SELECT doc, revision FROM ovirt_boot_entries WHERE name = $1',
          [note.e],
        )
      )[0];
      if (row) this.deliverEntry(note.e, this.parse(note.e, row.doc), Number(row.revision));
      else this.deliverEntry(note.e, undefined, note.r);
    }
    if (note.x !== undefined) watcher.machine({ entry: note.x, reset: true });
    if (note.m?.length) {
      const rows = await this.query<{ entry: string; key: string; state: MachineState }>(
        `SELECT m.entry, m.key, m.state FROM ovirt_boot_machines m
        JOIN (SELECT pair->>0 AS entry, pair->>1 AS key FROM jsonb_array_elements($1::jsonb) AS pair) k USING (entry, key)`,
        [JSON.stringify(note.m)],
      );
      const found = new Set(rows.map((r) => `${r.entry}\0${r.key}`));
      for (const r of rows) watcher.machine({ entry: r.entry, key: r.key, state: r.state });
      for (const [entry, key] of note.m)
        if (!found.has(`${entry}\0${key}`)) watcher.machine({ entry, key, state: null });
    }
  }

  /** After a lost connection: everything, as the database has it now. */
  private async resync(): Promise<void> {
    const watcher = this.watcher;
    if (!watcher) return;
    const rows = await this.query<{ name: string; doc: string; revision: string }>(
      'SELECT name, doc, revision FROM ovirt_boot_entries',
    );
    const present = new Set(rows.map((r) => r.name));
    for (const r of rows) this.deliverEntry(r.name, this.parse(r.name, r.doc), Number(r.revision));
    const top = Number((await this.query<{ r: string }>('SELECT last_value AS r FROM ovirt_boot_revision'))[0]!.r);
    for (const name of [...this.revisions.keys()]) if (!present.has(name)) this.deliverEntry(name, undefined, top);
    for (const r of await this.query<{ entry: string; key: string; state: MachineState }>(
      'SELECT entry, key, state FROM ovirt_boot_machines',
    )) {
      watcher.machine({ entry: r.entry, key: r.key, state: r.state });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.chain;
    await this.pool.end().catch(() => undefined);
  }
}

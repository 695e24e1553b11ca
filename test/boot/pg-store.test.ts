/**
 * Boot servers as a fleet on a REAL PostgreSQL (a private cluster, test/support/postgres.ts):
 * migrations and refusals at start, two and three replicas sharing entries, tokens and machine
 * state, one-shot across replicas during concurrent rewrites of the entry, concurrent writers, the
 * database restarted mid-traffic, and a replica SIGKILLed mid-traffic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { BootEntrySpec } from '../../src/boot';
import type { MachineState } from '../../src/boot/entry';
import { PG_SCHEMA_VERSION, PgStore } from '../../src/boot/server/pg-store';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import type { MachineChange, StoredEntry } from '../../src/boot/server/store';
import { entryOf, fetchText, ignitionOf, ipxeVersion, macOf, putEntry, type Answer } from '../chaos/boot-support';
import { freePort, startPostgres, type Postgres } from '../support/postgres';
import { bundleEntry } from '../support/terraform';
import { testRunEnv } from '../support/test-run';

const TOKEN = 'pg-replicas-admin-token-5be1';
/** The store's notification channel (src/boot/server/pg-store.ts). */
const CHANNEL = 'ovirt_boot_store';
const LOCAL_BOOT = 'booting from local disk';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true; fails with `what` after `timeoutMs` (generous: the machine is shared). */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await pause(25);
  }
}

const get = (base: string, path: string): Promise<Answer> => fetchText(`${base}${path}`);
const adminGet = (base: string, path: string): Promise<Answer> =>
  fetchText(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

const pg = { current: undefined as Postgres | undefined };
let dbCount = 0;
const newDatabase = () => pg.current!.createDatabase(`boot_${++dbCount}`);

beforeAll(async () => {
  pg.current = await startPostgres();
}, 120_000);
afterAll(() => pg.current?.stop());

/** `count` in-process replicas on one database; stopped by the caller. */
async function replicas(url: string, count: number, logs: string[] = []): Promise<RunningBootServer[]> {
  const out: RunningBootServer[] = [];
  for (let i = 0; i < count; i++) {
    const log = (line: string) => logs.push(`r${i}: ${line}`);
    out.push(
      await startBootServer({
        port: 0,
        store: await PgStore.open(url, { log, timeoutMs: 2000 }),
        token: TOKEN,
        log,
        logRequests: false,
      }),
    );
  }
  return out;
}

const stopAll = (servers: RunningBootServer[]) => Promise.all(servers.map((s) => s.stop()));
const maybe = (name: string, fn: () => Promise<void>, timeout?: number) =>
  it(
    name,
    async () => {
      if (!pg.current) return; // startPostgres printed why
      await fn();
    },
    timeout,
  );

describe('PostgreSQL store: start-up', () => {
  maybe('migrates a new database once, also when replicas start together', async () => {
    const url = await newDatabase();
    const stores = await Promise.all([0, 1, 2].map(() => PgStore.open(url)));
    await Promise.all(stores.map((s) => s.close()));
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      expect(
        (await db.query('SELECT version FROM ovirt_boot_schema ORDER BY version')).rows.map(
          (r: { version: number }) => r.version,
        ),
      ).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
    } finally {
      await db.end();
    }
  });

  maybe('brings a database of schema version 1 (the first release) up to date, and saves machines there', async () => {
    const url = await newDatabase();
    await (await PgStore.open(url)).close();
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      // What version 1 left: no one-statement save function, version 1 recorded.
      await db.query('DROP FUNCTION ovirt_boot_save_machines(jsonb, jsonb, jsonb, jsonb)');
      await db.query('DELETE FROM ovirt_boot_schema WHERE version > 1');
      const store = await PgStore.open(url);
      const state: MachineState = {
        key: 'mac:52:54:00:00:00:01',
        source: '10.0.0.1',
        ipxe_fetches: 1,
        ignition_fetches: 1,
        first_ignition_at: '2026-12-01T00:00:00.000Z',
        last_seen_at: '2026-12-01T00:00:00.000Z',
      };
      await store.saveMachines([{ entry: 'workers', key: state.key, state, transition: true }]);
      expect(await store.readMachines('workers', [state.key])).toEqual([state]);
      await store.close();
      expect((await db.query('SELECT max(version) AS v FROM ovirt_boot_schema')).rows[0].v).toBe(PG_SCHEMA_VERSION);
    } finally {
      await db.end();
    }
  });

  maybe('refuses a database with a newer schema, changing nothing', async () => {
    const url = await newDatabase();
    await (await PgStore.open(url)).close();
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query('INSERT INTO ovirt_boot_schema (version) VALUES ($1)', [PG_SCHEMA_VERSION + 1]);
      await expect(PgStore.open(url)).rejects.toThrow(
        `the database has schema version ${PG_SCHEMA_VERSION + 1}, newer than this server's ${PG_SCHEMA_VERSION}`,
      );
      expect((await db.query('SELECT max(version) AS v FROM ovirt_boot_schema')).rows[0].v).toBe(PG_SCHEMA_VERSION + 1);
    } finally {
      await db.end();
    }
  });

  maybe('refuses unreachable and wrong URLs with one line that never shows the password', async () => {
    const { password, port, user } = pg.current!;
    const dead = await freePort();
    const cases: Array<[string, string]> = [
      [`postgres://${user}:${password}@127.0.0.1:${dead}/x`, 'ECONNREFUSED'],
      [`postgres://${user}:${password}@127.0.0.1:${port}/no_such_db`, 'database "no_such_db" does not exist'],
      [
        `postgres://${user}:wrong-${password}@127.0.0.1:${port}/postgres`,
        `password authentication failed for user "${user}"`,
      ],
    ];
    for (const [url, reason] of cases) {
      const err = await PgStore.open(url, { timeoutMs: 2000 }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toContain(reason);
      expect(err?.message).toMatch(
        /^cannot use the PostgreSQL store at postgres:\/\/tester:\*\*\*@127\.0\.0\.1:\d+\/\w+: /,
      );
      expect(err?.message).not.toContain(password);
      expect(err?.message.split('\n')).toHaveLength(1);
    }
  });

  maybe(
    'the CLI prints that one line and exits 1',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
      try {
        const main = await bundleEntry('test/chaos/boot-server-main.ts', dir);
        const url = `postgres://tester:${pg.current!.password}@127.0.0.1:${await freePort()}/boot`;
        const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, [main, '--port', '0', '--data-dir', join(dir, 'data')], {
            env: { PATH: process.env.PATH, OVIRT_BOOT_STORE: url, OVIRT_BOOT_TOKEN: TOKEN, ...testRunEnv() },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (data: Buffer) => {
            out += data.toString();
          });
          child.stderr.on('data', (data: Buffer) => {
            out += data.toString();
          });
          child.on('close', (code) => resolve({ code, out }));
        });
        expect(run.code).toBe(1);
        expect(run.out.trim().split('\n')).toEqual([
          expect.stringMatching(
            /^boot-server: cannot use the PostgreSQL store at postgres:\/\/tester:\*\*\*@127\.0\.0\.1:\d+\/boot: .*ECONNREFUSED/,
          ),
        ]);
        expect(run.out).not.toContain(pg.current!.password);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('PostgreSQL store: replicas', () => {
  maybe(
    'an entry written through one of three replicas is served by the others, with the same token; updates and deletes follow',
    async () => {
      const rs = await replicas(await newDatabase(), 3);
      try {
        const spec: BootEntrySpec = { ...entryOf('w0', 0, 1), require_token: true };
        const put = await putEntry(rs[0]!.url, TOKEN, spec);
        expect(put.status).toBe(201);
        const token = (JSON.parse(put.body) as { token: string }).token;
        for (const r of rs.slice(1)) {
          await eventually(
            'the entry reaches the other replicas',
            async () => (await get(r.url, `/ipxe?mac=${macOf(0)}`)).status === 200,
          );
          expect((await get(r.url, `/ignition/${token}`)).body).toBe(ignitionOf('w0', 1));
        }
        expect((await putEntry(rs[1]!.url, TOKEN, { ...entryOf('w0', 0, 2), require_token: true })).status).toBe(200);
        for (const r of [rs[0]!, rs[2]!]) {
          await eventually(
            'the update reaches the others',
            async () => ipxeVersion('w0', (await get(r.url, `/ipxe?mac=${macOf(0)}`)).body) === 2,
          );
          expect((await get(r.url, `/ignition/${token}`)).body).toBe(ignitionOf('w0', 2)); // the token survived the update
        }
        expect(
          (
            await fetchText(`${rs[2]!.url}/api/v1/entries/w0`, {
              method: 'DELETE',
              headers: { authorization: `Bearer ${TOKEN}` },
            })
          ).status,
        ).toBe(200);
        for (const r of rs.slice(0, 2))
          await eventually(
            'the delete reaches the others',
            async () => (await get(r.url, `/ipxe?mac=${macOf(0)}`)).status === 404,
          );
      } finally {
        await stopAll(rs);
      }
    },
    120_000,
  );

  maybe(
    'one-shot holds across replicas, also while the entry is being rewritten: exactly one install per machine',
    async () => {
      const rs = await replicas(await newDatabase(), 3);
      const MACHINES = 8;
      const oneShot = (version: number): BootEntrySpec => ({
        name: 'fleet',
        role: 'worker',
        one_shot: true,
        selectors: { macs: Array.from({ length: MACHINES }, (_, i) => macOf(i)) },
        ipxe: { script: `#!ipxe\necho fleet-v${version}\nexit\n` },
        ignition: ignitionOf('fleet', version),
      });
      try {
        expect((await putEntry(rs[0]!.url, TOKEN, oneShot(0))).status).toBe(201);
        for (const r of rs)
          await eventually(
            'the entry everywhere',
            async () => (await get(r.url, `/ipxe?mac=${macOf(0)}`)).status === 200,
          );
        let writing = true;
        let writes = 0;
        const writer = (async () => {
          for (let v = 1; writing; v++) {
            if ((await putEntry(rs[v % 3]!.url, TOKEN, oneShot(v))).status === 200) writes++;
          }
        })();
        const installs = new Array<number>(MACHINES).fill(0);
        const problems: string[] = [];
        await Promise.all(
          Array.from({ length: MACHINES }, async (_, machine) => {
            // Firmware: iPXE on one replica, the installer's Ignition on the next, every reboot on yet another.
            for (let boot = 0; boot < 6; boot++) {
              const ipxe = await get(rs[(machine + boot) % 3]!.url, `/ipxe?mac=${macOf(machine)}`);
              if (ipxe.status !== 200) {
                problems.push(`machine ${machine} boot ${boot}: ${ipxe.status} ${ipxe.body}`);
                continue;
              }
              if (ipxe.body.includes(LOCAL_BOOT)) continue;
              installs[machine]!++;
              const ign = await get(rs[(machine + boot + 1) % 3]!.url, `/ignition?mac=${macOf(machine)}`);
              if (ign.status !== 200) problems.push(`machine ${machine} ignition: ${ign.status} ${ign.body}`);
            }
          }),
        );
        writing = false;
        await writer;
        expect(problems).toEqual([]);
        expect(writes).toBeGreaterThan(0);
        expect(installs).toEqual(new Array<number>(MACHINES).fill(1));
        // Every replica now has each machine's state, and the database has exactly one first Ignition per machine.
        for (const r of rs) {
          await eventually('machine state on every replica', async () => {
            const view = JSON.parse((await adminGet(r.url, '/entries/fleet')).body) as {
              machines: Array<{ first_ignition_at?: string }>;
            };
            return view.machines.length === MACHINES && view.machines.every((m) => m.first_ignition_at);
          });
        }
      } finally {
        await stopAll(rs);
      }
    },
    240_000,
  );

  maybe(
    'concurrent writers through three replicas: one creation wins, one token, every replica ends on the stored version',
    async () => {
      const rs = await replicas(await newDatabase(), 3);
      try {
        const create = await Promise.all(
          rs.map((replica) =>
            fetchText(`${replica.url}/api/v1/entries/solo`, {
              method: 'PUT',
              body: JSON.stringify({ ...entryOf('solo', 9, 0), require_token: true }),
              headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-none-match': '*' },
            }),
          ),
        );
        expect(create.map((a) => a.status).sort()).toEqual([201, 412, 412]);
        const shared = await Promise.all(
          rs.map((r) => putEntry(r.url, TOKEN, { ...entryOf('shared', 10, 0), require_token: true })),
        );
        expect(shared.map((a) => a.status).sort()).toEqual([200, 200, 201]);
        expect(new Set(shared.map((a) => (JSON.parse(a.body) as { token: string }).token)).size).toBe(1);
        await Promise.all(
          rs.flatMap((replica, nth) =>
            [0, 1, 2, 3].map(async (entry) => {
              for (let v = 1; v <= 15; v++)
                expect(
                  (await putEntry(replica.url, TOKEN, entryOf(`c${entry}`, entry, v * 10 + nth))).status,
                ).toBeLessThan(300);
            }),
          ),
        );
        for (const i of [0, 1, 2, 3]) {
          const stored = ipxeVersion(
            `c${i}`,
            (JSON.parse((await adminGet(rs[0]!.url, `/entries/c${i}`)).body) as { ipxe: { script: string } }).ipxe
              .script,
          );
          expect(typeof stored).toBe('number');
          for (const r of rs)
            await eventually(
              `c${i} converges`,
              async () => ipxeVersion(`c${i}`, (await get(r.url, `/ipxe?mac=${macOf(i)}`)).body) === stored,
            );
        }
      } finally {
        await stopAll(rs);
      }
    },
    240_000,
  );

  maybe(
    'the database restarted mid-traffic: reads never fail, writes answer 503 with the reason, then everything resumes',
    async () => {
      const logs: string[] = [];
      const rs = await replicas(await newDatabase(), 2, logs);
      try {
        for (let i = 0; i < 3; i++)
          expect((await putEntry(rs[0]!.url, TOKEN, entryOf(`d${i}`, i, 1))).status).toBe(201);
        for (const r of rs)
          await eventually(
            'entries everywhere',
            async () => (await get(r.url, `/ipxe?mac=${macOf(2)}`)).status === 200,
          );
        let reading = true;
        const failures: string[] = [];
        let reads = 0;
        const readers = rs.map(async (replica) => {
          for (let n = 0; reading; n++) {
            const answer = await get(replica.url, `/ipxe?mac=${macOf(n % 3)}`);
            reads++;
            if (answer.status !== 200) failures.push(`${answer.status} ${answer.body}`);
          }
        });
        pg.current!.halt();
        const down = await putEntry(rs[1]!.url, TOKEN, entryOf('d0', 0, 2));
        pg.current!.start();
        await eventually(
          'writes work again',
          async () => (await putEntry(rs[0]!.url, TOKEN, entryOf('d1', 1, 3))).status === 200,
          60_000,
        );
        await eventually(
          'changes flow between replicas again',
          async () => ipxeVersion('d1', (await get(rs[1]!.url, `/ipxe?mac=${macOf(1)}`)).body) === 3,
          60_000,
        );
        reading = false;
        await Promise.all(readers);
        expect(down.status).toBe(503);
        expect(down.body).toMatch(/could not store entry d0: PostgreSQL: /);
        expect(failures).toEqual([]);
        expect(reads).toBeGreaterThan(0);
        expect(logs.join('\n')).not.toContain(pg.current!.password);
      } finally {
        await stopAll(rs);
      }
    },
    240_000,
  );
});

describe('PostgreSQL store: a change that cannot be applied', () => {
  maybe('makes the replica reload everything, retrying until it succeeds', async () => {
    const url = await newDatabase();
    const logs: string[] = [];
    const store = await PgStore.open(url, { log: (line) => logs.push(line), timeoutMs: 2000 });
    const seen = new Map<string, StoredEntry | undefined>();
    store.watch({ entry: (name, stored) => seen.set(name, stored), machine: () => undefined });
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      // A write this replica is never told of, then a notification whose machine rows cannot be read
      // (a query failing, as one timing out under load does): only a reload can bring the write.
      const now = new Date().toISOString();
      const lost: StoredEntry = { spec: entryOf('lost', 1, 1), created_at: now, updated_at: now };
      await db.query(
        "INSERT INTO ovirt_boot_entries (name, doc, revision) VALUES ('lost', $1, nextval('ovirt_boot_revision'))",
        [JSON.stringify(lost)],
      );
      // (A machine row, so PostgreSQL evaluates the note's pairs at all.)
      await db.query(`INSERT INTO ovirt_boot_machines (entry, key, state) VALUES ('lost', 'k', '{}')`);
      await db.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ o: 'elsewhere', m: 'not pairs' })]);
      await eventually('the failure is logged', async () =>
        logs.some((l) => l.startsWith('store: could not apply changes from other replicas')),
      );
      await eventually('the reload brings the write', async () => seen.get('lost')?.spec.name === 'lost');
    } finally {
      await db.end();
      await store.close();
    }
  });
});

describe('PostgreSQL store: the hot path in memory', () => {
  maybe(
    'a one-shot machine: every "not installed" answer confirmed by a database read, none once installed',
    async () => {
      const url = await newDatabase();
      const reads = [0, 0];
      const rs: RunningBootServer[] = [];
      try {
        for (const index of [0, 1]) {
          const store = await PgStore.open(url, { timeoutMs: 2000 });
          const read = store.readMachines.bind(store);
          store.readMachines = (entry, keys) => {
            reads[index]!++;
            return read(entry, keys);
          };
          rs.push(await startBootServer({ port: 0, store, token: TOKEN, log: () => undefined, logRequests: false }));
        }
        const spec: BootEntrySpec = {
          name: 'fleet',
          one_shot: true,
          selectors: { macs: [macOf(0)] },
          ipxe: { script: '#!ipxe\necho fleet\nexit\n' },
          ignition: ignitionOf('fleet', 1),
        };
        expect((await putEntry(rs[0]!.url, TOKEN, spec)).status).toBe(201);
        await eventually(
          'the entry on replica 1',
          async () => (await get(rs[1]!.url, '/metadata?mac=' + macOf(0))).status === 200,
        );
        const ipxe = (replica: number) => get(rs[replica]!.url, `/ipxe?mac=${macOf(0)}`);
        // Twenty requests at once, then ten retries: each is confirmed by its own read (another
        // replica may have served the Ignition a moment ago; a read begun earlier could predate it).
        const first = await Promise.all(Array.from({ length: 20 }, () => ipxe(0)));
        expect(first.map((answer) => answer.body.includes(LOCAL_BOOT))).toEqual(new Array<boolean>(20).fill(false));
        expect(reads).toEqual([20, 0]);
        for (let retry = 0; retry < 10; retry++) expect((await ipxe(0)).body).not.toContain(LOCAL_BOOT);
        expect(reads).toEqual([30, 0]);
        // The Ignition through the other replica, and at once the next boot through this one: the
        // database says installed even before the notification arrives; then memory answers.
        expect((await get(rs[1]!.url, `/ignition?mac=${macOf(0)}`)).status).toBe(200);
        expect((await ipxe(0)).body).toContain(LOCAL_BOOT);
        const afterInstall = reads[0];
        for (let reboot = 0; reboot < 10; reboot++) {
          expect((await ipxe(0)).body).toContain(LOCAL_BOOT);
          expect((await ipxe(1)).body).toContain(LOCAL_BOOT);
        }
        expect(reads).toEqual([afterInstall, 0]);
      } finally {
        await stopAll(rs);
      }
    },
  );
});

describe('PostgreSQL store: concurrent machine-state saves', () => {
  maybe('two replicas saving the same machines in opposite orders do not deadlock', async () => {
    const url = await newDatabase();
    const [first, second] = await Promise.all([PgStore.open(url), PgStore.open(url)]);
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const batch = (fetches: number): MachineChange[] =>
        Array.from({ length: 40 }, (_, index) => {
          const mac = macOf(index);
          const at = `2026-12-01T00:00:${String(fetches).padStart(2, '0')}.000Z`;
          const state: MachineState = {
            key: `mac:${mac}`,
            mac,
            source: '10.0.0.1',
            ipxe_fetches: fetches,
            ignition_fetches: 0,
            first_ipxe_at: '2026-12-01T00:00:00.000Z',
            last_seen_at: at,
          };
          return { entry: 'workers', key: state.key, state };
        });
      await first.saveMachines(batch(1));
      // A third session holds the middle row, so each save locks its half of the rows (in its own
      // order) and waits there; when the row is free, both want the other's half.
      await db.query('BEGIN');
      await db.query("SELECT 1 FROM ovirt_boot_machines WHERE entry = 'workers' AND key = $1 FOR UPDATE", [
        `mac:${macOf(20)}`,
      ]);
      const saves = [first.saveMachines(batch(2)), second.saveMachines(batch(3).reverse())].map((save) =>
        save.then(
          () => 'saved',
          (err: Error) => err.message,
        ),
      );
      await eventually(
        'both saves wait for a lock',
        async () =>
          Number(
            (
              await db.query<{ waiting: string }>(
                "SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
              )
            ).rows[0]!.waiting,
          ) === 2,
      );
      await db.query('COMMIT');
      expect(await Promise.all(saves)).toEqual(['saved', 'saved']);
      const stored = await db.query<{ fetches: string }>(
        "SELECT DISTINCT state->>'ipxe_fetches' AS fetches FROM ovirt_boot_machines",
      );
      expect(stored.rows).toEqual([{ fetches: '3' }]); // merged: the highest counter of the two saves
    } finally {
      await db.end();
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('PostgreSQL store: a replica SIGKILLed mid-traffic', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-kill-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  function replica(main: string, url: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(
      process.execPath,
      [
        main,
        '--port',
        '0',
        '--quiet',
        '--data-dir',
        join(dir, `data-${children.length}`),
        '--token-file',
        join(dir, 'token'),
        '--store',
        url,
      ],
      { env: { ...process.env, ...testRunEnv() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let err = '';
    child.stderr!.on('data', (data: Buffer) => {
      err += data.toString();
    });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (data: Buffer) => {
        out += data.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      });
      child.on('exit', (code) => reject(new Error(`replica exited ${code}: ${err}`)));
    });
  }

  maybe(
    'loses no acknowledged entry write and no acknowledged one-shot transition',
    async () => {
      writeFileSync(join(dir, 'token'), TOKEN, { mode: 0o600 });
      const main = await bundleEntry('test/chaos/boot-server-main.ts', dir);
      const url = await newDatabase();
      const doomed = await replica(main, url);
      const survivor = await replica(main, url);
      const ENTRIES = 4;
      const acked = new Array<number>(ENTRIES).fill(-1);
      const installed: number[] = [];
      let running = true;
      const writers = Array.from({ length: ENTRIES }, async (_, entry) => {
        for (let v = 0; running; v++) {
          const answer = await putEntry(doomed.url, TOKEN, { ...entryOf(`k${entry}`, entry, v), one_shot: true }).catch(
            () => undefined,
          );
          if (!answer) return; // the replica is gone
          if (answer.status < 300) acked[entry] = v;
        }
      });
      // Machines 100.. install through the replica that will be killed.
      const installer = (async () => {
        await eventually('the first entry', async () => acked[0]! >= 0);
        for (let m = 0; running; m++) {
          await putEntry(doomed.url, TOKEN, {
            name: `m${m}`,
            one_shot: true,
            selectors: { macs: [macOf(100 + m)] },
            ipxe: { script: '#!ipxe\nexit\n' },
            ignition: ignitionOf(`m${m}`, 0),
          })
            .then(() => get(doomed.url, `/ignition?mac=${macOf(100 + m)}`))
            .then(
              (r) => {
                if (r.status === 200) installed.push(m);
              },
              () => undefined,
            );
        }
      })();
      await eventually('traffic under way', async () => acked.every((v) => v >= 3) && installed.length >= 3, 60_000);
      doomed.child.kill('SIGKILL');
      running = false;
      await Promise.all([...writers, installer]);
      for (let i = 0; i < ENTRIES; i++) {
        await eventually(`k${i} at v${acked[i]} or newer on the surviving replica`, async () => {
          const served = ipxeVersion(`k${i}`, (await get(survivor.url, `/ipxe?mac=${macOf(i)}`)).body);
          return typeof served === 'number' && served >= acked[i]!;
        });
      }
      for (const m of installed)
        expect((await get(survivor.url, `/ipxe?mac=${macOf(100 + m)}`)).body).toContain(LOCAL_BOOT);
      // A replica started afterwards loads the same.
      const late = await replica(main, url);
      for (const m of installed)
        expect((await get(late.url, `/ipxe?mac=${macOf(100 + m)}`)).body).toContain(LOCAL_BOOT);
      await Promise.all(
        [survivor, late].map(
          (proc) =>
            new Promise((done) => {
              proc.child.once('exit', done);
              proc.child.kill('SIGTERM');
            }),
        ),
      );
    },
    240_000,
  );
});

/**
 * A private PostgreSQL cluster for tests: Debian's server binaries (`/usr/lib/postgresql/<v>/bin`,
 * package `postgresql`), a data folder in a temp dir, TCP on loopback at a free port, password
 * authentication. PostgreSQL refuses to run as root, so under root it runs as `nobody` (the temp
 * folder is handed to that user). `stop()` stops it and removes the folder; call it in afterAll.
 *
 * ```ts
 * const pg = await startPostgres();          // undefined (with a printed reason) when not installed
 * const url = await pg.createDatabase('t1'); // postgres://tester:<password>@127.0.0.1:<port>/t1
 * await pg.restart();                        // stop and start again on the same port
 * await pg.stop();
 * ```
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A running private cluster. */
export interface Postgres {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  user: string;
  password: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), leaving the data. */
  halt(): void;
  /** Starts it again on the same port. */
  start(): void;
  /** Stops the server and removes its folder. */
  stop(): void;
}

const NOBODY = 65534;

/** The newest installed server's bin folder, or undefined. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** A loopback TCP port that was free a moment ago (nothing listens there: also a closed port for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts a private cluster; undefined (after printing why) when PostgreSQL is not installed. */
export async function startPostgres(): Promise<Postgres | undefined> {
  const bin = postgresBin();
  if (!bin) {
    console.warn('PostgreSQL is not installed (Debian package postgresql; .ci/run installs it): skipping');
    return undefined;
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const data = join(dir, 'data');
  const user = 'tester';
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'pw'), password, { mode: 0o600 });
  if (asRoot) {
    chownSync(dir, NOBODY, NOBODY);
    chownSync(join(dir, 'pw'), NOBODY, NOBODY);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'nobody', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const result = spawnSync(file, argv, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  run('initdb', [
    '-D',
    data,
    '-U',
    user,
    `--pwfile=${join(dir, 'pw')}`,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-o',
      `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`,
    ]);
  const halt = () => {
    if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]);
  };
  try {
    start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    user,
    password,
    async createDatabase(name) {
      const admin = new Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await admin.end();
      }
      return `postgres://${user}:${password}@127.0.0.1:${port}/${name}`;
    },
    halt,
    start,
    stop() {
      try {
        halt();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Boot-server benchmark: requests/s and p99 for /ipxe and /ignition (a 300 KB bootstrap config
 * and 2 KB pointer configs) with 10,000 entries stored and 64 concurrent connections, beside
 * nginx serving the same bytes as static files in the same run.
 *
 *   npm run build && npx ts-node --transpile-only bench/boot-server/run.ts [--seconds 5] [--rounds 3] [--entries 10000]
 *     [--only ipxe,pointer,bootstrap] [--log] [--postgres]
 *
 * `--postgres` adds the PostgreSQL store (a private cluster, Debian's `postgresql`, run with
 * fsync=off as in the tests: its commits do not reach the disk, the filesystem store's journal
 * does): one replica, then three replicas with the load dealt over them, beside the filesystem store
 * and three filesystem-store servers that share nothing ("fs x3": what three processes cost on this
 * machine, whatever the store), and one of those copies alone ("fs copy x1": the same server as the
 * filesystem store's, so its ratio shows the noise any ratio here carries); PostgreSQL's own CPU per
 * request is printed too.
 *
 * Per-machine routes are measured twice: first fetches (each target's own third of the machines,
 * each machine once: transitions, which are writes) and then the steady state (machines fetching
 * again, served from memory), so the write cost is visible and does not hide in a median.
 *
 * `--log` runs the server as deployed, logging one line per request (to a file in the temp folder)
 * instead of `--quiet`, to show what the request log costs.
 *
 * Both servers run as one process (nginx: worker_processes 1, open_file_cache) on loopback; the load
 * generator (undici, this process) shares the machine's cores with them. Besides req/s and latency
 * it prints each server's CPU time per request (from /proc), steadier on a shared machine, and
 * the CPU the other (idle) boot servers used meanwhile ("idle servers", ms per second).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseEntrySpec } from '../../src/boot/entry';
import { IgnitionBuilder, pointerConfig } from '../../src/boot/ignition/builder';
import { compileEntry } from '../../src/boot/server/catalog';
import type { StoredEntry } from '../../src/boot/server/store';
import { Client } from 'pg';
import { PgStore } from '../../src/boot/server/pg-store';
import { startPostgres, type Postgres } from '../../test/support/postgres';
import { runLoad, type LoadResult } from './load';

const ROOT = resolve(__dirname, '../..');
const NGINX = '/usr/sbin/nginx';
const PUBLIC_URL = 'http://boot.example:8080';

function arg(name: string, dflt: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : dflt;
}

const macOf = (i: number) =>
  `52:54:00:${[(i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
const hyp = (mac: string) => mac.replace(/:/g, '-');

/** Writes the entries straight into the store layout and the same bytes as nginx static files. */
function prepare(dir: string, entries: number): void {
  const caPem = `-----BEGIN CERTIFICATE-----\n${randomBytes(1000).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  const bootstrap = new IgnitionBuilder('3.2.0')
    .file('/opt/openshift/manifests.b64', randomBytes(225 * 1024).toString('base64'), { mode: 0o600 })
    .build();
  mkdirSync(join(dir, 'data', 'entries'), { recursive: true });
  mkdirSync(join(dir, 'www', 'ipxe'), { recursive: true });
  mkdirSync(join(dir, 'www', 'ignition'), { recursive: true });
  const at = new Date().toISOString();
  for (let i = 0; i < entries; i++) {
    const mac = macOf(i);
    const isBootstrap = i === 0;
    const ignition = isBootstrap
      ? bootstrap
      : pointerConfig({ url: 'https://10.0.0.10:22623/config/worker', caPem })
          .file('/etc/hostname', `worker-${i}\n`)
          .build();
    const spec = parseEntrySpec({
      name: isBootstrap ? 'bootstrap' : `worker-${i}`,
      role: isBootstrap ? 'bootstrap' : 'worker',
      selectors: { macs: [mac] },
      ipxe: {
        kernel: '/assets/rhcos-live-kernel-x86_64',
        initrd: ['/assets/rhcos-live-initramfs.x86_64.img'],
        args: [
          'coreos.live.rootfs_url={{base_url}}/assets/rhcos-live-rootfs.x86_64.img',
          'ip=dhcp',
          'rd.neednet=1',
          'console=tty0',
          'console=ttyS0,115200n8',
          'ignition.firstboot',
          'ignition.platform.id=metal',
          'ignition.config.url={{ignition_url}}',
        ],
      },
      ignition,
    });
    const stored: StoredEntry = { spec, created_at: at, updated_at: at };
    writeFileSync(join(dir, 'data', 'entries', `${spec.name}.json`), JSON.stringify(stored));
    const compiled = compileEntry(stored, PUBLIC_URL);
    writeFileSync(join(dir, 'www', 'ipxe', `${hyp(mac)}.ipxe`), compiled.ipxe!.body);
    writeFileSync(join(dir, 'www', 'ignition', `${hyp(mac)}.ign`), compiled.ignition!.raw.body);
  }
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => res(port));
    });
  });
}

async function startNginx(dir: string): Promise<{ origin: string; child: ChildProcess }> {
  const port = await freePort();
  mkdirSync(join(dir, 'nginx-tmp'), { recursive: true });
  const tempDir = join(dir, 'nginx-tmp');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  open_file_cache max=15000 inactive=60s; open_file_cache_valid 60s; # below the 20,000 fd limit, room for connections
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 100000000;
  client_body_temp_path ${tempDir}/body; proxy_temp_path ${tempDir}/proxy; fastcgi_temp_path ${tempDir}/fastcgi;
  uwsgi_temp_path ${tempDir}/uwsgi; scgi_temp_path ${tempDir}/scgi;
  types { text/plain ipxe; application/vnd.coreos.ignition+json ign; }
  server { listen 127.0.0.1:${port}; root ${dir}/www; location / { } }
}
`,
  );
  const child = spawn(NGINX, ['-e', join(dir, 'nginx-error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/ipxe/${hyp(macOf(1))}.ipxe`)).ok) return { origin, child };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  const log = existsSync(join(dir, 'nginx-error.log')) ? readFileSync(join(dir, 'nginx-error.log'), 'utf8') : '';
  throw new Error(`nginx did not start: ${log}`);
}

async function startBoot(
  dir: string,
  extra: string[] = [],
  dataDir = join(dir, 'data'),
): Promise<{ origin: string; child: ChildProcess; loadMs: number }> {
  if (!existsSync(join(dir, 'token')))
    writeFileSync(join(dir, 'token'), randomBytes(16).toString('hex'), { mode: 0o600 });
  const t0 = Date.now();
  // BOOT_BENCH_NODE_ARGS (e.g. --cpu-prof) lets a profile of the server be taken under the same load.
  const nodeArgs = (process.env['BOOT_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const logging = process.argv.includes('--log');
  const stderr = logging ? openSync(join(dir, 'boot-server.log'), 'a') : 'inherit';
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(ROOT, 'bin/ovirt-cdktf.js'),
      'boot-server',
      '--port',
      '0',
      ...(logging ? [] : ['--quiet']),
      '--data-dir',
      dataDir,
      '--token-file',
      join(dir, 'token'),
      '--public-url',
      PUBLIC_URL,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', stderr] },
  );
  // The first JSON line; V8's tracing flags (--trace-deopt) print to stdout too, which keeps being drained.
  try {
    const line = await new Promise<string>((res, rej) => {
      createInterface({ input: child.stdout! }).on('line', (text) => {
        if (text.startsWith('{')) res(text);
      });
      child.once('exit', (c) => rej(new Error(`boot-server exited ${c}`)));
    });
    return { origin: (JSON.parse(line) as { url: string }).url, child, loadMs: Date.now() - t0 };
  } catch (err) {
    child.kill('SIGKILL'); // not yet among the children the bench stops
    throw err;
  }
}

/**
 * CPU seconds (user + system) a process, its reaped children and its live descendants used so far
 * (Linux /proc). Reaped children count too: PostgreSQL's backends come and go during a run.
 */
function cpuSeconds(pid: number): number {
  let stat: string;
  let kids: number[];
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  } catch {
    return 0; // gone: its time is in its parent's reaped children
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime in clock ticks (USER_HZ 100)
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  return own + kids.reduce((sum, k) => sum + cpuSeconds(k), 0);
}

/**
 * A load run with the servers' CPU time per answered request (stable where req/s is not: the
 * machine is shared), and the CPU the bench's idle servers (the other targets) spent meanwhile:
 * their background work (saves, notifications) competes for the same cores.
 */
async function measure(
  pids: number[],
  opts: Parameters<typeof runLoad>[0],
  idle: number[] = [],
  db: number[] = [],
): Promise<Measured> {
  const cpuOf = (list: number[]) => list.reduce((sum, p) => sum + cpuSeconds(p), 0);
  const c0 = cpuOf(pids);
  const idle0 = cpuOf(idle);
  const db0 = cpuOf(db);
  const t0 = Date.now();
  const measured = await runLoad(opts);
  // The warm-up second is in the CPU delta too; count its requests at the measured rate.
  const served = measured.requests + measured.rps * (opts.warmupSeconds ?? 1);
  return {
    ...measured,
    cpuUsPerReq: ((cpuOf(pids) - c0) / served) * 1e6,
    idleCpuMsPerSec: ((cpuOf(idle) - idle0) * 1e6) / (Date.now() - t0),
    dbCpuUsPerReq: db.length ? ((cpuOf(db) - db0) / served) * 1e6 : undefined,
  };
}

interface Measured extends LoadResult {
  cpuUsPerReq: number;
  idleCpuMsPerSec: number;
  /** PostgreSQL's CPU (postmaster and backends) per request, for the targets that use it. */
  dbCpuUsPerReq?: number;
}

const fmt = (run: Measured) =>
  `${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50ms.toFixed(2).padStart(6)} ms  p99 ${run.p99ms.toFixed(2).padStart(6)} ms  ${run.mbPerSec.toFixed(0).padStart(5)} MB/s  errors ${run.errors}  server CPU ${run.cpuUsPerReq.toFixed(1).padStart(5)} us/req` +
  (run.dbCpuUsPerReq === undefined ? '' : `  PostgreSQL CPU ${run.dbCpuUsPerReq.toFixed(1).padStart(5)} us/req`) +
  `  idle servers ${run.idleCpuMsPerSec.toFixed(0).padStart(3)} ms/s`;

function median(rs: Measured[]): Measured {
  return [...rs].sort((x, y) => x.rps - y.rps)[Math.floor(rs.length / 2)]!;
}

const medianOf = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/**
 * How long an entry written through one replica takes to be served by another (LISTEN/NOTIFY,
 * then the replica reads the row): 20 writes, the other replica polled every 2 ms.
 */
async function propagation(writer: string, reader: string, token: string): Promise<void> {
  const delays: number[] = [];
  for (let version = 0; version < 20; version++) {
    const script = `#!ipxe\necho propagation ${version}\nexit\n`;
    const spec = { name: 'propagation', selectors: { macs: ['52:54:00:ff:ff:01'] }, ipxe: { script } };
    const written = await fetch(`${writer}/api/v1/entries/propagation`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    if (!written.ok) throw new Error(`PUT propagation: ${written.status} ${await written.text()}`);
    const acknowledged = performance.now();
    while ((await (await fetch(`${reader}/ipxe?mac=52:54:00:ff:ff:01`)).text()) !== script)
      await new Promise((done) => setTimeout(done, 2));
    delays.push(performance.now() - acknowledged);
  }
  const sorted = [...delays].sort((x, y) => x - y);
  console.log(
    `propagation between replicas (write acknowledged -> served by another): median ${sorted[10]!.toFixed(1)} ms, max ${sorted[19]!.toFixed(1)} ms over 20 writes (target: within 1 s)`,
  );
}

/** A server under load: its origins (replicas) and the processes whose CPU counts. */
interface Target {
  label: string;
  origins: string[];
  pids: number[];
  /** PostgreSQL's postmaster, when the target uses it (its backends count as its children). */
  db?: number[];
  /** Servers that share nothing (each its own data folder): each must see every machine before the steady state. */
  separate?: boolean;
}

/** Copies the prepared entries into a PostgreSQL database (schema by the store's own migrations) in bulk. */
async function loadPostgres(pg: Postgres, dir: string): Promise<string> {
  const url = await pg.createDatabase('bench');
  await (await PgStore.open(url)).close();
  const files = readdirSync(join(dir, 'data', 'entries'));
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    for (let i = 0; i < files.length; i += 1000) {
      const chunk = files.slice(i, i + 1000);
      await db.query(
        `INSERT INTO ovirt_boot_entries (name, doc, revision) SELECT n, d, nextval('ovirt_boot_revision') FROM unnest($1::text[], $2::text[]) AS t(n, d)`,
        [chunk.map((f) => f.slice(0, -5)), chunk.map((f) => readFileSync(join(dir, 'data', 'entries', f), 'utf8'))],
      );
    }
  } finally {
    await db.end();
  }
  return url;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js')))
    throw new Error('run `npm run build` first (the bench runs the compiled CLI)');
  const entries = arg('--entries', 10_000);
  const seconds = arg('--seconds', 5);
  const connections = arg('--connections', 64);
  const rounds = arg('--rounds', 3);
  const haveNginx = spawnSync(NGINX, ['-v']).status === 0;
  if (!haveNginx) console.log(`NOTE: nginx is absent (${NGINX}); printing boot-server figures only, no ratio`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-boot-'));
  chmodSync(dir, 0o755); // nginx workers started by root run as another user and must read www/
  const children: ChildProcess[] = [];
  let pg: Postgres | undefined;
  try {
    const t0 = Date.now();
    prepare(dir, entries);
    console.log(
      `prepared ${entries} entries in ${Date.now() - t0} ms (node ${process.version}, ${connections} connections, ${seconds} s per run)`,
    );
    const boot = await startBoot(dir);
    children.push(boot.child);
    console.log(
      `boot-server loaded ${entries} entries and was ready in ${boot.loadMs} ms; request log ${process.argv.includes('--log') ? 'on (to a file)' : 'off (--quiet)'}`,
    );
    const targets: Target[] = [{ label: 'boot-server', origins: [boot.origin], pids: [boot.child.pid!] }];
    if (process.argv.includes('--postgres')) {
      pg = await startPostgres();
      if (!pg) throw new Error('--postgres needs the Debian package postgresql');
      const t1 = Date.now();
      const url = await loadPostgres(pg, dir);
      console.log(`copied the entries into PostgreSQL in ${Date.now() - t1} ms`);
      // Three filesystem-store servers, each on its own copy of the data, load dealt the same way:
      // what three processes cost on this machine, apart from what the shared store costs.
      const copies = [boot];
      for (const n of [2, 3]) {
        cpSync(join(dir, 'data'), join(dir, `data-${n}`), { recursive: true });
        const copy = await startBoot(dir, [], join(dir, `data-${n}`));
        children.push(copy.child);
        copies.push(copy);
      }
      console.log(`two more filesystem-store servers on copies of the data (for "fs x3")`);
      const replicas = [];
      for (let i = 0; i < 3; i++) {
        const replica = await startBoot(dir, ['--store', url]);
        children.push(replica.child);
        replicas.push(replica);
        console.log(`PostgreSQL replica ${i + 1} loaded ${entries} entries and was ready in ${replica.loadMs} ms`);
      }
      await propagation(replicas[0]!.origin, replicas[2]!.origin, readFileSync(join(dir, 'token'), 'utf8'));
      const postmaster = Number(
        spawnSync('pgrep', ['-o', '-f', `port=${pg.port} `])
          .stdout.toString()
          .trim(),
      );
      const db = postmaster ? [postmaster] : [];
      targets.push(
        { label: 'fs x3', origins: copies.map((c) => c.origin), pids: copies.map((c) => c.child.pid!), separate: true },
        { label: 'pg x1', origins: [replicas[0]!.origin], pids: [replicas[0]!.child.pid!], db },
        // A/A control: one copy alone is the same server and store as the first, so its ratio is the bench's own noise.
        { label: 'fs copy x1', origins: [copies[1]!.origin], pids: [copies[1]!.child.pid!] },
        { label: 'pg x3', origins: replicas.map((r) => r.origin), pids: replicas.map((r) => r.child.pid!), db },
      );
    }
    const nginx = haveNginx ? await startNginx(dir) : undefined;
    if (nginx) children.push(nginx.child);
    const rnd = (i: number) => hyp(macOf(1 + ((i * 7919) % (entries - 1))));
    // Each scenario: our path and nginx's for request i, and (for per-machine routes) our path for machine n.
    const scenarios: Array<[string, (i: number) => string, (i: number) => string, ((machine: number) => string)?]> = [
      [
        '/ipxe (per-MAC iPXE script)',
        (i) => `/ipxe?mac=${rnd(i)}&uuid=&arch=x86_64`,
        (i) => `/ipxe/${rnd(i)}.ipxe`,
        (n) => `/ipxe?mac=${hyp(macOf(n))}&uuid=&arch=x86_64`,
      ],
      [
        '/ignition 2 KB pointer config',
        (i) => `/ignition?mac=${rnd(i)}`,
        (i) => `/ignition/${rnd(i)}.ign`,
        (n) => `/ignition?mac=${hyp(macOf(n))}`,
      ],
      [
        '/ignition 300 KB bootstrap config',
        () => `/ignition?mac=${hyp(macOf(0))}`,
        () => `/ignition/${hyp(macOf(0))}.ign`,
      ],
    ];
    const only = process.argv.includes('--only')
      ? process.argv[process.argv.indexOf('--only') + 1]!.split(',')
      : ['ipxe', 'pointer', 'bootstrap'];
    const picked = scenarios.filter((_, i) => only.includes(['ipxe', 'pointer', 'bootstrap'][i]!));
    console.log(
      `bootstrap Ignition size: ${spawnSync('stat', ['-c', '%s', join(dir, 'www/ignition', `${hyp(macOf(0))}.ign`)])
        .stdout.toString()
        .trim()} bytes`,
    );
    const bootPids = [...new Set(targets.flatMap((t) => t.pids))];
    const machines = entries - 1;
    for (const [name, ours, theirs, machinePath] of picked) {
      const headers = { 'accept-encoding': 'identity' };
      // First fetches are writes (a transition per machine; a one-shot Ignition is committed before
      // it is sent), so they are measured apart: each target gets its own slice of machines that no
      // target has fetched on this route yet, every request a first fetch, no warm-up.
      const slice = Math.floor(machines / targets.length);
      // Warm the route's code first (machine 0, in no slice), or the first target measured pays for JIT compilation.
      for (const target of machinePath ? targets : [])
        await runLoad({
          origin: target.origins,
          pathFor: () => machinePath!(0),
          connections,
          seconds: 1,
          warmupSeconds: 0,
        });
      const first: Measured[] = [];
      for (const [k, target] of machinePath ? targets.entries() : [])
        first.push(
          await measure(
            target.pids,
            {
              origin: target.origins,
              pathFor: (i) => machinePath!(1 + k * slice + (i % slice)),
              connections,
              seconds: 600,
              warmupSeconds: 0,
              maxRequests: slice,
              headers,
            },
            bootPids.filter((pid) => !target.pids.includes(pid)),
            target.db,
          ),
        );
      if (machinePath)
        console.log(`${name}: first fetches (${slice} machines per target, each fetching once; transitions written)`);
      for (const [k, target] of machinePath ? targets.entries() : [])
        console.log(
          `  ${target.label.padEnd(11)} ${fmt(first[k]!)}` +
            (k
              ? `\n    ratio ${target.label}/filesystem store: ${(first[k]!.rps / first[0]!.rps).toFixed(2)}x req/s`
              : ''),
        );
      // Then every machine once through every target (every server of one that shares nothing),
      // unmeasured: the rounds below are the steady state.
      for (const origin of machinePath
        ? targets.flatMap((t) => (t.separate ? t.origins.map((o) => [o]) : [t.origins]))
        : [])
        await runLoad({
          origin,
          pathFor: ours,
          connections,
          seconds: 600,
          warmupSeconds: 0,
          maxRequests: machines,
          headers,
        });
      // The machine is shared: rounds alternate the servers and the median round is reported.
      const runs = targets.map(() => [] as Measured[]);
      const nginxRuns: Measured[] = [];
      for (let r = 0; r < rounds; r++) {
        // Each round starts with another server, so no store always runs first (or right after nginx).
        for (const k of targets.map((_, i) => (i + r) % targets.length)) {
          const target = targets[k]!;
          runs[k]!.push(
            await measure(
              target.pids,
              { origin: target.origins, pathFor: ours, connections, seconds, headers },
              bootPids.filter((pid) => !target.pids.includes(pid)),
              target.db,
            ),
          );
        }
        if (nginx)
          nginxRuns.push(
            await measure(
              [nginx.child.pid!],
              { origin: nginx.origin, pathFor: theirs, connections, seconds, headers },
              bootPids,
            ),
          );
      }
      const oursRuns = runs[0]!;
      const ma = median(oursRuns);
      console.log(
        `${name}: steady state, machines fetching again (median of ${rounds} rounds by req/s)\n  boot-server ${fmt(ma)}`,
      );
      for (const [k, t] of targets.entries()) {
        if (k === 0) continue;
        const replicated = median(runs[k]!);
        console.log(
          `  ${t.label.padEnd(11)} ${fmt(replicated)}\n    ratio ${t.label}/filesystem store: ${(replicated.rps / ma.rps).toFixed(2)}x req/s` +
            `  (rounds: ${runs[k]!.map((x, i) => (x.rps / oursRuns[i]!.rps).toFixed(2)).join(', ')})` +
            // Per round, so one window with a 30-s counter save or a collection shows as an outlier, not a median.
            `\n    server CPU us/req per round, ${t.label} / filesystem store: ${runs[k]!.map((x, i) => `${x.cpuUsPerReq.toFixed(0)}/${oursRuns[i]!.cpuUsPerReq.toFixed(0)}`).join(', ')}`,
        );
      }
      if (nginx) {
        const mb = median(nginxRuns);
        console.log(
          `  nginx       ${fmt(mb)}\n  ratio boot-server/nginx: ${(ma.rps / mb.rps).toFixed(2)}x req/s` +
            `  (rounds: ${oursRuns.map((x, i) => (x.rps / nginxRuns[i]!.rps).toFixed(2)).join(', ')})` +
            `\n  CPU per request: boot-server ${medianOf(oursRuns.map((x) => x.cpuUsPerReq)).toFixed(1)} us, nginx ${medianOf(nginxRuns.map((x) => x.cpuUsPerReq)).toFixed(1)} us (medians);` +
            ` nginx/boot-server ${medianOf(oursRuns.map((x, i) => nginxRuns[i]!.cpuUsPerReq / x.cpuUsPerReq)).toFixed(2)}x` +
            `  (rounds: ${oursRuns.map((x, i) => (nginxRuns[i]!.cpuUsPerReq / x.cpuUsPerReq).toFixed(2)).join(', ')})`,
        );
      }
    }
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      ),
    );
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

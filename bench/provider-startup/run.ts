/**
 * Provider start-up benchmark. Prints:
 *  1. `node -e 0` (the floor);
 *  2. exec-to-handshake-line time of provider entries (median of N cold starts, with peak RSS
 *     read from /proc at the handshake), with AutoMTLS on as under Terraform: the test provider
 *     bundle, then the ovirt provider as the release's single executable, as the old launcher
 *     (sh → node → bundle) and as node on the bundle, interleaved round by round, each with its
 *     ratio to `node -e 0`; and the executable's size;
 *  3. `terraform plan` wall time for a one-resource config using our SDK (the bundled test
 *     provider) beside the same shape using Terraform's built-in `terraform_data`, interleaved
 *     in the same run, and their ratio.
 * Run: `npm run build && npx ts-node bench/provider-startup/run.ts [N]` (default N = 21).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAGIC_COOKIE_VALUE } from '../../src/tfplugin/grpc/serve';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';
import { installProvider } from '../../src/tfplugin/install';
import { readZip } from '../../src/tfplugin/release/zip';
import { bundleEntry, createWorkspace, expectOk, REPO_ROOT } from '../../test/support/terraform';

const COLD_STARTS = Number(process.argv[2] ?? 21);
/** The middle measurement; measuring nothing is a bug in the benchmark, so it throws. */
function median(xs: number[]): number {
  const middle = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (middle === undefined) throw new Error('median of no measurements');
  return middle;
}

function peakKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Starts `cmd` (default: this node with `args`) and times it to exit, or to its first stdout line. */
function startOnce(
  args: string[],
  env: NodeJS.ProcessEnv,
  waitLine: boolean,
  cmd = process.execPath,
): Promise<{ ms: number; kb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    if (!waitLine) {
      child.on('close', () => resolve({ ms: performance.now() - t0, kb: 0 }));
      return;
    }
    child.stdout.once('data', (chunk: Buffer) => {
      const ms = performance.now() - t0;
      const kb = peakKb(child.pid as number);
      child.kill('SIGKILL');
      if (!chunk.toString().startsWith('1|6|')) reject(new Error(`bad handshake: ${chunk.toString()}`));
      resolve({ ms, kb });
    });
    child.on('error', reject);
  });
}

async function handshake(label: string, entry: string, env: NodeJS.ProcessEnv): Promise<void> {
  const runs: { ms: number; kb: number }[] = [];
  for (let i = 0; i < COLD_STARTS; i++) runs.push(await startOnce([entry], env, true));
  console.log(
    `handshake ${label.padEnd(34)} median ${median(runs.map((r) => r.ms))
      .toFixed(0)
      .padStart(4)} ms  ` +
      `min ${Math.min(...runs.map((r) => r.ms)).toFixed(0)} ms  peak RSS ${(Math.max(...runs.map((r) => r.kb)) / 1024).toFixed(0)} MiB  (n=${COLD_STARTS})`,
  );
}

/** The ovirt provider three ways, interleaved round by round (the machine is shared), with ratios to `floorMs`. */
async function ovirtStarts(env: NodeJS.ProcessEnv, tmp: string, floorMs: number): Promise<void> {
  const zip = fs.readdirSync(path.join(REPO_ROOT, 'dist', 'release')).find((f) => f.endsWith('_linux_amd64.zip'));
  const bundle = path.join(REPO_ROOT, 'dist', 'provider-bundle', 'main.js');
  if (!zip || !fs.existsSync(bundle)) {
    console.log('ovirt provider: dist/release or dist/provider-bundle missing (run npm run build); skipped');
    return;
  }
  const zipPath = path.join(REPO_ROOT, 'dist', 'release', zip);
  const [exe] = readZip(fs.readFileSync(zipPath));
  const single = path.join(tmp, exe!.name);
  fs.writeFileSync(single, exe!.data, { mode: 0o755 });
  const launcher = installProvider({
    mirrorDir: path.join(tmp, 'mirror'),
    entry: bundle,
    hostname: 'terraform.local',
    namespace: 'ovirt-cdktf',
    type: 'ovirt',
    version: '0.1.0',
  }).executable;
  const kinds: [string, string, string[]][] = [
    ['ovirt, single executable (release)', single, []],
    ['ovirt, old launcher (sh+node+bundle)', launcher, []],
    ['ovirt, node dist bundle', process.execPath, [bundle]],
  ];
  const runs: { ms: number; kb: number }[][] = kinds.map(() => []);
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const [k, [, cmd, args]] of kinds.entries()) runs[k]!.push(await startOnce(args, env, true, cmd));
  }
  for (const [k, [label]] of kinds.entries()) {
    const ms = median(runs[k]!.map((r) => r.ms));
    console.log(
      `handshake ${label.padEnd(38)} median ${ms.toFixed(0).padStart(4)} ms  ${(ms / floorMs).toFixed(2)}x node -e 0  ` +
        `min ${Math.min(...runs[k]!.map((r) => r.ms)).toFixed(0)} ms  peak RSS ${(Math.max(...runs[k]!.map((r) => r.kb)) / 1024).toFixed(0)} MiB  (n=${COLD_STARTS}, interleaved)`,
    );
  }
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  console.log(
    `single executable: ${mib(exe!.data.length)} (zip ${mib(fs.statSync(zipPath).size)}); Terraform hashes all of it for the lock file on every command`,
  );
}

async function planRatio(entry: string): Promise<void> {
  const ws = await createWorkspace({ provider: { entry, type: 'tftest' } });
  const store = path.join(ws.root, 'store');
  const ours = path.join(ws.root, 'ours');
  const builtin = path.join(ws.root, 'builtin');
  fs.mkdirSync(ours);
  fs.mkdirSync(builtin);
  fs.writeFileSync(
    path.join(ours, 'main.tf'),
    `terraform {\n  required_providers {\n    tftest = { source = "${ws.source}" }\n  }\n}\nprovider "tftest" { store_dir = ${JSON.stringify(store)} }\nresource "tftest_thing" "a" { name = "bench" }\n`,
  );
  fs.writeFileSync(path.join(builtin, 'main.tf'), 'resource "terraform_data" "a" { input = "bench" }\n');
  const tf = (dir: string, ...args: string[]) => ws.run(['-chdir=' + dir, ...args]);
  expectOk(await tf(ours, 'init', '-no-color'));
  expectOk(await tf(builtin, 'init', '-no-color'));
  const times: Record<'ours' | 'builtin', number[]> = { ours: [], builtin: [] };
  const runs = Math.max(5, Math.ceil(COLD_STARTS / 2));
  for (let i = 0; i < runs; i++) {
    for (const [k, dir] of [
      ['ours', ours],
      ['builtin', builtin],
    ] as const) {
      const t0 = performance.now();
      expectOk(await tf(dir, 'plan', '-no-color', '-input=false'));
      times[k].push(performance.now() - t0);
    }
  }
  const oursMs = median(times.ours);
  const builtinMs = median(times.builtin);
  console.log(
    `terraform plan, 1 resource: ours (tftest_thing) median ${oursMs.toFixed(0)} ms; terraform_data median ${builtinMs.toFixed(0)} ms; ratio ${(oursMs / builtinMs).toFixed(2)}x (n=${runs} each, interleaved)`,
  );
  await ws.cleanup();
}

async function main(): Promise<void> {
  console.log(
    `# provider-startup ${new Date().toISOString()} node ${process.version} ${os.cpus().length} cpus, loadavg ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const floor: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) floor.push((await startOnce(['-e', '0'], process.env, false)).ms);
  const floorMs = median(floor);
  console.log(`node -e 0                                      median ${floorMs.toFixed(0).padStart(4)} ms`);
  const env = {
    ...process.env,
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: generateServerCertificate().certPem,
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const testBundle = await bundleEntry('test/tfplugin/fixtures/test-provider-main.ts', tmp);
  await handshake('test provider (esbuild bundle)', testBundle, env);
  await ovirtStarts(env, tmp, floorMs);
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
  } catch {
    console.log('terraform not on PATH; plan ratio skipped');
    return;
  }
  await planRatio(testBundle);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

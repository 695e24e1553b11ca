/**
 * bench/plan: what a user feels many times a day. `terraform plan` of one already-applied
 * `ovirt_vm` plus one `data "ovirt_cluster"` against the engine simulator (no delays), beside one
 * already-applied `terraform_data`, interleaved in the same run; then `terraform validate` of
 * both the same way. Prints medians, ratios and CPU seconds (terraform + provider processes) per
 * command, then a profile summary of one plan: Terraform's trace timeline (provider starts,
 * handshakes, RPCs) and where the provider processes spend their CPU (`node --cpu-prof`).
 *
 *   npm run build && npx ts-node --transpile-only bench/plan/main.ts [N=9] [--provider PATH] [--no-profile]
 *
 * By default the provider is installed the way users install it, by `ovirt-cdktf install-provider`.
 * `--provider PATH` measures another build instead: a JavaScript entry (run by a node launcher)
 * or a provider executable (e.g. a release's single executable), copied into the mirror.
 * BENCH_PLAN_KEEP=1 keeps the temp folder (workspaces, trace log, CPU profiles) for a closer look.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { cliConfig, installProvider, platform } from '../../src/tfplugin/install';
import { OVIRT_PROVIDER } from '../../src/cli/install-provider';
import { PROVIDER_VERSION } from '../../src/provider/version';
import { summarizeCpuProfiles, summarizeTrace } from './profile';

const REPO = path.resolve(__dirname, '..', '..');
const SOURCE = `${OVIRT_PROVIDER.hostname}/${OVIRT_PROVIDER.namespace}/${OVIRT_PROVIDER.type}`;
/** The middle measurement; measuring nothing is a bug in the benchmark, so it throws. */
function median(xs: number[]): number {
  const middle = [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  if (middle === undefined) throw new Error('median of no measurements');
  return middle;
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Args {
  n: number;
  provider?: string;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const parsed: Args = { n: 9, profile: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--provider') parsed.provider = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--no-profile') parsed.profile = false;
    else parsed.n = Number(argv[i]);
  }
  if (!(parsed.n > 0)) throw new Error('usage: bench/plan/main.ts [N] [--provider PATH] [--no-profile]');
  return parsed;
}

/** CPU seconds of this process's waited-for children (terraform, and through it the providers). */
function childCpuSeconds(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** Installs the provider under `dir`; returns the CLI config path. */
function install(dir: string, provider: string | undefined): string {
  if (!provider) {
    const out = execFileSync(
      process.execPath,
      [path.join(REPO, 'bin', 'ovirt-cdktf.js'), 'install-provider', '--dir', dir],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const line = out.split('\n').find((l) => l.startsWith('TF_CLI_CONFIG_FILE='));
    if (!line) throw new Error(`install-provider printed no TF_CLI_CONFIG_FILE line:\n${out}`);
    return line.slice('TF_CLI_CONFIG_FILE='.length);
  }
  const mirror = path.join(dir, 'mirror');
  const cfg = path.join(dir, 'terraform.tfrc');
  if (provider.endsWith('.js')) {
    return installProvider({
      ...OVIRT_PROVIDER,
      version: PROVIDER_VERSION,
      entry: provider,
      mirrorDir: mirror,
      cliConfigPath: cfg,
    }).cliConfigPath;
  }
  const pkg = path.join(mirror, SOURCE, PROVIDER_VERSION, platform());
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(provider, path.join(pkg, `terraform-provider-${OVIRT_PROVIDER.type}`));
  fs.chmodSync(path.join(pkg, `terraform-provider-${OVIRT_PROVIDER.type}`), 0o755);
  fs.writeFileSync(cfg, cliConfig(mirror, SOURCE));
  return cfg;
}

const OVIRT_TF = `terraform {
  required_providers {
    ovirt = { source = "${SOURCE}" }
  }
}
provider "ovirt" {}
data "ovirt_cluster" "c" { name = "Default" }
resource "ovirt_vm" "a" {
  name       = "bench-plan"
  cluster_id = data.ovirt_cluster.c.id
  memory     = 1073741824
}
`;
const DATA_TF = 'resource "terraform_data" "a" { input = "bench-plan" }\n';

interface Run {
  ms: number;
  cpu: number;
}

class Bench {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-plan-'));
  readonly ovirt = path.join(this.root, 'ovirt');
  readonly builtin = path.join(this.root, 'builtin');
  env: NodeJS.ProcessEnv = {};

  constructor(sim: EngineSim, provider: string | undefined) {
    const home = path.join(this.root, 'home');
    for (const d of [this.ovirt, this.builtin, home]) fs.mkdirSync(d, { recursive: true });
    this.env = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CACHE_HOME: path.join(home, '.cache'),
      TMPDIR: process.env.TMPDIR,
      LANG: 'C.UTF-8',
      TF_CLI_CONFIG_FILE: install(path.join(this.root, 'install'), provider),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      OVIRT_URL: sim.url,
      OVIRT_USERNAME: sim.username,
      OVIRT_PASSWORD: sim.password,
      OVIRT_CAFILE: sim.caFile,
    };
    fs.writeFileSync(path.join(this.ovirt, 'main.tf'), OVIRT_TF);
    fs.writeFileSync(path.join(this.builtin, 'main.tf'), DATA_TF);
  }

  /** Runs terraform in `dir`; rejects with its output on a non-zero exit. */
  tf(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      const child = spawn('terraform', [`-chdir=${dir}`, ...args], {
        env: { ...this.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => {
        const run = { ms: performance.now() - t0, cpu: childCpuSeconds() - cpu0 };
        if (code === 0) resolve(run);
        else reject(new Error(`terraform ${args.join(' ')} in ${dir} exited ${code}:\n${out}`));
      });
    });
  }

  async setUp(): Promise<void> {
    for (const dir of [this.ovirt, this.builtin]) {
      await this.tf(dir, ['init', '-no-color']);
      await this.tf(dir, ['apply', '-auto-approve', '-no-color']);
    }
    // A plan after apply must be empty, or the bench would measure a change, not a refresh.
    await this.tf(this.ovirt, ['plan', '-detailed-exitcode', '-no-color']);
  }

  /** N interleaved pairs of `args` in both directories. */
  async pairs(args: string[], count: number): Promise<{ ours: Run[]; builtin: Run[] }> {
    const runs = { ours: [] as Run[], builtin: [] as Run[] };
    for (let i = 0; i < count; i++) {
      runs.ours.push(await this.tf(this.ovirt, args));
      runs.builtin.push(await this.tf(this.builtin, args));
    }
    return runs;
  }

  async profile(entry: string | undefined): Promise<void> {
    const trace = path.join(this.root, 'trace.log');
    await this.tf(this.ovirt, ['plan', '-no-color'], { TF_LOG: 'trace', TF_LOG_PATH: trace });
    process.stdout.write(
      `\nprofile of one plan, Terraform's trace (ms since terraform started):\n${summarizeTrace(fs.readFileSync(trace, 'utf8'))}`,
    );
    if (!entry) {
      process.stdout.write(
        '\n(no CPU profile: --cpu-prof needs a JavaScript entry run by node, and node refuses it in NODE_OPTIONS)\n',
      );
      return;
    }
    // The same state in a copy whose provider launcher runs node with --cpu-prof.
    const dir = path.join(this.root, 'ovirt-prof');
    const profDir = path.join(this.root, 'cpuprof');
    fs.mkdirSync(dir);
    for (const f of ['main.tf', 'terraform.tfstate']) fs.copyFileSync(path.join(this.ovirt, f), path.join(dir, f));
    const cfg = installProvider({
      ...OVIRT_PROVIDER,
      version: PROVIDER_VERSION,
      entry,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
      mirrorDir: path.join(this.root, 'mirror-prof'),
      cliConfigPath: path.join(this.root, 'prof.tfrc'),
    }).cliConfigPath;
    await this.tf(dir, ['init', '-no-color'], { TF_CLI_CONFIG_FILE: cfg });
    fs.rmSync(profDir, { recursive: true, force: true });
    await this.tf(dir, ['plan', '-no-color'], { TF_CLI_CONFIG_FILE: cfg });
    process.stdout.write(
      `\nprofile of one plan, provider processes (node --cpu-prof, self time):\n${summarizeCpuProfiles(profDir)}`,
    );
  }

  cleanup(): void {
    if (process.env.BENCH_PLAN_KEEP) {
      process.stdout.write(`kept ${this.root}\n`);
      return;
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function report(what: string, runs: { ours: Run[]; builtin: Run[] }): void {
  const oursMs = median(runs.ours.map((x) => x.ms));
  const builtinMs = median(runs.builtin.map((x) => x.ms));
  const oc = median(runs.ours.map((x) => x.cpu));
  const bc = median(runs.builtin.map((x) => x.cpu));
  process.stdout.write(
    `${what.padEnd(18)} ovirt median ${oursMs.toFixed(0).padStart(5)} ms (cpu ${oc.toFixed(2)} s)   ` +
      `terraform_data median ${builtinMs.toFixed(0).padStart(4)} ms (cpu ${bc.toFixed(2)} s)   ratio ${(oursMs / builtinMs).toFixed(2)}x  (n=${runs.ours.length} each, interleaved)\n`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await startEngineSim({ delays: 'none' });
  const bench = new Bench(sim, args.provider);
  try {
    process.stdout.write(
      `# bench/plan ${new Date().toISOString()} node ${process.version}, ${os.cpus().length} cpus, loadavg ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    process.stdout.write(`provider: ${args.provider ?? 'installed by `ovirt-cdktf install-provider`'}\n`);
    await bench.setUp();
    sim.control.resetCounters();
    report('terraform plan', await bench.pairs(['plan', '-no-color'], args.n));
    const counters = sim.control.counters();
    const requests = Object.values(counters).reduce((a, b) => a + b, 0);
    process.stdout.write(`engine requests per plan: ${(requests / args.n).toFixed(1)} ${JSON.stringify(counters)}\n`);
    report('terraform validate', await bench.pairs(['validate', '-no-color'], args.n));
    if (args.profile)
      await bench.profile(
        args.provider?.endsWith('.js')
          ? args.provider
          : args.provider
            ? undefined
            : path.join(REPO, 'dist', 'provider-bundle', 'main.js'),
      );
    process.stdout.write(
      `# loadavg at end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
  } finally {
    bench.cleanup();
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

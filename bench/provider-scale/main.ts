/**
 * bench/provider-scale: plan, apply and destroy of N VMs (each with a disk, an attachment and a
 * NIC) at -parallelism=10 against the engine simulator with no latency, beside the same number
 * of `terraform_data` resources (same dependency shape) in the same run. Prints wall times, the
 * ratio, CPU seconds, the providers' peak memory and the engine requests per VM (counted by the
 * simulator). Terraform rewrites its whole local state after every resource change, so a larger
 * state costs Terraform itself more: a third run, terraform_data padded to the oVirt run's state
 * size, gives the ratio that is the provider's and the engine's own.
 *
 *   npm run build && npx ts-node --transpile-only bench/provider-scale/main.ts [N] [--cpu-prof DIR] [--release DIR]
 *
 * `--provider-env NAME=VALUE` (repeatable) adds a variable to the environment of the oVirt runs
 * (Terraform passes it on to the provider), e.g. a `BUN_JSC_*` option of the JavaScript engine.
 * `--release DIR` runs the release in DIR (a copy of an earlier dist/release) instead of this
 * checkout's, for old/new runs interleaved on a shared machine.
 * `--cpu-prof DIR` has every provider process (the Bun executable) write a CPU profile, under
 * DIR/plan, DIR/apply and DIR/destroy (summarise them with bench/provider-scale/profile.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEngineSim, SEED_IDS } from '../../src/engine-sim';
import { createWorkspace, expectOk, type Workspace } from '../../test/support/terraform';

const VMS = Number(process.argv[2] ?? 100);
/** The value after a `--name` argument. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const PROFILE_DIR = option('--cpu-prof');
const RELEASE_DIR = option('--release');
const PROVIDER_ENV = Object.fromEntries(
  process.argv.flatMap((arg, at) => {
    const pair = /^([^=]+)=(.*)$/.exec(process.argv[at + 1] ?? '');
    return arg === '--provider-env' && pair ? [[pair[1]!, pair[2]!]] : [];
  }),
);
const PAR = '-parallelism=10';
const GiB = 1024 ** 3;

function ovirtConfig(source: string): string {
  return `terraform {
  required_providers {
    ovirt = { source = "${source}" }
  }
}
provider "ovirt" {}
resource "ovirt_vm" "vm" {
  count      = ${VMS}
  name       = "scale-\${count.index}"
  cluster_id = "${SEED_IDS.cluster}"
  memory     = ${GiB}
}
resource "ovirt_disk" "disk" {
  count             = ${VMS}
  alias             = "scale-\${count.index}-os"
  size              = ${GiB}
  format            = "cow"
  storage_domain_id = "${SEED_IDS.nfsDomain}"
}
resource "ovirt_disk_attachment" "os" {
  count     = ${VMS}
  vm_id     = ovirt_vm.vm[count.index].id
  disk_id   = ovirt_disk.disk[count.index].id
  interface = "virtio_scsi"
  bootable  = true
}
resource "ovirt_nic" "nic" {
  count           = ${VMS}
  vm_id           = ovirt_vm.vm[count.index].id
  name            = "nic1"
  vnic_profile_id = "${SEED_IDS.vnicProfile}"
}
`;
}

/**
 * The same number of resources and the same dependency shape, with Terraform's built-in
 * terraform_data; `pad` characters of `triggers_replace` per resource make its state as large as another's.
 */
function dataConfig(pad = 0): string {
  const padding = pad ? `\n  triggers_replace = "${'x'.repeat(pad)}"` : '';
  return `resource "terraform_data" "vm" {
  count = ${VMS}
  input = "scale-\${count.index}"${padding}
}
resource "terraform_data" "disk" {
  count = ${VMS}
  input = "scale-\${count.index}-os"${padding}
}
resource "terraform_data" "os" {
  count = ${VMS}
  input = [terraform_data.vm[count.index].id, terraform_data.disk[count.index].id]${padding}
}
resource "terraform_data" "nic" {
  count = ${VMS}
  input = terraform_data.vm[count.index].id${padding}
}
`;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The fields of a /proc/<pid>/stat line from the third (state) on; the name before may hold spaces. */
function statFields(pid: string): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime (fields 14, 15) of a process, in ticks. */
function cpuTicks(pid: string): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Samples the processes of a run every 100 ms: the providers (the single executable
 * `terraform-provider-ovirt_*`, or node on provider/main.js) for resident memory and CPU, terraform
 * for CPU; only this process's descendants (other jobs on the machine run terraform too). CPU is
 * each process's time as last seen (its last 100 ms before exiting are missed; /proc's children
 * times would miss the providers, which terraform does not wait for).
 */
class RunSampler {
  peakOneKiB = 0;
  peakAllKiB = 0;
  private readonly cpu = { provider: new Map<string, number>(), terraform: new Map<string, number>() };
  private timer?: NodeJS.Timeout;

  start(): void {
    this.timer = setInterval(() => this.sample(), 100);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** CPU seconds of the processes of one kind seen so far. */
  cpuSeconds(kind: 'provider' | 'terraform'): number {
    return [...this.cpu[kind].values()].reduce((a, b) => a + b, 0) / TICKS;
  }

  /** CPU seconds of each process of one kind, in the order they started. */
  perProcess(kind: 'provider' | 'terraform'): number[] {
    return [...this.cpu[kind].values()].map((ticks) => ticks / TICKS);
  }

  private sample(): void {
    let total = 0;
    for (const pid of this.descendants()) {
      try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const provider = argv.some(
          (arg) => arg.includes('terraform-provider-ovirt') || arg.endsWith('provider/main.js'),
        );
        if (!provider && !/(^|\/)terraform$/.test(argv[0] ?? '')) continue;
        this.cpu[provider ? 'provider' : 'terraform'].set(pid, cpuTicks(pid));
        if (!provider) continue;
        const kib = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        total += kib;
        this.peakOneKiB = Math.max(this.peakOneKiB, kib);
      } catch {
        /* the process ended meanwhile */
      }
    }
    this.peakAllKiB = Math.max(this.peakAllKiB, total);
  }

  /** Pids whose parent chain leads to this process. */
  private descendants(): string[] {
    const parent = new Map<string, string>();
    for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        parent.set(pid, statFields(pid)[1]!);
      } catch {
        /* the process ended meanwhile */
      }
    }
    const self = String(process.pid);
    const ours = (pid: string): boolean => {
      for (let at = parent.get(pid), hops = 0; at !== undefined && hops < 64; at = parent.get(at), hops++)
        if (at === self) return true;
      return false;
    };
    return [...parent.keys()].filter(ours);
  }
}

/** The environment of one phase's oVirt run: `--provider-env`, and Bun's profiler on when `--cpu-prof` was given. */
function phaseEnv(ws: Workspace, phase: string): NodeJS.ProcessEnv | undefined {
  if (!ws.env.OVIRT_URL) return undefined;
  if (!PROFILE_DIR) return PROVIDER_ENV;
  return { ...PROVIDER_ENV, BUN_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(PROFILE_DIR, phase)}` };
}

async function timed(ws: Workspace, phase: string, ...args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  expectOk(await ws.run(args, { timeoutMs: 30 * 60_000, env: phaseEnv(ws, phase) }));
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * plan, apply, destroy; seconds each, and the state file's size after apply. Terraform rewrites the
 * whole local state after every resource it changes, so its own CPU grows with that size.
 */
async function phases(ws: Workspace, between?: (phase: string) => void): Promise<Record<string, number>> {
  expectOk(await ws.terraform('init', '-no-color'));
  const out: Record<string, number> = {};
  between?.('plan');
  out.plan = await timed(ws, 'plan', 'plan', PAR, '-no-color', '-out=tfplan');
  between?.('apply');
  out.apply = await timed(ws, 'apply', 'apply', PAR, '-no-color', 'tfplan');
  out.stateBytes = fs.statSync(path.join(ws.dir, 'terraform.tfstate')).size;
  between?.('destroy');
  out.destroy = await timed(ws, 'destroy', 'destroy', PAR, '-auto-approve', '-no-color');
  between?.('end');
  return out;
}

/** Runs `work` with the sampler on; stopped however it ends (its timer would keep the bench alive after a failure). */
async function sampled<T>(sampler: RunSampler, work: () => Promise<T>): Promise<T> {
  sampler.start();
  try {
    return await work();
  } finally {
    sampler.stop();
  }
}

function total(counters: Record<string, number>): number {
  return Object.values(counters).reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const sim = await startEngineSim({ delays: 'none' });
  const ovirt = await createWorkspace({
    ...(RELEASE_DIR ? { provider: { release: path.resolve(RELEASE_DIR), type: 'ovirt' } } : {}),
    env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
  });
  const data = await createWorkspace();
  try {
    ovirt.writeFiles({ 'main.tf': ovirtConfig(ovirt.source) });
    data.writeFiles({ 'main.tf': dataConfig() });
    const mem = new RunSampler();
    const self0 = process.cpuUsage();
    const requests: Record<string, Record<string, number>> = {};
    let phase = '';
    const ovirtTimes = await sampled(mem, () =>
      phases(ovirt, (next) => {
        if (phase) requests[phase] = sim.control.counters();
        sim.control.resetCounters();
        phase = next;
      }),
    );
    const selfCpu = process.cpuUsage(self0);
    const dataMem = new RunSampler();
    const dataTimes = await sampled(dataMem, () => phases(data));
    // Terraform's own cost of the larger state, apart from the provider's: terraform_data padded to
    // the oVirt run's state size (~70 bytes of JSON around each padding string).
    const pad = Math.round((ovirtTimes.stateBytes! - dataTimes.stateBytes!) / (4 * VMS)) - 70;
    const padded = pad > 0 ? await createWorkspace() : undefined;
    const paddedMem = new RunSampler();
    let paddedTimes: Record<string, number> | undefined;
    if (padded) {
      try {
        padded.writeFiles({ 'main.tf': dataConfig(pad) });
        paddedTimes = await sampled(paddedMem, () => phases(padded));
      } finally {
        await padded.cleanup();
      }
    }
    const sum = (t: Record<string, number>) => t.plan! + t.apply! + t.destroy!;
    const row = (name: string, t: Record<string, number>) =>
      `${name.padEnd(34)} plan ${t.plan!.toFixed(1)} s, apply ${t.apply!.toFixed(1)} s, destroy ${t.destroy!.toFixed(1)} s, total ${sum(t).toFixed(1)} s`;
    process.stdout.write(
      `provider-scale: ${VMS} VMs x (vm, disk, attachment, nic) = ${4 * VMS} resources, ${PAR}, simulator delays none\n`,
    );
    process.stdout.write(row(`ovirt (${4 * VMS} resources)`, ovirtTimes) + '\n');
    process.stdout.write(row(`terraform_data (${4 * VMS} resources)`, dataTimes) + '\n');
    for (const p of ['plan', 'apply', 'destroy'])
      process.stdout.write(`ratio ${p}: ${(ovirtTimes[p]! / dataTimes[p]!).toFixed(2)}x\n`);
    process.stdout.write(`ratio total: ${(sum(ovirtTimes) / sum(dataTimes)).toFixed(2)}x\n`);
    process.stdout.write(
      `state after apply: ovirt ${(ovirtTimes.stateBytes! / 1024).toFixed(0)} KiB, terraform_data ${(dataTimes.stateBytes! / 1024).toFixed(0)} KiB\n`,
    );
    if (paddedTimes)
      process.stdout.write(
        row(`terraform_data, state padded`, paddedTimes) +
          ` (state ${(paddedTimes.stateBytes! / 1024).toFixed(0)} KiB, terraform CPU ${paddedMem.cpuSeconds('terraform').toFixed(1)} s)\n` +
          `ratio total, ovirt / terraform_data with a state as large: ${(sum(ovirtTimes) / sum(paddedTimes)).toFixed(2)}x\n`,
      );
    process.stdout.write(
      `provider peak RSS: one process ${(mem.peakOneKiB / 1024).toFixed(0)} MiB, all provider processes at once ${(mem.peakAllKiB / 1024).toFixed(0)} MiB\n`,
    );
    const simCpu = (selfCpu.user + selfCpu.system) / 1e6;
    process.stdout.write(
      `CPU seconds: ovirt run: terraform ${mem.cpuSeconds('terraform').toFixed(1)} s, providers ${mem.cpuSeconds('provider').toFixed(1)} s, simulator and sampler (this process) ${simCpu.toFixed(1)} s; terraform_data run: terraform ${dataMem.cpuSeconds('terraform').toFixed(1)} s\n`,
    );
    process.stdout.write(
      `provider processes: ${mem
        .perProcess('provider')
        .map((s) => s.toFixed(2))
        .join(', ')} s CPU each\n`,
    );
    for (const p of ['plan', 'apply', 'destroy']) {
      const counts = requests[p] ?? {};
      process.stdout.write(
        `engine API requests during ${p}: ${total(counts)} (${(total(counts) / VMS).toFixed(2)} per VM)\n`,
      );
    }
    for (const p of ['apply', 'destroy'])
      process.stdout.write(`${p} requests by endpoint: ${JSON.stringify(requests[p])}\n`);
  } finally {
    await ovirt.cleanup();
    await data.cleanup();
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

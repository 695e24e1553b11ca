/**
 * Shared parts of the chaos suite: sizes (from the environment, CI-sized by default), the tally
 * the suite prints at the end, and a terraform workspace wired to an engine simulator.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim, type EngineSimOptions } from '../../src/engine-sim';
import * as os from 'node:os';
import {
  bundleEntry,
  createWorkspace,
  expectOk,
  REPO_ROOT,
  type ProviderSpec,
  type RunResult,
  type StateJson,
  type Workspace,
} from '../support/terraform';

function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

/** Sizes of the suite. Defaults keep CI fast; raise them with the environment for a longer soak. */
export const SIZES = {
  /** VMs applied under engine faults (CHAOS_VMS). */
  vms: envInt('CHAOS_VMS', 50),
  /** VMs of the interrupted applies (CHAOS_INTERRUPT_VMS). */
  interruptVms: envInt('CHAOS_INTERRUPT_VMS', 12),
  /** Concurrent boot fetches while entries are rewritten (CHAOS_FETCHES). */
  fetches: envInt('CHAOS_FETCHES', 1000),
  /** terraform -parallelism (CHAOS_PARALLELISM). */
  parallelism: envInt('CHAOS_PARALLELISM', 10),
  /** Seed of the simulator's fault draws (CHAOS_SEED). */
  seed: envInt('CHAOS_SEED', 9),
};

/** What the suite counts; printed at the end and written to CHAOS_SUMMARY_FILE when set. */
export const tally = {
  faultsInjected: {} as Record<string, number>,
  operations: {} as Record<string, number>,
  orphans: 0,
  stateMismatches: 0,
};

/** Adds `n` operations of a kind (terraform runs, boot fetches, admin writes, bad requests ...). */
export function countOps(kind: string, count = 1): void {
  tally.operations[kind] = (tally.operations[kind] ?? 0) + count;
}

/** Adds a simulator's injected faults to the tally. */
export function countFaults(sim: EngineSim): void {
  for (const [k, v] of Object.entries(sim.control.faultCounts()))
    tally.faultsInjected[k] = (tally.faultsInjected[k] ?? 0) + v;
}

/** Adds faults injected by the suite itself (signals, restarts, hostile bodies). */
export function countFault(kind: string, count = 1): void {
  tally.faultsInjected[kind] = (tally.faultsInjected[kind] ?? 0) + count;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const detail = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The summary text printed at the end of the suite. */
export function summaryText(): string {
  return [
    'chaos summary',
    `  faults injected:  ${sum(tally.faultsInjected)} (${detail(tally.faultsInjected)})`,
    `  operations run:   ${sum(tally.operations)} (${detail(tally.operations)})`,
    `  orphans:          ${tally.orphans} (must be 0)`,
    `  state mismatches: ${tally.stateMismatches} (must be 0)`,
    `  sizes:            ${detail(SIZES)}`,
  ].join('\n');
}

/** Prints the summary on stderr and writes it as JSON to CHAOS_SUMMARY_FILE when that is set. */
export function reportSummary(): void {
  process.stderr.write(summaryText() + '\n');
  const file = process.env.CHAOS_SUMMARY_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ ...tally, sizes: SIZES, date: new Date().toISOString() }, null, 2));
}

/** A terraform workspace whose provider reaches `sim` through the OVIRT_* environment. */
export interface SimWorkspace {
  ws: Workspace;
  sim: EngineSim;
  /** Runs terraform (counted as one operation) with extra environment. */
  tf(args: string[], env?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<RunResult>;
  close(): Promise<void>;
}

/** The provider block header every chaos config starts with. */
export function header(source: string): string {
  return `terraform {\n  required_providers {\n    ovirt = { source = "${source}" }\n  }\n}\nprovider "ovirt" {}\n`;
}

let bundled: Promise<ProviderSpec> | undefined;

/**
 * The provider bundled once from the sources into a temp folder: the suite tests the code it was
 * started with, even while `dist/` is rebuilt under it. A package.json beside it gives the version.
 */
export function chaosProvider(): Promise<ProviderSpec> {
  bundled ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-provider-'));
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: pkg.version }));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return { entry: await bundleEntry('src/provider/main.ts', dir), type: 'ovirt' };
  })();
  return bundled;
}

/** Starts a simulator (TLS, no delays) and a workspace pointed at it; runs `terraform init`. */
export async function simWorkspace(opts: EngineSimOptions = {}): Promise<SimWorkspace> {
  const provider = await chaosProvider();
  const sim = await startEngineSim({ seed: SIZES.seed, delays: 'none', ...opts });
  let ws: Workspace | undefined;
  try {
    ws = await createWorkspace({
      provider,
      env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
    });
    ws.writeFiles({ 'main.tf': header(ws.source) });
    expectOk(await ws.terraform('init'));
  } catch (err) {
    // A simulator left listening would keep jest from exiting.
    await sim.stop();
    await ws?.cleanup();
    throw err;
  }
  const workspace = ws;
  const tf = async (args: string[], env?: NodeJS.ProcessEnv, timeoutMs?: number) => {
    countOps('terraform runs');
    return workspace.run(args, { env, timeoutMs });
  };
  return {
    ws: workspace,
    sim,
    tf,
    close: async () => {
      await sim.stop();
      await workspace.cleanup();
    },
  };
}

/** HCL of `count` Blank-template VMs named `<prefix>-<i>` (resource `ovirt_vm.vm`). */
export function vmsConfig(prefix: string, count: number, memoryMiB = 512): string {
  return `
data "ovirt_cluster" "c" {
  name = "Default"
}
resource "ovirt_vm" "vm" {
  count      = ${count}
  name       = "${prefix}-\${count.index}"
  cluster_id = data.ovirt_cluster.c.id
  memory     = ${memoryMiB * 1024 * 1024}
  comment    = "chaos"
}
`;
}

/**
 * HCL giving every `every`-th VM of {@link vmsConfig} a NIC, a disk and its attachment: more
 * kinds of create (and of orphan) than VMs alone.
 */
export function devicesConfig(prefix: string, count: number, every: number): string {
  const devices = Math.ceil(count / every);
  return `
resource "ovirt_nic" "nic" {
  count           = ${devices}
  vm_id           = ovirt_vm.vm[count.index * ${every}].id
  name            = "nic1"
  vnic_profile_id = "${SEED_IDS.vnicProfile}"
}
resource "ovirt_disk" "disk" {
  count             = ${devices}
  alias             = "${prefix}-disk-\${count.index}"
  size              = 1073741824
  format            = "cow"
  sparse            = true
  storage_domain_id = "${SEED_IDS.nfsDomain}"
}
resource "ovirt_disk_attachment" "att" {
  count     = ${devices}
  vm_id     = ovirt_vm.vm[count.index * ${every}].id
  disk_id   = ovirt_disk.disk[count.index].id
  interface = "virtio_scsi"
}
`;
}

/** The `ovirt_vm` resources in a `terraform show -json` state: id and name. */
export function stateVms(
  state: StateJson,
): Array<{ address: string; id: string; name: string; memory: number; comment: string }> {
  return (state.values?.root_module?.resources ?? [])
    .filter((r) => r.type === 'ovirt_vm')
    .map((resource) => ({
      address: resource.address,
      id: String(resource.values.id),
      name: String(resource.values.name),
      memory: Number(resource.values.memory),
      comment: String(resource.values.comment),
    }));
}

/** The simulator's VMs whose name starts with `prefix-`. */
export function simVms(
  sim: EngineSim,
  prefix: string,
): Array<{ id: string; name: string; memory: number; comment: string }> {
  return sim.control
    .list('vms')
    .map((entity) => ({
      id: entity.id,
      name: String(entity.data.name),
      memory: Number(entity.data.memory),
      comment: String(entity.data.comment),
    }))
    .filter((v) => v.name.startsWith(`${prefix}-`));
}

/**
 * Compares state and simulator for a VM config: orphans are simulator VMs of the config that the
 * state lacks; mismatches are state VMs missing from the simulator or differing in name,
 * memory or comment, plus duplicate names. Both are added to the tally and returned.
 */
export function compareVms(
  state: StateJson,
  sim: EngineSim,
  prefix: string,
): { orphans: string[]; mismatches: string[] } {
  const inState = stateVms(state);
  const inSim = simVms(sim, prefix);
  const stateIds = new Set(inState.map((v) => v.id));
  const orphans = inSim.filter((v) => !stateIds.has(v.id)).map((v) => `${v.name} (${v.id}) not in state`);
  const mismatches: string[] = [];
  for (const s of inState) {
    const simVm = inSim.find((v) => v.id === s.id);
    if (!simVm) mismatches.push(`${s.address} (${s.id}) missing from the simulator`);
    else if (simVm.name !== s.name || simVm.memory !== s.memory || simVm.comment !== s.comment) {
      mismatches.push(
        `${s.address}: state ${s.name}/${s.memory}/${s.comment}, simulator ${simVm.name}/${simVm.memory}/${simVm.comment}`,
      );
    }
  }
  const names = inSim.map((v) => v.name);
  for (const dup of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    mismatches.push(`duplicate VM name ${dup}`);
  tally.orphans += orphans.length;
  tally.stateMismatches += mismatches.length;
  return { orphans, mismatches };
}

/** Kinds of simulator objects a config can create, and the resource type that manages each. */
const MANAGED: Array<[string, string]> = [
  ['vms', 'ovirt_vm'],
  ['disks', 'ovirt_disk'],
  ['nics', 'ovirt_nic'],
  ['diskattachments', 'ovirt_disk_attachment'],
];

/** Every simulator object of the managed kinds, as `kind:parent/id` keys (a baseline before apply). */
export function simObjects(sim: EngineSim): Set<string> {
  return new Set(MANAGED.flatMap(([kind]) => sim.control.list(kind).map((e) => `${kind}:${e.parent ?? ''}/${e.id}`)));
}

/**
 * Compares every object the config created (simulator objects not in `baseline`) with the state,
 * whatever its kind: orphans are created objects no resource in state names; mismatches are
 * resources in state whose object the simulator lacks. Both are added to the tally.
 */
export function compareObjects(
  state: StateJson,
  sim: EngineSim,
  baseline: Set<string>,
): { orphans: string[]; mismatches: string[] } {
  const resources = state.values?.root_module?.resources ?? [];
  const keyOf = (type: string, values: Record<string, unknown>): string => {
    const kind = MANAGED.find(([, t]) => t === type)![0];
    if (type === 'ovirt_nic') return `${kind}:${values.vm_id}/${values.id}`;
    if (type === 'ovirt_disk_attachment') return `${kind}:${values.vm_id}/${values.disk_id}`;
    return `${kind}:/${values.id}`;
  };
  const inState = new Set(
    resources.filter((r) => MANAGED.some(([, t]) => t === r.type)).map((r) => keyOf(r.type, r.values)),
  );
  const now = simObjects(sim);
  const orphans = [...now].filter((k) => !baseline.has(k) && !inState.has(k));
  const mismatches = [...inState].filter((k) => !now.has(k)).map((k) => `${k} in state, not in the simulator`);
  tally.orphans += orphans.length;
  tally.stateMismatches += mismatches.length;
  return { orphans, mismatches };
}

/** Writes `main.tf` (header plus body) into the workspace. */
export function writeConfig(workspace: SimWorkspace, body: string): void {
  workspace.ws.writeFiles({ 'main.tf': header(workspace.ws.source) + body });
}

/** Path of a file inside the workspace directory. */
export function inDir(workspace: SimWorkspace, name: string): string {
  return path.join(workspace.ws.dir, name);
}

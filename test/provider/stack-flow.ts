/**
 * The end-to-end flow of issue 5 with the real terraform against the engine simulator, shared by
 * the clean run and the run with injected faults: create a full VM stack, an empty plan, in-place
 * updates, a replacement, drift made in the simulator, import of every resource, destroy leaving
 * nothing behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { createWorkspace, expectOk, resourceValues, type RunResult, type Workspace } from '../support/terraform';

const GiB = 1024 ** 3;
const HCL = path.join(__dirname, 'hcl', 'stack', 'main.tf');

/** Terraform's `-detailed-exitcode`: 0 = no changes, 2 = changes. */
const NO_CHANGES = 0;
const CHANGES = 2;

/** A simulator plus a terraform workspace configured for it through OVIRT_* variables. */
export interface StackEnv {
  sim: EngineSim;
  ws: Workspace;
}

/** Starts the simulator (with `faults`) and a workspace holding the stack config. */
async function startStack(faults?: string): Promise<StackEnv> {
  const sim = await startEngineSim({ delays: 'none', seed: 5, faults });
  const ws = await createWorkspace({
    env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
  });
  ws.writeFiles({ 'main.tf': fs.readFileSync(HCL, 'utf8').replaceAll('__SOURCE__', ws.source) });
  return { sim, ws };
}

/** Registers the `afterAll` that stops what `start` opened; returns `start` (see `startStack`). */
export function useStack(): (faults?: string) => Promise<StackEnv> {
  let env: StackEnv | undefined;
  afterAll(async () => {
    await env?.ws.cleanup();
    await env?.sim.stop();
  });
  return async (faults) => (env = await startStack(faults));
}

/** Writes the variables of the next step. */
export function setVars(ws: Workspace, vars: Partial<Record<string, unknown>>): void {
  const base = {
    prefix: 'e2e',
    vm_name: 'e2e-node',
    memory: 2 * GiB,
    sockets: 2,
    disk_size: GiB,
    disk_format: 'cow',
    priority: 5,
  };
  ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ ...base, ...vars }) });
}

/** `terraform plan -detailed-exitcode` (exit code 1 is an error and throws). */
export async function plan(ws: Workspace): Promise<RunResult> {
  const result = await ws.terraform('plan', '-detailed-exitcode', '-no-color');
  if (result.code !== NO_CHANGES && result.code !== CHANGES) expectOk(result);
  return result;
}

/** Asserts an empty plan, showing the plan when it is not. */
export async function expectNoChanges(ws: Workspace): Promise<void> {
  const result = await plan(ws);
  if (result.code !== NO_CHANGES) throw new Error(`expected no changes, got:\n${result.stdout}`);
}

/** `terraform apply -auto-approve` (throws on failure). */
export async function apply(ws: Workspace, ...args: string[]): Promise<RunResult> {
  return expectOk(await ws.terraform('apply', '-auto-approve', '-no-color', ...args));
}

/** The stack's managed resource addresses in state. */
export async function managed(ws: Workspace): Promise<Record<string, Record<string, unknown>>> {
  const state = await ws.state();
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of state.values?.root_module?.resources ?? [])
    if (!r.address.startsWith('data.')) out[r.address] = resourceValues(state, r.address)!;
  return out;
}

/** Import ids of each managed resource, as the import docs say. */
export function importIds(res: Record<string, Record<string, unknown>>): Record<string, string> {
  const attr = (a: string, k: string) => String(res[a]![k]);
  return {
    'ovirt_vm.node': attr('ovirt_vm.node', 'id'),
    'ovirt_vm.golden': attr('ovirt_vm.golden', 'id'),
    'ovirt_disk.data': attr('ovirt_disk.data', 'id'),
    'ovirt_disk_attachment.data': attr('ovirt_disk_attachment.data', 'id'),
    'ovirt_nic.nic1': `${attr('ovirt_nic.nic1', 'vm_id')}/${attr('ovirt_nic.nic1', 'id')}`,
    'ovirt_affinity_group.spread': `${attr('ovirt_affinity_group.spread', 'cluster_id')}/${attr('ovirt_affinity_group.spread', 'id')}`,
    'ovirt_vm_affinity_group.node': attr('ovirt_vm_affinity_group.node', 'id'),
    'ovirt_tag.cluster': attr('ovirt_tag.cluster', 'id'),
    'ovirt_vm_tag.node': attr('ovirt_vm_tag.node', 'id'),
    'ovirt_vm_start.node': attr('ovirt_vm_start.node', 'vm_id'),
    'ovirt_template.golden': attr('ovirt_template.golden', 'id'),
  };
}

/** Ids of every object of a kind in the simulator. */
export function simIds(sim: EngineSim, kind: string): string[] {
  return sim.control.list(kind).map((e) => e.id);
}

const KINDS = ['vms', 'disks', 'templates', 'tags', 'affinitygroups'] as const;

/** The whole flow; each step asserts what it shows. */
export async function runFlow({ sim, ws }: StackEnv): Promise<void> {
  const seed = Object.fromEntries(KINDS.map((k) => [k, simIds(sim, k).sort()]));
  setVars(ws, {});
  expectOk(await ws.terraform('init', '-no-color'));

  // 1. Create the full stack.
  await apply(ws);
  let res = await managed(ws);
  const vmId = String(res['ovirt_vm.node']!.id);
  const group = res['ovirt_affinity_group.spread']!;
  expect(res['ovirt_vm_start.node']!.status).toBe('up');
  // The MAC the engine assigned, exactly.
  expect(res['ovirt_nic.nic1']!.mac).toBe(
    (sim.control.get('nics', String(res['ovirt_nic.nic1']!.id), vmId)!.data.mac as { address: string }).address,
  );
  expect(res['ovirt_vm.node']).toMatchObject({
    clone: true,
    memory: 2 * GiB,
    cpu_sockets: 2,
    huge_pages: 2048,
    serial_console: true,
  });
  expect(res['ovirt_template.golden']!.status).toBe('ok');
  const engineGroup = sim.control.get('affinitygroups', String(group.id), String(group.cluster_id))!.data;
  // Priority and enforcing reach the engine (the Go provider never sent them).
  expect(engineGroup).toMatchObject({
    priority: 5,
    enforcing: true,
    vms_rule: { enabled: true, positive: false, enforcing: true },
  });

  // 2. Nothing to do afterwards.
  await expectNoChanges(ws);

  // 3. In-place updates: memory, CPU, name, disk size, affinity priority.
  setVars(ws, { memory: 4 * GiB, sockets: 4, vm_name: 'e2e-node-renamed', disk_size: 2 * GiB, priority: 7 });
  const upd = await plan(ws);
  expect(upd.code).toBe(CHANGES);
  expect(upd.stdout).not.toContain('must be replaced');
  expect(upd.stdout).toMatch(/0 to add, \d+ to change, 0 to destroy/);
  await apply(ws);
  res = await managed(ws);
  expect(res['ovirt_vm.node']).toMatchObject({
    id: vmId,
    name: 'e2e-node-renamed',
    memory: 4 * GiB,
    cpu_sockets: 4,
    pending_next_run: true,
  });
  expect(sim.control.get('disks', String(res['ovirt_disk.data']!.id))!.data.provisioned_size).toBe(2 * GiB);
  await expectNoChanges(ws);

  // 4. A force-new change replaces the disk (and its attachment), nothing else.
  const oldDisk = String(res['ovirt_disk.data']!.id);
  // Step 3's values with a raw disk: the variables from here on.
  const replaced = {
    memory: 4 * GiB,
    sockets: 4,
    vm_name: 'e2e-node-renamed',
    disk_size: 2 * GiB,
    priority: 7,
    disk_format: 'raw',
  };
  setVars(ws, replaced);
  const rep = await plan(ws);
  expect(rep.stdout).toMatch(/ovirt_disk\.data must be replaced/);
  expect(rep.stdout).toMatch(/2 to add, 0 to change, 2 to destroy/);
  await apply(ws);
  res = await managed(ws);
  expect(res['ovirt_disk.data']!.id).not.toBe(oldDisk);
  expect(simIds(sim, 'disks')).not.toContain(oldDisk);
  await expectNoChanges(ws);

  // 5. Changes behind Terraform's back show as drift and are put back in place.
  sim.control.mutate('affinitygroups', String(group.id), { priority: 1 }, String(group.cluster_id));
  sim.control.mutate('vms', vmId, { comment: 'edited by hand', status: 'down' });
  const drift = await plan(ws);
  expect(drift.code).toBe(CHANGES);
  expect(drift.stdout).toMatch(/~ priority\s+= 1 -> 7/);
  expect(drift.stdout).toMatch(/~ comment\s+= "edited by hand" -> "managed by terraform"/);
  expect(drift.stdout).toMatch(/~ status\s+= "down" -> "up"/);
  expect(drift.stdout).not.toContain('must be replaced');
  await apply(ws);
  expect(sim.control.get('vms', vmId)!.data.status).toBe('up');
  await expectNoChanges(ws);

  // 6. Shrinking a disk is refused at plan time, naming the attribute.
  setVars(ws, { ...replaced, disk_size: GiB });
  const shrink = await ws.terraform('plan', '-no-color');
  expect(shrink.code).toBe(1);
  expect(shrink.stderr).toContain('Disk Cannot Shrink');
  expect(shrink.stderr).toMatch(/with ovirt_disk\.data[\s\S]*size/);
  setVars(ws, replaced);

  // 7. Import of every resource: forget them, import them back with import blocks, no drift.
  const ids = importIds(await managed(ws));
  expectOk(await ws.terraform('state', 'rm', ...Object.keys(ids)));
  ws.writeFiles({
    'imports.tf': Object.entries(ids)
      .map(([to, id]) => `import {\n  to = ${to}\n  id = "${id}"\n}\n`)
      .join(''),
  });
  const imp = await plan(ws);
  expect(imp.stdout).toMatch(/11 to import, 0 to add, \d+ to change, 0 to destroy/);
  await apply(ws);
  fs.rmSync(path.join(ws.dir, 'imports.tf'));
  await expectNoChanges(ws);

  // 8. Destroy leaves nothing this config created.
  expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
  for (const k of KINDS) expect([k, simIds(sim, k).sort()]).toEqual([k, seed[k]]);
}

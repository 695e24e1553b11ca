/**
 * Plans a reviewer can read (real terraform, simulator, boot server): for a one-attribute change
 * of each resource with in-place updates, `terraform plan -out` + `terraform show -json` shows
 * that resource alone changing, and in it only that attribute plus the attributes it really
 * affects (changed or "known after apply"). Everything else keeps its prior value, and after
 * applying the plan a refreshing plan is empty (the kept values were right).
 * `ovirt_vm_tag` and `ovirt_vm_affinity_group` have no in-place change (every attribute replaces).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { apply, expectNoChanges } from './stack-flow';

const BOOT_TOKEN = 'plan-diff-admin-token-0123';
const GiB = 1024 ** 3;

interface ResourceChange {
  address: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
  };
}

const hasTrue = (v: unknown): boolean =>
  v === true || (typeof v === 'object' && v !== null && Object.values(v).some(hasTrue));

/** Each planned change: the address, its actions and the attributes that change or become unknown. */
function changes(planJson: string): Record<string, { actions: string[]; attributes: string[] }> {
  const out: Record<string, { actions: string[]; attributes: string[] }> = {};
  for (const rc of (JSON.parse(planJson) as { resource_changes?: ResourceChange[] }).resource_changes ?? []) {
    const { actions, before, after, after_unknown: unknown = {} } = rc.change;
    if (actions.join() === 'no-op') continue;
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
    const attributes = [...keys].filter(
      (k) => hasTrue(unknown[k]) || JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null),
    );
    out[rc.address] = { actions, attributes: attributes.sort() };
  }
  return out;
}

/** One change of `v` and what the plan must show: the address and the attributes that change. */
const CASES: Array<[string, Record<string, unknown>, string, string[]]> = [
  // The VM runs (ovirt_vm_start): any change may be saved as next-run configuration.
  ['ovirt_vm comment', { vm_comment: 'second' }, 'ovirt_vm.node', ['comment', 'pending_next_run']],
  // The engine fits the guaranteed and maximum memory to a new memory size.
  [
    'ovirt_vm memory',
    { vm_memory: 2 * GiB },
    'ovirt_vm.node',
    ['maximum_memory', 'memory', 'memory_guaranteed', 'pending_next_run'],
  ],
  ['ovirt_disk description', { disk_description: 'second' }, 'ovirt_disk.data', ['description']],
  ['ovirt_disk size', { disk_size: 2 * GiB }, 'ovirt_disk.data', ['actual_size', 'size']],
  ['ovirt_disk_attachment pass_discard', { attachment_discard: true }, 'ovirt_disk_attachment.data', ['pass_discard']],
  ['ovirt_nic name', { nic_name: 'nic2' }, 'ovirt_nic.nic', ['name']],
  ['ovirt_affinity_group priority', { group_priority: 2 }, 'ovirt_affinity_group.spread', ['priority']],
  ['ovirt_tag description', { tag_description: 'second' }, 'ovirt_tag.t', ['description']],
  ['ovirt_template description', { template_description: 'second' }, 'ovirt_template.golden', ['description']],
  ['ovirt_boot_entry role', { entry_role: 'master' }, 'ovirt_boot_entry.e', ['role']],
  ['ovirt_vm_start status', { start_status: 'down' }, 'ovirt_vm_start.node', ['status']],
  ['ovirt_disk_attachments interface', { other_interface: 'virtio' }, 'ovirt_disk_attachments.other', ['attachment']],
  [
    'ovirt_vm_graphics_consoles console',
    { other_consoles: ['spice', 'vnc'] },
    'ovirt_vm_graphics_consoles.other',
    ['console'],
  ],
];

describe('plans of one-attribute changes show only what changes (real terraform)', () => {
  let sim: EngineSim;
  let boot: RunningBootServer;
  let ws: Workspace;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    boot = await startBootServer({ port: 0, store: new MemoryStore(), token: BOOT_TOKEN, log: () => undefined });
    ws = await createWorkspace({
      env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
    });
    ws.writeFiles({
      'main.tf': fs
        .readFileSync(path.join(__dirname, 'hcl', 'plan-diff', 'main.tf'), 'utf8')
        .replaceAll('__SOURCE__', ws.source)
        .replaceAll('__BOOT_URL__', boot.url)
        .replaceAll('__BOOT_TOKEN__', BOOT_TOKEN),
      'terraform.tfvars.json': JSON.stringify({ v: {} }),
    });
    expectOk(await ws.terraform('init', '-no-color'));
    await apply(ws);
    await expectNoChanges(ws);
  }, 300_000);
  afterAll(async () => {
    await ws?.cleanup();
    await boot?.stop();
    await sim?.stop();
  });

  // Each case applies its change, so the values accumulate: the next plan changes one thing only.
  const applied: Record<string, unknown> = {};
  it.each(CASES)('%s', async (_what, vars, address, attributes) => {
    Object.assign(applied, vars);
    ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ v: applied }) });
    expectOk(await ws.terraform('plan', '-no-color', '-out=change.tfplan'));
    const shown = expectOk(await ws.terraform('show', '-json', 'change.tfplan'));
    expect(changes(shown.stdout)).toEqual({ [address]: { actions: ['update'], attributes } });
    // The values the plan kept were right: after the apply, a refreshing plan finds nothing to do.
    expectOk(await ws.terraform('apply', '-no-color', 'change.tfplan'));
    await expectNoChanges(ws);
  });

  // Drift: attributes edited in the engine behind Terraform's back are planned back, and nothing
  // else of the resource turns "known after apply" but `pending_next_run`, which any VM update may
  // set (whether the engine saves it as next-run configuration depends on the VM's power state at apply).
  it('drift of ovirt_vm comment and ovirt_disk description made in the engine', async () => {
    const state = await ws.state();
    sim.control.mutate('vms', String(resourceValues(state, 'ovirt_vm.node')!.id), { comment: 'edited by hand' });
    sim.control.mutate('disks', String(resourceValues(state, 'ovirt_disk.data')!.id), { description: 'by hand' });
    expectOk(await ws.terraform('plan', '-no-color', '-out=drift.tfplan'));
    const shown = expectOk(await ws.terraform('show', '-json', 'drift.tfplan'));
    expect(changes(shown.stdout)).toEqual({
      'ovirt_vm.node': { actions: ['update'], attributes: ['comment', 'pending_next_run'] },
      'ovirt_disk.data': { actions: ['update'], attributes: ['description'] },
    });
    expectOk(await ws.terraform('apply', '-no-color', 'drift.tfplan'));
    await expectNoChanges(ws);
  });
});

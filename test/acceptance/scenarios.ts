/**
 * The acceptance scenarios, in order, on one stack (hcl/main.tf) driven by the real terraform:
 * each changes the stack's variables or the engine, applies, and checks the result through the
 * engine API. Scenarios that need the simulator's control say why, and are skipped on a real engine.
 */
import assert from 'node:assert/strict';
import type { BootAdminClient } from '../../src/boot';
import type { EngineSim } from '../../src/engine-sim';
import type { DiskId, OvirtClient, VmId } from '../../src/ovirt';
import type { Workspace } from '../support/terraform';
import { apply, expectNoChanges, managed, plan } from '../provider/stack-flow';
import { findOwned } from './cleanup';
import type { EngineFacts } from './target';

/** Attribute `name` of the resource at `address` in the state, failing the scenario when terraform does not manage it. */
function valueOf(managedIds: Record<string, Record<string, unknown>>, address: string, name: string): unknown {
  const values = managedIds[address];
  assert.ok(values, `terraform manages ${address}`);
  return values[name];
}

const GiB = 1024 ** 3;
/** Terraform's `-detailed-exitcode` for a plan with changes. */
const CHANGES = 2;

/** What a scenario works with. */
export interface Ctx {
  prefix: string;
  facts: EngineFacts;
  client: OvirtClient;
  ws: Workspace;
  boot: { url: string; admin: BootAdminClient };
  /** The simulator's control, when the suite runs against its own simulator. */
  sim?: EngineSim;
  /** The stack's variables (terraform.tfvars.json). */
  vars: Record<string, unknown>;
  /** Ids of the stack's objects, known after the first scenario. */
  ids: { vm: VmId; disk: DiskId; mac: string };
}

/** One scenario. */
export interface Scenario {
  name: string;
  /** Why it needs the simulator (fault injection, forced locks); such scenarios are skipped on a real engine. */
  needsSimulator?: string;
  run(c: Ctx): Promise<void>;
}

/** Changes variables, then applies; returns terraform's output (the plan it applied and the summary). */
async function applyWith(ctx: Ctx, vars: Record<string, unknown>): Promise<string> {
  Object.assign(ctx.vars, vars);
  ctx.ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify(ctx.vars, null, 2) });
  return (await apply(ctx.ws)).stdout;
}

const ADDRESSES = [
  'ovirt_vm.vm',
  'ovirt_disk.data',
  'ovirt_disk_attachment.data',
  'ovirt_nic.nic',
  'ovirt_vm_start.vm',
];

export const SCENARIOS: Scenario[] = [
  {
    name: 'create a VM from the template, with a disk, its attachment and a NIC',
    async run(ctx) {
      await applyWith(ctx, {});
      const managedIds = await managed(ctx.ws);
      assert.deepEqual(Object.keys(managedIds).sort(), [...ADDRESSES].sort());
      ctx.ids = {
        vm: String(valueOf(managedIds, 'ovirt_vm.vm', 'id')) as VmId,
        disk: String(valueOf(managedIds, 'ovirt_disk.data', 'id')) as DiskId,
        mac: String(valueOf(managedIds, 'ovirt_nic.nic', 'mac')),
      };
      const vm = await ctx.client.vms.get(ctx.ids.vm);
      assert.equal(vm.name, `${ctx.prefix}vm`);
      assert.equal(vm.template?.id, ctx.facts.template);
      assert.equal(vm.cluster?.id, ctx.facts.cluster);
      assert.equal(vm.status, 'down');
      const attachments = await ctx.client.diskAttachments.list(ctx.ids.vm);
      assert.ok(
        attachments.some((a) => a.disk?.id === ctx.ids.disk),
        'the data disk is attached to the VM',
      );
      const disk = await ctx.client.disks.get(ctx.ids.disk);
      assert.equal(disk.storage_domains?.[0]?.id, ctx.facts.storageDomain);
      const nic = (await ctx.client.vmNics.list(ctx.ids.vm)).find((n) => n.name === 'nic1');
      assert.equal(nic?.vnic_profile?.id, ctx.facts.vnicProfile);
      assert.equal(nic?.mac?.address, ctx.ids.mac);
    },
  },
  {
    name: 'a second plan is empty',
    run: (c) => expectNoChanges(c.ws),
  },
  {
    name: "boot entry for the NIC's MAC on a boot server",
    async run(ctx) {
      await applyWith(ctx, { boot_entry: true });
      const res = await fetch(`${ctx.boot.url}/ipxe?mac=${ctx.ids.mac.replaceAll(':', '-')}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /kernel http:\/\/mirror\.invalid\/acceptance-kernel/);
      await applyWith(ctx, { boot_entry: false });
      assert.equal(await ctx.boot.admin.get(`${ctx.prefix}vm`), undefined);
    },
  },
  {
    name: 'start and stop',
    async run(ctx) {
      await applyWith(ctx, { power: 'up' });
      assert.equal((await ctx.client.vms.get(ctx.ids.vm)).status, 'up');
      await applyWith(ctx, { power: 'down' });
      assert.equal((await ctx.client.vms.get(ctx.ids.vm)).status, 'down');
    },
  },
  {
    name: 'in-place updates: memory, CPU sockets, comment, disk size',
    async run(ctx) {
      const out = await applyWith(ctx, {
        memory: 2 * GiB,
        cpu_sockets: 2,
        comment: 'acceptance, updated',
        disk_size: 2 * GiB,
      });
      assert.doesNotMatch(out, /must be replaced/);
      assert.match(out, /Resources: 0 added, 2 changed, 0 destroyed/);
      const vm = await ctx.client.vms.get(ctx.ids.vm);
      assert.equal(vm.memory, 2 * GiB);
      assert.equal(vm.cpu?.topology?.sockets, 2);
      assert.equal(vm.comment, 'acceptance, updated');
      assert.equal((await ctx.client.disks.get(ctx.ids.disk)).provisioned_size, 2 * GiB);
      await expectNoChanges(ctx.ws);
    },
  },
  {
    name: 'drift made through the engine API is planned and put back',
    async run(ctx) {
      await ctx.client.vms.update(ctx.ids.vm, { comment: 'changed through the engine API' });
      const planned = await plan(ctx.ws);
      assert.equal(planned.code, CHANGES, `expected the drift in the plan, got:\n${planned.stdout}`);
      assert.match(planned.stdout, /~ comment\s+= "changed through the engine API" -> "acceptance, updated"/);
      await apply(ctx.ws);
      assert.equal((await ctx.client.vms.get(ctx.ids.vm)).comment, 'acceptance, updated');
    },
  },
  {
    name: 'import of every resource',
    async run(ctx) {
      const managedIds = await managed(ctx.ws);
      const ids: Record<string, string> = {
        'ovirt_vm.vm': ctx.ids.vm,
        'ovirt_disk.data': ctx.ids.disk,
        'ovirt_disk_attachment.data': String(valueOf(managedIds, 'ovirt_disk_attachment.data', 'id')),
        'ovirt_nic.nic': `${ctx.ids.vm}/${String(valueOf(managedIds, 'ovirt_nic.nic', 'id'))}`,
        'ovirt_vm_start.vm': ctx.ids.vm,
      };
      const rm = await ctx.ws.terraform('state', 'rm', ...Object.keys(ids));
      assert.equal(rm.code, 0, rm.stderr);
      ctx.ws.writeFiles({
        'imports.tf': Object.entries(ids)
          .map(([to, id]) => `import {\n  to = ${to}\n  id = "${id}"\n}\n`)
          .join(''),
      });
      const imp = await apply(ctx.ws);
      assert.match(imp.stdout, /Resources: 5 imported, 0 added, \d+ changed, 0 destroyed/);
      ctx.ws.writeFiles({ 'imports.tf': '' });
      await expectNoChanges(ctx.ws);
    },
  },
  {
    name: 'apply through injected 503s and "locked" conflicts',
    needsSimulator: "needs the simulator's fault injection",
    async run(ctx) {
      const control = ctx.sim!.control;
      const before = Object.values(control.faultCounts()).reduce((a, b) => a + b, 0);
      control.setFaults('503=0.3,locked=0.2');
      try {
        await applyWith(ctx, { comment: 'acceptance, through faults' });
      } finally {
        control.setFaults({});
      }
      assert.ok(Object.values(control.faultCounts()).reduce((a, b) => a + b, 0) > before, 'faults were injected');
      assert.equal((await ctx.client.vms.get(ctx.ids.vm)).comment, 'acceptance, through faults');
      await expectNoChanges(ctx.ws);
    },
  },
  {
    name: 'an update waits out a VM held locked',
    needsSimulator: 'needs the simulator to hold a lock on the VM',
    async run(ctx) {
      const control = ctx.sim!.control;
      control.lock(ctx.ids.vm);
      control.resetCounters();
      let settled = false;
      const applied = applyWith(ctx, { comment: 'acceptance, after the lock' }).finally(() => {
        settled = true;
      });
      applied.catch(() => undefined);
      try {
        // Release the lock once the engine has refused the update at least once.
        while (!settled && !((control.counters()['PUT /vms/{id}'] ?? 0) >= 1))
          await new Promise((r) => setTimeout(r, 50));
      } finally {
        control.unlock(ctx.ids.vm);
      }
      await applied;
      assert.ok((control.counters()['PUT /vms/{id}'] ?? 0) >= 2, 'the refused update was retried');
      assert.equal((await ctx.client.vms.get(ctx.ids.vm)).comment, 'acceptance, after the lock');
    },
  },
  {
    name: 'destroy leaves nothing with the run prefix',
    async run(ctx) {
      const destroyed = await ctx.ws.terraform('destroy', '-auto-approve', '-no-color');
      assert.equal(destroyed.code, 0, destroyed.stderr);
      assert.deepEqual(await findOwned(ctx.client, (n) => n.startsWith(ctx.prefix)), []);
    },
  },
];

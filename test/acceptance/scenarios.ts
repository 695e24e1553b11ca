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
async function applyWith(c: Ctx, vars: Record<string, unknown>): Promise<string> {
  Object.assign(c.vars, vars);
  c.ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify(c.vars, null, 2) });
  return (await apply(c.ws)).stdout;
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
    async run(c) {
      await applyWith(c, {});
      const s = await managed(c.ws);
      assert.deepEqual(Object.keys(s).sort(), [...ADDRESSES].sort());
      c.ids = {
        vm: String(s['ovirt_vm.vm'].id) as VmId,
        disk: String(s['ovirt_disk.data'].id) as DiskId,
        mac: String(s['ovirt_nic.nic'].mac),
      };
      const vm = await c.client.vms.get(c.ids.vm);
      assert.equal(vm.name, `${c.prefix}vm`);
      assert.equal(vm.template?.id, c.facts.template);
      assert.equal(vm.cluster?.id, c.facts.cluster);
      assert.equal(vm.status, 'down');
      const attachments = await c.client.diskAttachments.list(c.ids.vm);
      assert.ok(
        attachments.some((a) => a.disk?.id === c.ids.disk),
        'the data disk is attached to the VM',
      );
      const disk = await c.client.disks.get(c.ids.disk);
      assert.equal(disk.storage_domains?.[0]?.id, c.facts.storageDomain);
      const nic = (await c.client.vmNics.list(c.ids.vm)).find((n) => n.name === 'nic1');
      assert.equal(nic?.vnic_profile?.id, c.facts.vnicProfile);
      assert.equal(nic?.mac?.address, c.ids.mac);
    },
  },
  {
    name: 'a second plan is empty',
    run: (c) => expectNoChanges(c.ws),
  },
  {
    name: "boot entry for the NIC's MAC on a boot server",
    async run(c) {
      await applyWith(c, { boot_entry: true });
      const res = await fetch(`${c.boot.url}/ipxe?mac=${c.ids.mac.replaceAll(':', '-')}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /kernel http:\/\/mirror\.invalid\/acceptance-kernel/);
      await applyWith(c, { boot_entry: false });
      assert.equal(await c.boot.admin.get(`${c.prefix}vm`), undefined);
    },
  },
  {
    name: 'start and stop',
    async run(c) {
      await applyWith(c, { power: 'up' });
      assert.equal((await c.client.vms.get(c.ids.vm)).status, 'up');
      await applyWith(c, { power: 'down' });
      assert.equal((await c.client.vms.get(c.ids.vm)).status, 'down');
    },
  },
  {
    name: 'in-place updates: memory, CPU sockets, comment, disk size',
    async run(c) {
      const out = await applyWith(c, {
        memory: 2 * GiB,
        cpu_sockets: 2,
        comment: 'acceptance, updated',
        disk_size: 2 * GiB,
      });
      assert.doesNotMatch(out, /must be replaced/);
      assert.match(out, /Resources: 0 added, 2 changed, 0 destroyed/);
      const vm = await c.client.vms.get(c.ids.vm);
      assert.equal(vm.memory, 2 * GiB);
      assert.equal(vm.cpu?.topology?.sockets, 2);
      assert.equal(vm.comment, 'acceptance, updated');
      assert.equal((await c.client.disks.get(c.ids.disk)).provisioned_size, 2 * GiB);
      await expectNoChanges(c.ws);
    },
  },
  {
    name: 'drift made through the engine API is planned and put back',
    async run(c) {
      await c.client.vms.update(c.ids.vm, { comment: 'changed through the engine API' });
      const r = await plan(c.ws);
      assert.equal(r.code, CHANGES, `expected the drift in the plan, got:\n${r.stdout}`);
      assert.match(r.stdout, /~ comment\s+= "changed through the engine API" -> "acceptance, updated"/);
      await apply(c.ws);
      assert.equal((await c.client.vms.get(c.ids.vm)).comment, 'acceptance, updated');
    },
  },
  {
    name: 'import of every resource',
    async run(c) {
      const s = await managed(c.ws);
      const ids: Record<string, string> = {
        'ovirt_vm.vm': c.ids.vm,
        'ovirt_disk.data': c.ids.disk,
        'ovirt_disk_attachment.data': String(s['ovirt_disk_attachment.data'].id),
        'ovirt_nic.nic': `${c.ids.vm}/${String(s['ovirt_nic.nic'].id)}`,
        'ovirt_vm_start.vm': c.ids.vm,
      };
      const rm = await c.ws.terraform('state', 'rm', ...Object.keys(ids));
      assert.equal(rm.code, 0, rm.stderr);
      c.ws.writeFiles({
        'imports.tf': Object.entries(ids)
          .map(([to, id]) => `import {\n  to = ${to}\n  id = "${id}"\n}\n`)
          .join(''),
      });
      const imp = await apply(c.ws);
      assert.match(imp.stdout, /Resources: 5 imported, 0 added, \d+ changed, 0 destroyed/);
      c.ws.writeFiles({ 'imports.tf': '' });
      await expectNoChanges(c.ws);
    },
  },
  {
    name: 'apply through injected 503s and "locked" conflicts',
    needsSimulator: "needs the simulator's fault injection",
    async run(c) {
      const control = c.sim!.control;
      const before = Object.values(control.faultCounts()).reduce((a, b) => a + b, 0);
      control.setFaults('503=0.3,locked=0.2');
      try {
        await applyWith(c, { comment: 'acceptance, through faults' });
      } finally {
        control.setFaults({});
      }
      assert.ok(Object.values(control.faultCounts()).reduce((a, b) => a + b, 0) > before, 'faults were injected');
      assert.equal((await c.client.vms.get(c.ids.vm)).comment, 'acceptance, through faults');
      await expectNoChanges(c.ws);
    },
  },
  {
    name: 'an update waits out a VM held locked',
    needsSimulator: 'needs the simulator to hold a lock on the VM',
    async run(c) {
      const control = c.sim!.control;
      control.lock(c.ids.vm);
      control.resetCounters();
      let settled = false;
      const applied = applyWith(c, { comment: 'acceptance, after the lock' }).finally(() => {
        settled = true;
      });
      applied.catch(() => undefined);
      try {
        // Release the lock once the engine has refused the update at least once.
        while (!settled && !(control.counters()['PUT /vms/{id}'] >= 1)) await new Promise((r) => setTimeout(r, 50));
      } finally {
        control.unlock(c.ids.vm);
      }
      await applied;
      assert.ok(control.counters()['PUT /vms/{id}'] >= 2, 'the refused update was retried');
      assert.equal((await c.client.vms.get(c.ids.vm)).comment, 'acceptance, after the lock');
    },
  },
  {
    name: 'destroy leaves nothing with the run prefix',
    async run(c) {
      const r = await c.ws.terraform('destroy', '-auto-approve', '-no-color');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await findOwned(c.client, (n) => n.startsWith(c.prefix)), []);
    },
  },
];

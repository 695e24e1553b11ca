/**
 * Live migration with the real terraform: changing `placement_policy_host_ids` of a running VM so
 * that its host is no longer allowed migrates it (and `host_id` shows where it runs); drift of the
 * placement is migrated back; hosts of another cluster or in maintenance fail at plan time on the
 * attribute; Ctrl-C during a migration converges on the next apply.
 */
import { SEED_IDS, type EngineSim } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { SimClient } from '../engine-sim/sim-client';
import { flat, interruptWhen, OTHER, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

const [H1, H2, H3] = SEED_IDS.hosts;

describe('ovirt_vm live migration (real terraform, simulator)', () => {
  const start = useDay2Env('migrate');
  let sim: EngineSim;
  let ws: Workspace;
  const hosts = (ids: string[]) => ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ host_ids: ids }) });
  const where = (vm: string) => {
    const data = sim.control.get('vms', vm)!.data;
    return [data.status, (data.host as { id?: string } | undefined)?.id];
  };
  it('migrates on a placement change, shows the host, migrates back after drift, refuses bad hosts at plan time', async () => {
    ({ sim, ws } = await start('none', 9));
    hosts([H1]);
    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    expect(where(vm)).toEqual(['up', H1]);
    await apply(ws, '-refresh-only');
    expect(resourceValues(await ws.state(), 'ovirt_vm.app')!.host_id).toBe(H1);

    hosts([H2]);
    const planned = await plan(ws);
    expect(planned.stdout).toContain('0 to add, 1 to change, 0 to destroy');
    await apply(ws);
    expect(where(vm)).toEqual(['up', H2]);
    expect(resourceValues(await ws.state(), 'ovirt_vm.app')!.host_id).toBe(H2);
    await expectNoChanges(ws);

    // Drift: the allowed hosts changed outside Terraform (as the engine's API does it while the VM runs).
    const client = await new SimClient(sim).login();
    expect(
      (
        await client.put(
          `/vms/${vm}?next_run=true`,
          `<vm><placement_policy><hosts><host id="${H3}"/></hosts></placement_policy></vm>`,
        )
      ).status,
    ).toBe(200);
    await client.close();
    expect((await plan(ws)).stdout).toMatch(
      /~ placement_policy_host_ids\s+= \[\s+- "5a1e0000-0000-4000-8000-0000000a0003",\s+\+ "5a1e0000-0000-4000-8000-0000000a0002",/,
    );
    await apply(ws);
    await expectNoChanges(ws);
    expect(where(vm)).toEqual(['up', H2]);

    expectOk(await ws.terraform('state', 'rm', 'ovirt_vm.app'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_vm.app', vm));
    await expectNoChanges(ws);

    hosts([OTHER.host]);
    const cross = await ws.terraform('plan', '-no-color');
    expect(cross.code).toBe(1);
    expect(flat(cross.stderr)).toContain('VM can be migrated only between Hosts in the same Cluster');
    expect(cross.stderr).toMatch(/with ovirt_vm\.app,[\s\S]*placement_policy_host_ids/);
    sim.control.mutate('hosts', H3, { status: 'maintenance' });
    hosts([H3]);
    const maint = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(maint.code).toBe(1);
    expect(flat(maint.stderr)).toContain('Host host3 is maintenance; the engine refuses to migrate to it');
    expect(where(vm)).toEqual(['up', H2]);

    hosts([H2]);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
  }, 600_000);

  it('Ctrl-C during a migration: the next apply converges with the VM on the new host', async () => {
    ({ sim, ws } = await start('realistic', 9));
    hosts([H1]);
    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    hosts([H2]);
    const migrating = () => sim.control.get('vms', vm)!.data.status === 'migrating';
    expect(await interruptWhen(ws, migrating)).toEqual({ code: 1, sawIt: true });
    await apply(ws);
    await expectNoChanges(ws);
    expect(where(vm)).toEqual(['up', H2]);
    expectOk(await ws.run(['destroy', '-auto-approve', '-no-color'], { timeoutMs: 300_000 }));
  }, 600_000);
});

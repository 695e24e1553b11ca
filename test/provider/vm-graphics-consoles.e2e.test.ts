/**
 * `ovirt_vm_graphics_consoles` end to end with the real terraform against the simulator: a
 * headless VM (no console block removes them all), an empty plan, a console added outside
 * Terraform shown as drift and removed, in-place changes of the set, import by VM id, a bad
 * protocol and a bad import id refused, destroy.
 */
import type { EngineSim } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import type { SimClient } from '../engine-sim/sim-client';
import { flat, reimportByVmId, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

const setProtocols = (ws: Workspace, protocols: string[]) =>
  ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ protocols }) });

describe('ovirt_vm_graphics_consoles end to end (real terraform, simulator)', () => {
  const start = useDay2Env('graphics-consoles');
  let sim: EngineSim;
  let ws: Workspace;
  let client: SimClient;

  /** The protocols of the VM's consoles as the engine lists them, sorted. */
  async function consoles(vm: string): Promise<string[]> {
    const answer = await client.get(`/vms/${vm}/graphicsconsoles`, { json: true });
    expect(answer.status).toBe(200);
    const list = (answer.doc.graphics_console ?? []) as { protocol: string }[];
    return list.map((console) => console.protocol).sort();
  }

  it('owns the set of consoles: headless, drift, updates, import, refusals, destroy', async () => {
    const run = await start('none', 41);
    ({ sim, ws } = run);
    client = await run.login();

    // No console block: the VM's consoles are all removed.
    setProtocols(ws, []);
    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    expect(resourceValues(await ws.state(), 'ovirt_vm_graphics_consoles.app')!.id).toBe(vm);
    expect(await consoles(vm)).toEqual([]);
    await expectNoChanges(ws);

    // A console added outside Terraform is drift: planned away and removed.
    const added = await client.post(
      `/vms/${vm}/graphicsconsoles`,
      '<graphics_console><protocol>vnc</protocol></graphics_console>',
    );
    expect(added.status).toBe(201);
    const drift = await plan(ws);
    expect(drift.stdout).toContain('ovirt_vm_graphics_consoles.app will be updated in-place');
    expect(drift.stdout).toMatch(/- console \{\s+- protocol = "vnc"/);
    await apply(ws);
    expect(await consoles(vm)).toEqual([]);

    // In place: both protocols, then VNC only.
    setProtocols(ws, ['spice', 'vnc']);
    await apply(ws);
    expect(await consoles(vm)).toEqual(['spice', 'vnc']);
    await expectNoChanges(ws);
    setProtocols(ws, ['vnc']);
    expect((await plan(ws)).stdout).toContain('ovirt_vm_graphics_consoles.app will be updated in-place');
    await apply(ws);
    expect(await consoles(vm)).toEqual(['vnc']);
    await expectNoChanges(ws);

    // Import by VM id.
    await reimportByVmId(ws, 'ovirt_vm_graphics_consoles.app', vm);
    await expectNoChanges(ws);

    // A protocol the engine does not know: refused at plan time, on the attribute, nothing changed.
    setProtocols(ws, ['rdp']);
    const bad = await ws.terraform('plan', '-no-color');
    expect(bad.code).toBe(1);
    // Terraform cannot point into a dynamic block's set element, so it names the resource.
    expect(flat(bad.stderr)).toContain('with ovirt_vm_graphics_consoles.app,');
    expect(flat(bad.stderr)).toContain('Must be one of "spice", "vnc", got "rdp".');
    expect(await consoles(vm)).toEqual(['vnc']);

    setProtocols(ws, ['vnc']);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
  }, 600_000);
});

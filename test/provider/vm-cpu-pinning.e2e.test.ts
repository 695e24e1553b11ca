/**
 * Manual CPU pinning (`cpu_pinning` on `ovirt_vm`) with the real terraform against the simulator:
 * pins set on create, an empty plan, plan-time refusals naming the attribute (nothing sent), drift
 * put back, import, `{}` clears; then, with `cpu_pinning` unset, `ovirt_vm_optimize_cpu_settings`
 * pins the VM and `ovirt_vm` reads that pinning back without a diff.
 */
import { SEED_IDS } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { flat, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

const HOST = SEED_IDS.hosts[0];

describe('ovirt_vm cpu_pinning end to end (real terraform, simulator)', () => {
  const start = useDay2Env('cpu-pinning');

  it('pins, refuses bad pins at plan time, puts drift back, imports, clears, and leaves auto-pinning alone', async () => {
    const { sim, ws } = await start('none', 47);
    const vars = (values: { pins?: Record<string, string> | null; auto?: boolean }) =>
      ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ host_id: HOST, ...values }) });
    /** The VM's pinning policy and pins in the simulator. */
    const engineView = (vm: string) => {
      const data = sim.control.get('vms', vm)!.data as {
        cpu_pinning_policy?: string;
        cpu?: { cpu_tune?: { vcpu_pins?: { vcpu_pin: { vcpu: unknown; cpu_set: unknown }[] } } };
      };
      const pins = data.cpu?.cpu_tune?.vcpu_pins?.vcpu_pin ?? [];
      return { policy: data.cpu_pinning_policy, pins: pins.map((pin) => `${pin.vcpu}#${pin.cpu_set}`) };
    };
    const pinning = async (w: Workspace) => resourceValues(await w.state(), 'ovirt_vm.app')!.cpu_pinning;

    vars({ pins: { '0': '2', '1': '0-3,^2' } });
    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    expect(await pinning(ws)).toEqual({ '0': '2', '1': '0-3,^2' });
    expect(engineView(vm)).toEqual({ policy: 'manual', pins: ['0#2', '1#0-3,^2'] });
    await expectNoChanges(ws);

    // Refused at plan time, on the attribute, before anything is sent.
    vars({ pins: { '0': '1', '2': '0' } });
    const noVcpu = await ws.terraform('plan', '-no-color');
    expect(noVcpu.code).toBe(1);
    expect(flat(noVcpu.stderr)).toContain('No Such vCPU');
    expect(flat(noVcpu.stderr)).toContain('cpu_pinning pins vCPU 2, but the VM has 2 vCPUs');
    vars({ pins: { '0': '1-', x: '1', '1': '1,^1' } });
    const badSyntax = flat((await ws.terraform('plan', '-no-color')).stderr);
    expect(badSyntax).toContain('cpu_pinning["0"] = "1-" is not a host CPU list');
    expect(badSyntax).toContain('cpu_pinning key "x" is not a vCPU index');
    expect(badSyntax).toContain('cpu_pinning["1"] = "1,^1" leaves no host CPU');
    expect(badSyntax).toContain('cpu_pinning = var.pins');
    expect(engineView(vm).pins).toEqual(['0#2', '1#0-3,^2']);

    // Drift made behind Terraform's back is planned away and put back.
    vars({ pins: { '0': '2', '1': '0-3,^2' } });
    sim.control.mutate('vms', vm, { cpu: { cpu_tune: { vcpu_pins: { vcpu_pin: [{ vcpu: '0', cpu_set: '5' }] } } } });
    const drift = await plan(ws);
    expect(drift.code).toBe(2);
    expect(flat(drift.stdout)).toContain('cpu_pinning');
    await apply(ws);
    expect(engineView(vm).pins).toEqual(['0#2', '1#0-3,^2']);

    // Import reads the pins back.
    expectOk(await ws.terraform('state', 'rm', 'ovirt_vm.app'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_vm.app', vm));
    expect(await pinning(ws)).toEqual({ '0': '2', '1': '0-3,^2' });
    await expectNoChanges(ws);

    // An empty map clears the pinning.
    vars({ pins: {} });
    await apply(ws);
    expect(engineView(vm)).toEqual({ policy: 'none', pins: [] });
    await expectNoChanges(ws);

    // Unset, the attribute is not managed: auto-pinning sets the pins and ovirt_vm reads them without a diff.
    vars({ pins: null, auto: true });
    await apply(ws);
    expect(engineView(vm)).toEqual({ policy: 'manual', pins: ['0#0', '1#1'] });
    await expectNoChanges(ws);
    await apply(ws, '-refresh-only');
    expect(await pinning(ws)).toEqual({ '0': '0', '1': '1' });

    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
  }, 600_000);
});

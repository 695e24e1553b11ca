/**
 * `ovirt_vm_optimize_cpu_settings` end to end with the real terraform against the simulator: apply
 * pins the VM's vCPUs, an empty plan, import by VM id (a bad id refused), destroy clears the pinning.
 */
import { expectOk, resourceValues } from '../support/terraform';
import { reimportByVmId, useDay2Env } from './day2-support';
import { apply, expectNoChanges } from './stack-flow';

describe('ovirt_vm_optimize_cpu_settings end to end (real terraform, simulator)', () => {
  const start = useDay2Env('optimize-cpu-settings');

  it('pins the vCPUs, imports by VM id and clears the pinning on destroy', async () => {
    const { sim, ws, login } = await start('none', 43);
    const client = await login();

    /** The VM's pinning policy and vCPU pins as the engine reports them (JSON numbers are strings). */
    const pinning = async (vm: string) => {
      const answer = await client.get(`/vms/${vm}`, { json: true });
      expect(answer.status).toBe(200);
      const cpu = answer.doc.cpu as { cpu_tune?: { vcpu_pins?: { vcpu_pin: unknown[] } } };
      return { policy: answer.doc.cpu_pinning_policy, pins: cpu.cpu_tune?.vcpu_pins?.vcpu_pin ?? [] };
    };

    await apply(ws);
    const vm = String(resourceValues(await ws.state(), 'ovirt_vm.app')!.id);
    const values = resourceValues(await ws.state(), 'ovirt_vm_optimize_cpu_settings.app')!;
    expect(values).toMatchObject({ id: vm, vm_id: vm, cpu_pinning_policy: 'manual', cpu_pinning: '0#0_1#1' });
    expect(await pinning(vm)).toEqual({
      policy: 'manual',
      pins: [
        { vcpu: '0', cpu_set: '0' },
        { vcpu: '1', cpu_set: '1' },
      ],
    });
    await expectNoChanges(ws);

    // Import by VM id.
    await reimportByVmId(ws, 'ovirt_vm_optimize_cpu_settings.app', vm);
    expect(resourceValues(await ws.state(), 'ovirt_vm_optimize_cpu_settings.app')).toMatchObject({
      vm_id: vm,
      cpu_pinning: '0#0_1#1',
    });
    await expectNoChanges(ws);

    // Destroying only the pinning clears it on the VM.
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color', '-target=ovirt_vm_optimize_cpu_settings.app'));
    expect(await pinning(vm)).toEqual({ policy: 'none', pins: [] });
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('vms', vm)).toBeUndefined();
  }, 600_000);
});

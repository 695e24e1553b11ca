/**
 * examples/hcl, the single VM in plain HCL, works with the real provider: `terraform validate`,
 * then apply and destroy against the engine simulator, leaving nothing behind.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_IDS } from '../../src/engine-sim';
import { inventory, Rig, startRig, tf } from './e2e-support';

describe('examples/hcl', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('validates, applies and destroys against the simulator', async () => {
    const dir = join(rig.ws.root, 'hcl');
    mkdirSync(dir);
    copyFileSync(join(__dirname, '..', '..', 'examples', 'hcl', 'main.tf'), join(dir, 'main.tf'));
    const vars = [
      '-var',
      `cluster_id=${SEED_IDS.cluster}`,
      '-var',
      `storage_domain_id=${SEED_IDS.nfsDomain}`,
      '-var',
      `vnic_profile_id=${SEED_IDS.vnicProfile}`,
    ];
    const before = inventory(rig.sim);
    await tf(rig, dir, 'init', '-input=false');
    await tf(rig, dir, 'validate');
    await tf(rig, dir, 'apply', '-auto-approve', '-input=false', ...vars);
    const vm = rig.sim.control.list('vms').find((v) => v.data['name'] === 'web-1');
    expect(vm?.data['status']).toBe('up');
    const out = JSON.parse((await tf(rig, dir, 'output', '-json')).stdout) as Record<string, { value: string }>;
    expect(out['vm_id']!.value).toBe(vm!.id);
    // The MAC the engine assigned to the VM's NIC, exactly.
    const nic = rig.sim.control.list('nics').find((n) => n.parent === vm!.id);
    expect(out['vm_mac']!.value).toBe((nic!.data['mac'] as { address: string }).address);
    await tf(rig, dir, 'destroy', '-auto-approve', '-input=false', ...vars);
    expect(inventory(rig.sim)).toEqual(before);
  });
});

/**
 * One VM: 2 vCPUs, 4 GiB, a 20 GiB disk and a NIC, started, with its id and MAC as outputs.
 * Synthesize with `cdktf synth` (cdktf.json at the repository root points here) or
 * `npx ts-node examples/single-vm/main.ts`.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { OvirtVm } from '../../constructs';
import { exampleApp, exampleBackend, exampleProvider } from '../shared';

/** The example's stack. */
export function singleVmStack(app = exampleApp()): TerraformStack {
  const stack = new TerraformStack(app, 'single-vm');
  exampleBackend(stack);
  exampleProvider(stack);
  const vm = new OvirtVm(stack, 'web', {
    name: 'web-1',
    cluster: { name: process.env.OVIRT_CLUSTER ?? 'Default' },
    cpus: 2,
    memory: '4GiB',
    disks: [{ size: '20GiB', storageDomain: { name: process.env.OVIRT_STORAGE_DOMAIN ?? 'data-nfs' } }],
    nics: [{ name: 'nic1', vnicProfile: { network: process.env.OVIRT_NETWORK ?? 'ovirtmgmt' } }],
  });
  new TerraformOutput(stack, 'vm_id', { value: vm.id, staticId: true });
  new TerraformOutput(stack, 'vm_mac', { value: vm.macs[0], staticId: true });
  return stack;
}

if (require.main === module) {
  const app = exampleApp();
  singleVmStack(app);
  app.synth();
}

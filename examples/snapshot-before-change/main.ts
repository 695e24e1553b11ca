/**
 * A snapshot before a change: one VM from the template whose disks grow to `APP_DISK_SIZE`
 * (default 40GiB), with a snapshot taken first. The snapshot's description names the change, so a
 * new size takes a new snapshot (the previous one is merged away), and the disks grow only once that
 * snapshot is `ok`: the resize depends on it. Should the change go wrong, an `ovirt_snapshot_restore`
 * of the snapshot id (output `snapshot_id`) puts the VM back.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { OvirtVm, l1, parseSize } from '../../constructs';
import { exampleApp, exampleBackend, exampleProvider } from '../shared';

/** The example's stack; `diskSize` is the change (the size every disk of the VM grows to). */
export function snapshotBeforeChangeStack(
  app = exampleApp(),
  diskSize = process.env.APP_DISK_SIZE ?? '40GiB',
): TerraformStack {
  const stack = new TerraformStack(app, 'snapshot-before-change');
  exampleBackend(stack);
  exampleProvider(stack);
  const vm = new OvirtVm(stack, 'app', {
    name: 'app-1',
    cluster: { name: process.env.OVIRT_CLUSTER ?? 'Default' },
    template: { name: process.env.OVIRT_TEMPLATE ?? 'rhcos-template' },
    cpus: 2,
    memory: '4GiB',
    snapshots: [{ description: `before growing the disks to ${diskSize}` }],
  });
  new l1.vmDisksResize.VmDisksResize(stack, 'grow-disks', {
    vmId: vm.id,
    size: parseSize(diskSize, 'APP_DISK_SIZE'),
    dependsOn: vm.snapshotResources,
  });
  new TerraformOutput(stack, 'vm_id', { value: vm.id, staticId: true });
  new TerraformOutput(stack, 'snapshot_id', { value: vm.snapshotResources[0]!.snapshotId, staticId: true });
  return stack;
}

if (require.main === module) {
  const app = exampleApp();
  snapshotBeforeChangeStack(app);
  app.synth();
}

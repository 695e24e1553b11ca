/**
 * examples/snapshot-before-change end to end: synthesized, the disk resize depends on the snapshot;
 * applied with the real terraform against the simulator, the snapshot holds the disk as it was
 * before the change (16 GiB) and the disk then grows; a new size takes a new snapshot (of the 40 GiB
 * disk) before growing again; destroy leaves nothing behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleApp } from '../../examples/shared';
import { snapshotBeforeChangeStack } from '../../examples/snapshot-before-change/main';
import { inventory, Rig, startRig, tf } from './e2e-support';

const GiB = 1024 ** 3;

describe('examples/snapshot-before-change', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  /** Synthesizes the stack for `size` into the workspace; returns its folder and its JSON. */
  const synth = (size: string) => {
    const app = exampleApp(join(rig!.ws.root, 'cdktf.out'));
    snapshotBeforeChangeStack(app, size);
    app.synth();
    const dir = join(rig!.ws.root, 'cdktf.out', 'stacks', 'snapshot-before-change');
    const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { depends_on?: string[]; size?: number }>>;
    };
    return { dir, json };
  };

  it('takes the snapshot, then grows the disks; a new size takes a new snapshot first', async () => {
    rig = await startRig();
    const before = inventory(rig.sim);
    const { dir, json } = synth('40GiB');
    const [snapshotName] = Object.keys(json.resource.ovirt_snapshot!);
    const [grow] = Object.values(json.resource.ovirt_vm_disks_resize!);
    expect(grow!.depends_on).toEqual([`ovirt_snapshot.${snapshotName}`]);
    expect(grow!.size).toBe(40 * GiB);

    await tf(rig, dir, 'init', '-input=false');
    await tf(rig, dir, 'apply', '-auto-approve', '-input=false');
    const vm = rig.sim.control.list('vms').find((v) => v.data.name === 'app-1')!;
    /** Each snapshot of the VM but the active one: description -> the sizes of the disks it holds. */
    const snapshots = () =>
      Object.fromEntries(
        rig!.sim.control
          .list('snapshots')
          .filter((snap) => snap.parent === vm.id && snap.data.snapshot_type !== 'active')
          .map((snap) => [
            snap.data.description,
            ((snap.meta.disks ?? []) as { provisioned_size: number }[]).map((disk) => disk.provisioned_size),
          ]),
      );
    const diskSizes = () =>
      rig!.sim.control
        .list('diskattachments')
        .filter((att) => att.parent === vm.id)
        .map((att) => rig!.sim.control.get('disks', att.id)!.data.provisioned_size);
    expect(snapshots()).toEqual({ 'before growing the disks to 40GiB': [16 * GiB] });
    expect(diskSizes()).toEqual([40 * GiB]);

    synth('48GiB');
    await tf(rig, dir, 'apply', '-auto-approve', '-input=false');
    expect(snapshots()).toEqual({ 'before growing the disks to 48GiB': [40 * GiB] });
    expect(diskSizes()).toEqual([48 * GiB]);

    await tf(rig, dir, 'destroy', '-auto-approve', '-input=false');
    expect(inventory(rig.sim)).toEqual(before);
  }, 600_000);
});

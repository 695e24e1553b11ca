/** `/vms/{id}/snapshots`: take (locked -> ok), list, remove (waits out the merge), restore. */
import { snapshotDiskSchema, snapshotSchema, type Snapshot, type SnapshotDisk } from '../models/snapshot';
import type { SnapshotId, VmId } from '../ids';
import { OvirtError } from '../errors';
import type { RequestOptions, WaitOptions } from '../request-options';
import { waitFor } from '../wait';
import { ChildCollection, type Api } from './base';

const vmPath = (vm: VmId) => `/vms/${encodeURIComponent(vm)}`;

/** What to snapshot: a description, the memory of a running VM, and optionally only some disks. */
export interface SnapshotCreateSpec {
  description: string;
  persistMemory?: boolean;
  /** Disk ids; all the VM's disks when absent. */
  diskIds?: string[];
}

/** A VM's snapshots. */
export class SnapshotsService extends ChildCollection<typeof snapshotSchema, VmId, SnapshotId> {
  constructor(api: Api) {
    super(api, (vm) => ({
      path: `${vmPath(vm)}/snapshots`,
      plural: 'snapshots',
      element: 'snapshot',
      schema: snapshotSchema,
      searchable: false,
    }));
  }

  /**
   * Takes a snapshot. After an ambiguous failure it looks for a snapshot with the same description
   * taken since, instead of taking a second one.
   */
  create(vm: VmId, spec: SnapshotCreateSpec, opts?: RequestOptions): Promise<Snapshot> {
    const body = {
      description: spec.description,
      persist_memorystate: spec.persistMemory,
      disk_attachments: spec.diskIds && { disk_attachment: spec.diskIds.map((id) => ({ disk: { id } })) },
    };
    return this.api.create(this.shape(vm), body, opts, undefined, async () =>
      (await this.list(vm, opts)).find((s) => s.description === spec.description && s.snapshot_type === 'regular'),
    );
  }

  /** The disks a snapshot holds. */
  disks(vm: VmId, id: SnapshotId, opts?: RequestOptions): Promise<SnapshotDisk[]> {
    return this.api.list(
      {
        path: `${this.itemPath(vm, id)}/disks`,
        plural: 'disks',
        element: 'disk',
        schema: snapshotDiskSchema,
        searchable: false,
      },
      opts,
    );
  }

  /** Polls until the snapshot is `ok` (taken, or a restore finished with it). */
  waitReady(vm: VmId, id: SnapshotId, opts?: WaitOptions): Promise<Snapshot> {
    return waitFor(
      `snapshot ${id} of VM ${vm} to be ok`,
      (o) => this.get(vm, id, o),
      (s) => s.snapshot_status === 'ok',
      opts,
      (s) => `status ${s.snapshot_status}`,
    );
  }

  /** Polls until the snapshot is gone (its volumes merged after a remove). */
  async waitGone(vm: VmId, id: SnapshotId, opts?: WaitOptions): Promise<void> {
    await waitFor(
      `snapshot ${id} of VM ${vm} to be merged and gone`,
      async (readOpts) => {
        try {
          return await this.get(vm, id, readOpts);
        } catch (err) {
          if (OvirtError.is(err, 'not_found')) return undefined;
          throw err;
        }
      },
      (s) => s === undefined,
      opts,
      (s) => `status ${s?.snapshot_status}`,
    );
  }

  /** Restores the VM (which must be down) to the snapshot; later snapshots are dropped by the engine. */
  async restore(vm: VmId, id: SnapshotId, opts?: RequestOptions & { restoreMemory?: boolean }): Promise<void> {
    await this.api.action(
      `${this.itemPath(vm, id)}/restore`,
      { restore_memory: opts?.restoreMemory },
      'unexecuted',
      opts,
    );
  }
}

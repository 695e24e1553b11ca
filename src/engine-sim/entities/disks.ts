/** Disks: create (locked -> ok), grow-only resize, format/sparse rules, remove. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, bool, list, num, str, sub } from '../store/repr';
import { Ctx, Reply, badValue, one, many, searched, actionDone } from '../engine/handler';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';

const BLOCK = new Set(['iscsi', 'fcp']);

/** What a new disk is made from. */
export interface DiskSpec {
  alias: string;
  size: number;
  format: string;
  sparse?: boolean;
  domainId: string;
  description?: string;
  bootable?: boolean;
  shareable?: boolean;
  wipe?: boolean;
}

/** Checks format, sparseness and storage type; `action` and `type` fill the engine's text. */
export function checkDiskConfig(sim: Sim, spec: DiskSpec, action: string, type: string): void {
  if (spec.format !== 'cow' && spec.format !== 'raw') {
    throw new EngineFault(
      400,
      'Invalid Enum value',
      `${spec.format} is not a member of DiskFormat. Possible values for DiskFormat are: cow, raw`,
    );
  }
  const sd = sim.must('storagedomains', spec.domainId);
  const sparse = spec.sparse ?? spec.format === 'cow';
  if (BLOCK.has(str(sd.data, 'storage.type') ?? '') && spec.format === 'raw' && sparse) {
    throw opFailed(
      400,
      `Cannot ${action} ${type}. Disk configuration (RAW Sparse) is incompatible with the storage domain type.`,
    );
  }
}

/** Creates a disk in status `locked` that turns `ok` after the disk delay; `done` runs then. */
export function createDisk(sim: Sim, spec: DiskSpec, done?: () => void): Entity {
  const id = sim.newId();
  const sparse = spec.sparse ?? spec.format === 'cow';
  const disk: Entity = {
    kind: 'disks',
    id,
    meta: {},
    data: {
      name: spec.alias,
      description: spec.description ?? '',
      actual_size: sparse ? 0 : spec.size,
      alias: spec.alias,
      backup: 'none',
      content_type: 'data',
      format: spec.format,
      image_id: sim.newId(),
      propagate_errors: false,
      provisioned_size: spec.size,
      qcow_version: spec.format === 'cow' ? 'qcow2_v3' : undefined,
      shareable: spec.shareable ?? false,
      sparse,
      status: 'locked',
      storage_type: 'image',
      total_size: sparse ? 0 : spec.size,
      wipe_after_delete: spec.wipe ?? false,
      quota: { id: '5a1e0000-0000-4000-8000-00000000a001' },
      storage_domains: { storage_domain: [ref('storagedomains', spec.domainId)] },
    },
  };
  if (disk.data.qcow_version === undefined) delete disk.data.qcow_version;
  sim.store.put(disk);
  const gen = sim.setStatus(disk, 'locked');
  sim.later(disk, gen, sim.delays.diskLock, () => {
    disk.data.status = 'ok';
    done?.();
  });
  return disk;
}

/** The spec of a disk given in a request body (`<disk>`), for POST /disks and attachments. */
export function diskSpecFrom(sim: Sim, tree: Tree, type = 'Disk'): DiskSpec {
  const format = str(tree, 'format');
  if (!format) throw incomplete(type, 'format');
  const size = num(tree, 'provisioned_size');
  if (size === undefined) throw incomplete(type, 'provisioned_size');
  if (size <= 0) throw badValue(`provisioned_size must be positive, got ${size}`);
  const domains = list(tree, 'storage_domains.storage_domain');
  const sd = sim.resolve('storagedomains', domains[0] ?? sub(tree, 'storage_domain'));
  if (!sd) throw incomplete(type, 'storageDomain');
  return {
    alias: str(tree, 'alias') ?? str(tree, 'name') ?? `disk-${sim.rng.hex(6)}`,
    size,
    format,
    sparse: bool(tree, 'sparse'),
    domainId: sd.id,
    description: str(tree, 'description'),
    shareable: bool(tree, 'shareable'),
    wipe: bool(tree, 'wipe_after_delete'),
  };
}

/** The VM a disk is attached to, if any. */
export function attachedVm(sim: Sim, diskId: string): Entity | undefined {
  const att = sim.store.list('diskattachments').find((a) => a.id === diskId && a.meta.owner !== 'templates');
  return att ? sim.store.get('vms', att.parent as string) : undefined;
}

/** Applies a disk update (`provisioned_size` grow only, alias, description...). */
export function updateDisk(sim: Sim, disk: Entity, patch: Tree, correlationId?: string): void {
  sim.assertUnlocked(disk, 'edit');
  const size = num(patch, 'provisioned_size');
  const cur = num(disk.data, 'provisioned_size') ?? 0;
  if (size !== undefined && size < cur) {
    throw opFailed(400, 'Cannot edit Virtual Disk. New disk size must be larger than the current disk size.');
  }
  for (const k of ['alias', 'name', 'description', 'wipe_after_delete', 'shareable', 'backup', 'propagate_errors']) {
    const value = str(patch, k);
    if (value !== undefined) disk.data[k] = value;
  }
  if (size === undefined || size === cur) return;
  disk.data.provisioned_size = size;
  const job = sim.startJob(`Extending disk ${str(disk.data, 'alias')}`, correlationId);
  const gen = sim.setStatus(disk, 'locked');
  sim.later(disk, gen, sim.delays.diskLock, () => {
    disk.data.status = 'ok';
    job.finish();
  });
}

export function addDisk(ctx: Ctx): Reply {
  const spec = diskSpecFrom(ctx.sim, ctx.body);
  checkDiskConfig(ctx.sim, spec, 'add', 'Virtual Disk');
  const job = ctx.sim.startJob(`Adding Disk ${spec.alias}`, ctx.correlationId);
  const disk = createDisk(ctx.sim, spec, () => job.finish());
  // A qcow2 upload may need more room than the virtual size; the engine sizes the volume from it.
  const initial = num(ctx.body, 'initial_size');
  if (initial !== undefined && initial > 0) disk.meta.initialSize = initial;
  return { ...one(disk, 201), location: disk.id };
}

export function removeDisk(ctx: Ctx): Reply {
  const disk = ctx.sim.must('disks', ctx.params.id);
  if (disk.meta.template) throw opFailed(409, 'Cannot remove Virtual Disk. The disk is used by a Template.');
  if (ctx.sim.locked.has(disk.id) || str(disk.data, 'status') === 'locked') {
    throw opFailed(409, 'Cannot remove Virtual Disk: Disk is locked. Please try again later.');
  }
  const vm = attachedVm(ctx.sim, disk.id);
  if (vm && str(vm.data, 'status') !== 'down') throw opFailed(409, 'Cannot remove Virtual Disk. VM is running.');
  if (vm) ctx.sim.store.remove('diskattachments', disk.id, vm.id);
  ctx.sim.store.remove('disks', disk.id);
  ctx.sim.images.drop(disk.id);
  ctx.sim.onChange();
  return actionDone();
}

/** `GET /disks`. */
export function listDisks(ctx: Ctx): Reply {
  return many('disks', searched(ctx, ctx.sim.store.list('disks')));
}

/** `GET /disks/{id}`. */
export function getDisk(ctx: Ctx): Reply {
  return one(ctx.sim.must('disks', ctx.params.id));
}

/** `PUT /disks/{id}`. */
export function putDisk(ctx: Ctx): Reply {
  const disk = ctx.sim.must('disks', ctx.params.id);
  updateDisk(ctx.sim, disk, ctx.body, ctx.correlationId);
  return one(disk);
}

/** `GET /storagedomains/{id}/disks`. */
export function listStoragedomainsDisks(ctx: Ctx): Reply {
  ctx.sim.must('storagedomains', ctx.params.id);
  const on = ctx.sim.store
    .list('disks')
    .filter((d) => list(d.data, 'storage_domains.storage_domain').some((s) => s.id === ctx.params.id));
  return many('disks', searched(ctx, on));
}

/** `GET /storagedomains/{sd}/disks/{id}`. */
export function getStoragedomainsDisks(ctx: Ctx): Reply {
  return one(ctx.sim.must('disks', ctx.params.id));
}

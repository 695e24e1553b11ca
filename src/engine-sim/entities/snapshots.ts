/**
 * VM snapshots: the `active` snapshot every VM has, regular snapshots (with or without memory, of a
 * subset of disks) that lock while taken and while merged on removal, and restore.
 */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, bool, clone, list, str } from '../store/repr';
import { Ctx, Reply, actionDone, many, one } from '../engine/handler';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';

/** VM fields a snapshot does not keep (run-time state). */
const RUNTIME = [
  'status',
  'host',
  'start_time',
  'stop_time',
  'display',
  'fqdn',
  'guest_operating_system',
  'guest_time_zone',
  'run_once',
  'next_run_configuration_exists',
];

/** The VM's `active` snapshot, made on first sight so every VM has one. */
export function activeSnapshot(sim: Sim, vm: Entity): Entity {
  const found = sim.store.list('snapshots', vm.id).find((s) => s.data.snapshot_type === 'active');
  if (found) return found;
  return sim.store.put({
    kind: 'snapshots',
    id: sim.newId(),
    parent: vm.id,
    meta: {},
    data: {
      description: 'Active VM',
      date: str(vm.data, 'creation_time') ?? sim.nowIso(),
      persist_memorystate: false,
      snapshot_status: 'ok',
      snapshot_type: 'active',
      vm: ref('vms', vm.id),
    },
  });
}

/** Snapshots of a VM, oldest first, the active one last (as the engine lists them). */
export function snapshotsOf(sim: Sim, vm: Entity): Entity[] {
  const active = activeSnapshot(sim, vm);
  return [...sim.store.list('snapshots', vm.id).filter((s) => s !== active), active];
}

/** Disks a regular snapshot holds: copies of the VM's disks as they were. */
function snapshotDisks(snapshot: Entity): Tree[] {
  return (snapshot.meta.disks as Tree[] | undefined) ?? [];
}

function anyLocked(sim: Sim, vm: Entity): Entity | undefined {
  return sim.store.list('snapshots', vm.id).find((s) => s.data.snapshot_status === 'locked');
}

export function addSnapshot(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const description = str(ctx.body, 'description');
  if (!description) throw incomplete('Snapshot', 'description');
  const status = str(vm.data, 'status');
  if (ctx.sim.locked.has(vm.id) || status === 'image_locked' || status === 'locked') {
    throw opFailed(409, 'Cannot create Snapshot: VM is locked. Please try again in a few minutes.');
  }
  if (anyLocked(ctx.sim, vm))
    throw opFailed(409, `Cannot create Snapshot. Snapshot is currently being created for VM ${str(vm.data, 'name')}.`);
  const atts = ctx.sim.store.list('diskattachments', vm.id);
  const wanted = list(ctx.body, 'disk_attachments.disk_attachment').map((a) => str(a, 'disk.id') ?? str(a, 'id') ?? '');
  const unknown = wanted.filter((id) => !atts.some((a) => a.id === id));
  if (unknown.length) {
    throw opFailed(
      400,
      `Cannot create Snapshot. The following disks are either unplugged or unattached: \n ${unknown.join(', ')}`,
    );
  }
  const chosen = wanted.length ? atts.filter((a) => wanted.includes(a.id)) : atts;
  const disks = chosen.map((a) => ctx.sim.must('disks', a.id));
  const busy = disks.find((d) => str(d.data, 'status') === 'locked' || ctx.sim.locked.has(d.id));
  if (busy) throw opFailed(409, `Cannot create Snapshot: Disk is locked. Please try again later.`);
  const memory = bool(ctx.body, 'persist_memorystate') === true && status === 'up';
  const snap: Entity = ctx.sim.store.put({
    kind: 'snapshots',
    id: ctx.sim.newId(),
    parent: vm.id,
    data: {
      description,
      date: ctx.sim.nowIso(),
      persist_memorystate: memory,
      snapshot_status: 'locked',
      snapshot_type: 'regular',
      vm: ref('vms', vm.id),
    },
    meta: {},
  });
  const config = clone(vm.data);
  for (const k of RUNTIME) delete config[k];
  snap.meta.config = config;
  snap.meta.disks = disks.map((disk) => ({
    ...clone(disk.data),
    id: disk.id,
    image_id: ctx.sim.newId(),
    snapshot: { id: snap.id },
  }));
  const job = ctx.sim.startJob(`Creating VM Snapshot ${description} for VM ${str(vm.data, 'name')}`, ctx.correlationId);
  const gens = disks.map((d) => [d, ctx.sim.setStatus(d, 'locked')] as const);
  const gen = ctx.sim.setStatus(snap, 'locked');
  snap.data.snapshot_status = 'locked';
  delete snap.data.status;
  ctx.sim.later(snap, gen, ctx.sim.delays.diskLock, () => {
    snap.data.snapshot_status = 'ok';
    for (const [d, g] of gens) if (d.meta.gen === g) d.data.status = 'ok';
    job.finish();
  });
  ctx.sim.onChange();
  return { ...one(snap, 201), location: `${vm.id}/snapshots/${snap.id}` };
}

export function removeSnapshot(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const snap = ctx.sim.must('snapshots', ctx.params.id, vm.id);
  if (snap.data.snapshot_type !== 'regular')
    throw opFailed(409, 'Cannot remove Snapshot. The operation is only allowed for regular snapshots.');
  if (snap.data.snapshot_status === 'locked') {
    throw opFailed(409, `Cannot remove Snapshot. Snapshot is currently being created for VM ${str(vm.data, 'name')}.`);
  }
  const job = ctx.sim.startJob(
    `Removing Snapshot ${str(snap.data, 'description')} of VM ${str(vm.data, 'name')}`,
    ctx.correlationId,
  );
  // The merge: the snapshot stays locked until its volumes are merged into the VM's disks.
  const gen = ctx.sim.setStatus(snap, 'locked');
  delete snap.data.status;
  snap.data.snapshot_status = 'locked';
  ctx.sim.later(snap, gen, ctx.sim.delays.diskLock, () => {
    ctx.sim.store.remove('snapshots', snap.id, vm.id);
    job.finish();
  });
  return actionDone();
}

export function restoreSnapshot(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const snap = ctx.sim.store.get('snapshots', ctx.params.id, vm.id);
  if (!snap) throw opFailed(400, "Cannot revert to Snapshot. VM's Snapshot does not exist.");
  if (snap.data.snapshot_type !== 'regular')
    throw opFailed(409, 'Cannot revert to Snapshot. The operation is only allowed for regular snapshots.');
  ctx.sim.assertUnlocked(vm, 'revert to');
  if (snap.data.snapshot_status === 'locked')
    throw opFailed(
      409,
      'Cannot revert to Snapshot. The VM is performing an operation on a Snapshot. Please wait for the operation to finish, and try again.',
    );
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, 'Cannot revert to Snapshot. VM is running.');
  if (vm.meta.preview) throw opFailed(409, 'Cannot revert to Snapshot. VM is previewing a Snapshot.');
  applySaved(
    ctx,
    vm,
    snap.meta.config as Tree,
    sizesOf(snap),
    `Restoring VM Snapshot ${str(snap.data, 'description')}`,
  );
  dropAfter(ctx.sim, vm, snap);
  return actionDone({ vm: ref('vms', vm.id) });
}

/** The VM's configuration and disk sizes now, kept to undo a preview. */
function current(sim: Sim, vm: Entity): { config: Tree; sizes: Record<string, unknown> } {
  const config = clone(vm.data);
  for (const k of RUNTIME) delete config[k];
  const sizes = Object.fromEntries(
    sim.store.list('diskattachments', vm.id).map((a) => [a.id, sim.store.get('disks', a.id)?.data.provisioned_size]),
  );
  return { config, sizes };
}

/** Puts a saved configuration and disk sizes on a down VM (image_locked for the copy). */
function applySaved(ctx: Ctx, vm: Entity, config: Tree, sizes: Record<string, unknown>, what: string): void {
  const job = ctx.sim.startJob(`${what} of VM ${str(vm.data, 'name')}`, ctx.correlationId);
  const keep: Tree = {};
  for (const k of RUNTIME) keep[k] = vm.data[k];
  vm.data = { ...clone(config), ...keep };
  for (const [id, size] of Object.entries(sizes)) {
    const disk = ctx.sim.store.get('disks', id);
    if (disk && size !== undefined) disk.data.provisioned_size = size as number;
  }
  const gen = ctx.sim.setStatus(vm, 'image_locked');
  ctx.sim.later(vm, gen, ctx.sim.delays.vmImageLocked, () => {
    vm.data.status = 'down';
    job.finish();
  });
}

const NOT_PREVIEWED =
  'Cannot revert to Snapshot to a Snapshot that is not being previewed. Please select the correct Snapshot to restore to: Either the one being previewed, or the one before the preview.';

export function previewSnapshot(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  const id = str(ctx.body, 'snapshot.id');
  if (!id) throw incomplete('Action', 'snapshot.id', 'previewSnapshot');
  ctx.sim.assertUnlocked(vm, 'preview');
  if (vm.meta.preview) throw opFailed(409, 'Cannot preview Snapshot. VM is previewing a Snapshot.');
  const snap = ctx.sim.store.get('snapshots', id, vm.id);
  if (!snap || snap.data.snapshot_type !== 'regular')
    throw opFailed(400, "Cannot preview Snapshot. VM's Snapshot does not exist.");
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, 'Cannot preview Snapshot. VM is running.');
  vm.meta.preview = { snapshot: snap.id, ...current(ctx.sim, vm) };
  snap.data.snapshot_status = 'in_preview';
  applySaved(ctx, vm, snap.meta.config as Tree, sizesOf(snap), `Previewing Snapshot ${str(snap.data, 'description')}`);
  return actionDone({ vm: ref('vms', vm.id) });
}

function endPreview(ctx: Ctx, commit: boolean): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  const saved = vm.meta.preview as { snapshot: string; config: Tree; sizes: Record<string, unknown> } | undefined;
  if (!saved) throw opFailed(409, NOT_PREVIEWED);
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, `Cannot revert to Snapshot. VM is running.`);
  const snap = ctx.sim.store.get('snapshots', saved.snapshot, vm.id);
  delete vm.meta.preview;
  if (snap) snap.data.snapshot_status = 'ok';
  if (commit && snap) dropAfter(ctx.sim, vm, snap);
  if (!commit) applySaved(ctx, vm, saved.config, saved.sizes, 'Undoing the snapshot preview');
  ctx.sim.onChange();
  return actionDone({ vm: ref('vms', vm.id) });
}

/** Committing a snapshot drops the ones taken after it. */
function dropAfter(sim: Sim, vm: Entity, snap: Entity): void {
  const all = sim.store.list('snapshots', vm.id).filter((s) => s.data.snapshot_type === 'regular');
  for (const s of all.slice(all.indexOf(snap) + 1)) sim.store.remove('snapshots', s.id, vm.id);
}

function sizesOf(snap: Entity): Record<string, unknown> {
  return Object.fromEntries(snapshotDisks(snap).map((d) => [String(d.id), d.provisioned_size]));
}

/** A snapshot's saved configuration and disks, for a VM made from it. */
export function snapshotSource(sim: Sim, id: string): { snap: Entity; config: Tree; disks: Tree[] } {
  const snap = sim.store.list('snapshots').find((s) => s.id === id);
  if (!snap) throw opFailed(400, "Cannot add VM. VM's Snapshot does not exist.");
  if (snap.data.snapshot_status === 'locked')
    throw opFailed(
      409,
      'Cannot add VM. The VM is performing an operation on a Snapshot. Please wait for the operation to finish, and try again.',
    );
  const vm = sim.must('vms', snap.parent as string);
  const config = (snap.meta.config as Tree | undefined) ?? clone(vm.data);
  const disks =
    snap.data.snapshot_type === 'regular'
      ? snapshotDisks(snap)
      : sim.store.list('diskattachments', vm.id).map((a) => ({ ...clone(sim.must('disks', a.id).data), id: a.id }));
  return { snap, config, disks };
}

function mustVmSnap(sim: Sim, vmId: string, snapshotId: string): Entity {
  const vm = sim.must('vms', vmId);
  snapshotsOf(sim, vm);
  return sim.must('snapshots', snapshotId, vm.id);
}

/** `GET /vms/{vm}/snapshots`. */
export function listVmsSnapshots(ctx: Ctx): Reply {
  return many('snapshots', snapshotsOf(ctx.sim, ctx.sim.must('vms', ctx.params.vm)));
}

/** `GET /vms/{vm}/snapshots/{id}`. */
export function getVmsSnapshots(ctx: Ctx): Reply {
  return one(mustVmSnap(ctx.sim, ctx.params.vm, ctx.params.id));
}

/** `POST /vms/{id}/commitsnapshot`. */
export function commitSnapshot(ctx: Ctx): Reply {
  return endPreview(ctx, true);
}

/** `POST /vms/{id}/undosnapshot`. */
export function undoSnapshot(ctx: Ctx): Reply {
  return endPreview(ctx, false);
}

/** `GET /vms/{vm}/snapshots/{id}/disks`. */
export function listVmsSnapshotsDisks(ctx: Ctx): Reply {
  const snapshot = mustVmSnap(ctx.sim, ctx.params.vm, ctx.params.id);
  const disks =
    snapshot.data.snapshot_type === 'regular'
      ? snapshotDisks(snapshot)
      : ctx.sim.store.list('diskattachments', snapshot.parent).map((attachment) => ({
          ...clone(ctx.sim.must('disks', attachment.id).data),
          id: attachment.id,
          snapshot: { id: snapshot.id },
        }));
  return {
    root: 'disks',
    body: {
      disk: disks.map((data) => ({
        ...data,
        href: `/ovirt-engine/api/vms/${snapshot.parent}/snapshots/${snapshot.id}/disks/${String(data.id)}`,
      })),
    },
  };
}

/** `GET /vms/{vm}/snapshots/{s}/disks/{id}`. */
export function getVmsSnapshotsDisks(ctx: Ctx): Reply {
  const snapshot = mustVmSnap(ctx.sim, ctx.params.vm, ctx.params.s);
  const data =
    snapshotDisks(snapshot).find((x) => x.id === ctx.params.id) ??
    (snapshot.data.snapshot_type === 'active' && ctx.sim.store.get('diskattachments', ctx.params.id, snapshot.parent)
      ? {
          ...clone(ctx.sim.must('disks', ctx.params.id).data),
          id: ctx.params.id,
          snapshot: { id: snapshot.id },
        }
      : undefined);
  if (!data) throw new EngineFault(404, '');
  return {
    root: 'disk',
    body: {
      ...data,
      href: `/ovirt-engine/api/vms/${snapshot.parent}/snapshots/${snapshot.id}/disks/${ctx.params.id}`,
    },
  };
}

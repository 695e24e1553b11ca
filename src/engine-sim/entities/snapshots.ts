/**
 * VM snapshots: the `active` snapshot every VM has, regular snapshots (with or without memory, of a
 * subset of disks) that lock while taken and while merged on removal, and restore.
 */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, bool, clone, list, str } from '../store/repr';
import { Ctx, Reply, Route, actionDone, many, one } from '../engine/handler';
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
function snapshotDisks(s: Entity): Tree[] {
  return (s.meta.disks as Tree[] | undefined) ?? [];
}

function anyLocked(sim: Sim, vm: Entity): Entity | undefined {
  return sim.store.list('snapshots', vm.id).find((s) => s.data.snapshot_status === 'locked');
}

function create(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const description = str(c.body, 'description');
  if (!description) throw incomplete('Snapshot', 'description');
  const status = str(vm.data, 'status');
  if (c.sim.locked.has(vm.id) || status === 'image_locked' || status === 'locked') {
    throw opFailed(409, 'Cannot create Snapshot: VM is locked. Please try again in a few minutes.');
  }
  if (anyLocked(c.sim, vm))
    throw opFailed(409, `Cannot create Snapshot. Snapshot is currently being created for VM ${str(vm.data, 'name')}.`);
  const atts = c.sim.store.list('diskattachments', vm.id);
  const wanted = list(c.body, 'disk_attachments.disk_attachment').map((a) => str(a, 'disk.id') ?? str(a, 'id') ?? '');
  const unknown = wanted.filter((id) => !atts.some((a) => a.id === id));
  if (unknown.length) {
    throw opFailed(
      400,
      `Cannot create Snapshot. The following disks are either unplugged or unattached: \n ${unknown.join(', ')}`,
    );
  }
  const chosen = wanted.length ? atts.filter((a) => wanted.includes(a.id)) : atts;
  const disks = chosen.map((a) => c.sim.must('disks', a.id));
  const busy = disks.find((d) => str(d.data, 'status') === 'locked' || c.sim.locked.has(d.id));
  if (busy) throw opFailed(409, `Cannot create Snapshot: Disk is locked. Please try again later.`);
  const memory = bool(c.body, 'persist_memorystate') === true && status === 'up';
  const snap: Entity = c.sim.store.put({
    kind: 'snapshots',
    id: c.sim.newId(),
    parent: vm.id,
    data: {
      description,
      date: c.sim.nowIso(),
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
  snap.meta.disks = disks.map((d) => ({
    ...clone(d.data),
    id: d.id,
    image_id: c.sim.newId(),
    snapshot: { id: snap.id },
  }));
  const job = c.sim.startJob(`Creating VM Snapshot ${description} for VM ${str(vm.data, 'name')}`, c.correlationId);
  const gens = disks.map((d) => [d, c.sim.setStatus(d, 'locked')] as const);
  const gen = c.sim.setStatus(snap, 'locked');
  snap.data.snapshot_status = 'locked';
  delete snap.data.status;
  c.sim.later(snap, gen, c.sim.delays.diskLock, () => {
    snap.data.snapshot_status = 'ok';
    for (const [d, g] of gens) if (d.meta.gen === g) d.data.status = 'ok';
    job.finish();
  });
  c.sim.onChange();
  return { ...one(snap, 201), location: `${vm.id}/snapshots/${snap.id}` };
}

function remove(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const snap = c.sim.must('snapshots', c.params.id, vm.id);
  if (snap.data.snapshot_type !== 'regular')
    throw opFailed(409, 'Cannot remove Snapshot. The operation is only allowed for regular snapshots.');
  if (snap.data.snapshot_status === 'locked') {
    throw opFailed(409, `Cannot remove Snapshot. Snapshot is currently being created for VM ${str(vm.data, 'name')}.`);
  }
  const job = c.sim.startJob(
    `Removing Snapshot ${str(snap.data, 'description')} of VM ${str(vm.data, 'name')}`,
    c.correlationId,
  );
  // The merge: the snapshot stays locked until its volumes are merged into the VM's disks.
  const gen = c.sim.setStatus(snap, 'locked');
  delete snap.data.status;
  snap.data.snapshot_status = 'locked';
  c.sim.later(snap, gen, c.sim.delays.diskLock, () => {
    c.sim.store.remove('snapshots', snap.id, vm.id);
    job.finish();
  });
  return actionDone();
}

function restore(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const snap = c.sim.store.get('snapshots', c.params.id, vm.id);
  if (!snap) throw opFailed(400, "Cannot revert to Snapshot. VM's Snapshot does not exist.");
  if (snap.data.snapshot_type !== 'regular')
    throw opFailed(409, 'Cannot revert to Snapshot. The operation is only allowed for regular snapshots.');
  c.sim.assertUnlocked(vm, 'revert to');
  if (snap.data.snapshot_status === 'locked')
    throw opFailed(
      409,
      'Cannot revert to Snapshot. The VM is performing an operation on a Snapshot. Please wait for the operation to finish, and try again.',
    );
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, 'Cannot revert to Snapshot. VM is running.');
  if (vm.meta.preview) throw opFailed(409, 'Cannot revert to Snapshot. VM is previewing a Snapshot.');
  applySaved(c, vm, snap.meta.config as Tree, sizesOf(snap), `Restoring VM Snapshot ${str(snap.data, 'description')}`);
  dropAfter(c.sim, vm, snap);
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
function applySaved(c: Ctx, vm: Entity, config: Tree, sizes: Record<string, unknown>, what: string): void {
  const job = c.sim.startJob(`${what} of VM ${str(vm.data, 'name')}`, c.correlationId);
  const keep: Tree = {};
  for (const k of RUNTIME) keep[k] = vm.data[k];
  vm.data = { ...clone(config), ...keep };
  for (const [id, size] of Object.entries(sizes)) {
    const disk = c.sim.store.get('disks', id);
    if (disk && size !== undefined) disk.data.provisioned_size = size as number;
  }
  const gen = c.sim.setStatus(vm, 'image_locked');
  c.sim.later(vm, gen, c.sim.delays.vmImageLocked, () => {
    vm.data.status = 'down';
    job.finish();
  });
}

const NOT_PREVIEWED =
  'Cannot revert to Snapshot to a Snapshot that is not being previewed. Please select the correct Snapshot to restore to: Either the one being previewed, or the one before the preview.';

function preview(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.id);
  const id = str(c.body, 'snapshot.id');
  if (!id) throw incomplete('Action', 'snapshot.id', 'previewSnapshot');
  c.sim.assertUnlocked(vm, 'preview');
  if (vm.meta.preview) throw opFailed(409, 'Cannot preview Snapshot. VM is previewing a Snapshot.');
  const snap = c.sim.store.get('snapshots', id, vm.id);
  if (!snap || snap.data.snapshot_type !== 'regular')
    throw opFailed(400, "Cannot preview Snapshot. VM's Snapshot does not exist.");
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, 'Cannot preview Snapshot. VM is running.');
  vm.meta.preview = { snapshot: snap.id, ...current(c.sim, vm) };
  snap.data.snapshot_status = 'in_preview';
  applySaved(c, vm, snap.meta.config as Tree, sizesOf(snap), `Previewing Snapshot ${str(snap.data, 'description')}`);
  return actionDone({ vm: ref('vms', vm.id) });
}

function endPreview(c: Ctx, commit: boolean): Reply {
  const vm = c.sim.must('vms', c.params.id);
  const p = vm.meta.preview as { snapshot: string; config: Tree; sizes: Record<string, unknown> } | undefined;
  if (!p) throw opFailed(409, NOT_PREVIEWED);
  if (str(vm.data, 'status') !== 'down') throw opFailed(409, `Cannot revert to Snapshot. VM is running.`);
  const snap = c.sim.store.get('snapshots', p.snapshot, vm.id);
  delete vm.meta.preview;
  if (snap) snap.data.snapshot_status = 'ok';
  if (commit && snap) dropAfter(c.sim, vm, snap);
  if (!commit) applySaved(c, vm, p.config, p.sizes, 'Undoing the snapshot preview');
  c.sim.onChange();
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

function mustVmSnap(c: Ctx): Entity {
  const vm = c.sim.must('vms', c.params.vm);
  snapshotsOf(c.sim, vm);
  return c.sim.must('snapshots', c.params.id, vm.id);
}

/** Routes of `/vms/{vm}/snapshots`. */
export const snapshotRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'vms/{vm}/snapshots',
    handler: (c) => many('snapshots', snapshotsOf(c.sim, c.sim.must('vms', c.params.vm))),
  },
  {
    method: 'POST',
    pattern: 'vms/{vm}/snapshots',
    root: 'snapshot',
    service: 'snapshots/methods/add',
    handler: create,
  },
  { method: 'GET', pattern: 'vms/{vm}/snapshots/{id}', handler: (c) => one(mustVmSnap(c)) },
  { method: 'DELETE', pattern: 'vms/{vm}/snapshots/{id}', handler: remove },
  {
    method: 'POST',
    pattern: 'vms/{vm}/snapshots/{id}/restore',
    root: 'action',
    service: 'snapshot/methods/restore',
    handler: restore,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/previewsnapshot',
    root: 'action',
    service: 'vm/methods/preview_snapshot',
    handler: preview,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/commitsnapshot',
    root: 'action',
    service: 'vm/methods/commit_snapshot',
    handler: (c) => endPreview(c, true),
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/undosnapshot',
    root: 'action',
    service: 'vm/methods/undo_snapshot',
    handler: (c) => endPreview(c, false),
  },
  {
    method: 'GET',
    pattern: 'vms/{vm}/snapshots/{id}/disks',
    handler: (c) => {
      const s = mustVmSnap(c);
      const disks =
        s.data.snapshot_type === 'regular'
          ? snapshotDisks(s)
          : c.sim.store
              .list('diskattachments', s.parent)
              .map((a) => ({ ...clone(c.sim.must('disks', a.id).data), id: a.id, snapshot: { id: s.id } }));
      return {
        root: 'disks',
        body: {
          disk: disks.map((d) => ({
            ...d,
            href: `/ovirt-engine/api/vms/${s.parent}/snapshots/${s.id}/disks/${String(d.id)}`,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: 'vms/{vm}/snapshots/{s}/disks/{id}',
    handler: (c) => {
      const s = mustVmSnap({ ...c, params: { vm: c.params.vm, id: c.params.s } });
      const d =
        snapshotDisks(s).find((x) => x.id === c.params.id) ??
        (s.data.snapshot_type === 'active' && c.sim.store.get('diskattachments', c.params.id, s.parent)
          ? { ...clone(c.sim.must('disks', c.params.id).data), id: c.params.id, snapshot: { id: s.id } }
          : undefined);
      if (!d) throw new EngineFault(404, '');
      return {
        root: 'disk',
        body: { ...d, href: `/ovirt-engine/api/vms/${s.parent}/snapshots/${s.id}/disks/${c.params.id}` },
      };
    },
  },
];

/** New VMs made from existing ones: from a snapshot (`POST /vms` with `<snapshots>`) and the `clone` action. */
import { incomplete, opFailed } from '../errors';
import { createDisk } from './disks';
import { Tree, bool, clone, list, num, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, one } from '../engine/handler';
import { snapshotSource } from './snapshots';
import { Entity, ref } from '../store/store';
import { applyFields, assertNameFree, checkVmFields, copyNics, createVm, vmView } from './vms';

/** Fields of the source that a new VM never inherits. */
const NOT_COPIED = [
  'status',
  'host',
  'start_time',
  'stop_time',
  'fqdn',
  'guest_operating_system',
  'guest_time_zone',
  'next_run_configuration_exists',
  'run_once',
  'creation_time',
];

/**
 * Makes VM `name` from `config` with copies of `disks` (image_locked until all copies are ok) and the
 * NICs of `source`; the attachments keep the source's interface and bootable flags.
 */
function newVm(ctx: Ctx, name: string, config: Tree, disks: Tree[], source: Entity, jobText: string): Entity {
  const data = clone(config);
  for (const k of NOT_COPIED) delete data[k];
  const vm: Entity = ctx.sim.store.put({
    kind: 'vms',
    id: ctx.sim.newId(),
    meta: { tags: [] },
    data: {
      ...data,
      name,
      creation_time: ctx.sim.nowIso(),
      stop_time: ctx.sim.nowIso(),
      run_once: false,
      next_run_configuration_exists: false,
    },
  });
  const job = ctx.sim.startJob(jobText, ctx.correlationId);
  const gen = ctx.sim.setStatus(vm, 'image_locked');
  let waiting = disks.length;
  const done = (): void =>
    ctx.sim.later(vm, gen, ctx.sim.delays.vmImageLocked, () => {
      vm.data.status = 'down';
      job.finish();
    });
  for (const d of disks) {
    const att = ctx.sim.store.get('diskattachments', String(d.id), source.id);
    const disk = createDisk(
      ctx.sim,
      {
        alias: `${str(d, 'alias') ?? 'disk'}`,
        size: num(d, 'provisioned_size') ?? 0,
        format: str(d, 'format') ?? 'cow',
        sparse: bool(d, 'sparse'),
        description: str(d, 'description'),
        domainId: String(list(d, 'storage_domains.storage_domain')[0]?.id),
      },
      () => {
        if (--waiting === 0) done();
      },
    );
    ctx.sim.store.put({
      kind: 'diskattachments',
      id: disk.id,
      parent: vm.id,
      meta: { owner: 'vms' },
      data: {
        active: true,
        bootable: bool(att?.data, 'bootable') ?? false,
        interface: str(att?.data, 'interface') ?? 'virtio_scsi',
        pass_discard: false,
        read_only: false,
        uses_scsi_reservation: false,
        disk: ref('disks', disk.id),
        vm: ref('vms', vm.id),
      },
    });
  }
  if (!disks.length) done();
  copyNics(ctx.sim, vm, source);
  ctx.sim.onChange();
  return vm;
}

/** POST /vms: from a snapshot when `<snapshots>` names one, else from a template. */
export function addVm(ctx: Ctx): Reply {
  const snapId = str(list(ctx.body, 'snapshots.snapshot')[0], 'id');
  if (!snapId) return createVm(ctx);
  if (!str(ctx.body, 'cluster.id') && !str(ctx.body, 'cluster.name')) throw incomplete('Vm', 'cluster.id|name');
  const name = str(ctx.body, 'name');
  if (!name) throw incomplete('Vm', 'name');
  const cluster = ctx.sim.resolve(
    'clusters',
    sub(ctx.body, 'cluster'),
    'Cannot add VM. Cluster ID is not valid.',
  ) as Entity;
  const { snap, config, disks } = snapshotSource(ctx.sim, snapId);
  assertNameFree(ctx.sim, name, cluster.id, 'add');
  const body: Tree = { ...ctx.body };
  delete body.snapshots;
  const data = applyFields(config, body);
  checkVmFields(body, data, 'add');
  data.cluster = ref('clusters', cluster.id);
  const source = ctx.sim.must('vms', snap.parent as string);
  const vm = newVm(
    ctx,
    name,
    data,
    disks,
    source,
    `Creating VM ${name} from Snapshot ${str(snap.data, 'description')}`,
  );
  return { ...one(vm, 201, vmView(ctx, vm)), location: vm.id };
}

/** POST /vms/{id}/clone: a VM with copies of the source's disks; the source must be down. */
export function cloneAction(ctx: Ctx): Reply {
  const src = ctx.sim.must('vms', ctx.params.id);
  const name = str(ctx.body, 'vm.name');
  if (!name) throw incomplete('Action', 'vm.name', 'clone');
  ctx.sim.assertUnlocked(src, 'clone');
  if (str(src.data, 'status') !== 'down') throw opFailed(409, 'Cannot clone VM. VM is running.');
  assertNameFree(ctx.sim, name, str(src.data, 'cluster.id') ?? '', 'clone');
  const disks = ctx.sim.store
    .list('diskattachments', src.id)
    .map((a) => ({ ...clone(ctx.sim.must('disks', a.id).data), id: a.id }));
  const vm = newVm(ctx, name, src.data, disks, src, `Cloning VM ${str(src.data, 'name')} to ${name}`);
  return actionDone({ vm: ref('vms', vm.id) });
}

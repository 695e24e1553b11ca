/** VMs: create from a template (disks, NICs, clone), read with views, update (incl. next_run), remove. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { checkDiskConfig, createDisk, DiskSpec } from './disks';
import { followVm } from './follow';
import { applyCpuTune, checkCpuPinning } from './cpu-pinning';
import { allocateMac } from './nics';
import { Tree, bool, clone, list, merge, num, str, sub } from '../store/repr';
import { Ctx, Reply, flag, many, one, searched, actionDone } from '../engine/handler';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';

/** Body fields that are never copied from a request onto a VM. */
const READ_ONLY = new Set([
  'id',
  'href',
  'status',
  'cluster',
  'template',
  'disk_attachments',
  'nics',
  'link',
  'actions',
  'instance_type',
  'creation_time',
  'next_run_configuration_exists',
  'run_once',
  'start_time',
  'stop_time',
  'host',
  'original_template',
  'fqdn',
  'guest_operating_system',
  'guest_time_zone',
  'version',
]);
/** Fields replaced as a whole on update rather than merged. */
const REPLACED = new Set(['initialization', 'custom_properties', 'placement_policy']);
/** Fields only shown with `all_content=true`. */
const ALL_CONTENT_ONLY = ['console', 'soundcard_enabled', 'rng_source', 'virtio_scsi'];

const ENUMS: Array<[string, string[]]> = [
  ['type', ['desktop', 'server', 'high_performance']],
  ['cpu.mode', ['custom', 'host_model', 'host_passthrough']],
  ['placement_policy.affinity', ['migratable', 'user_migratable', 'pinned']],
];

export function checkVmFields(body: Tree, data: Tree, action: string): void {
  for (const [path, allowed] of ENUMS) {
    const value = str(body, path);
    if (value !== undefined && !allowed.includes(value)) {
      throw new EngineFault(
        400,
        'Invalid Enum value',
        `${value} is not a member of ${path}. Possible values are: ${allowed.join(', ')}`,
      );
    }
  }
  const memory = num(data, 'memory') ?? 0;
  // memory is bytes on the wire and whole MiB in the engine (VmBase.memSizeMb, @Min(1)).
  if (body.memory !== undefined && memory < 1024 * 1024) {
    throw opFailed(400, `Cannot ${action} VM. Attribute: vmStatic.memSizeMb, must be greater than or equal to 1`);
  }
  const sockets = num(body, 'cpu.topology.sockets');
  if (sockets !== undefined && sockets < 1) throw opFailed(400, 'Minimum number of sockets cannot be less then 1');
  if ((num(data, 'memory_policy.guaranteed') ?? 0) > memory) {
    throw opFailed(400, `Cannot ${action} VM. Physical Memory Guaranteed cannot exceed Memory Size.`);
  }
  if ((num(data, 'memory_policy.max') ?? memory) < memory) {
    throw opFailed(400, `Cannot ${action} VM. Maximum memory size must be greater than or equal to memory size.`);
  }
  checkCpuPinning(body, data);
}

/** Applies a request's VM fields onto `data`. */
export function applyFields(data: Tree, body: Tree): Tree {
  let out = data;
  const patch: Tree = {};
  for (const [k, v] of Object.entries(body)) {
    if (READ_ONLY.has(k) || v === undefined) continue;
    if (REPLACED.has(k)) out = { ...out, [k]: clone(v) };
    else patch[k] = v;
  }
  out = merge(out, patch);
  applyCpuTune(out, body);
  if (body.memory !== undefined) {
    // Like the engine's UI defaults: guaranteed follows memory unless given; max grows to 4x if it would be below it.
    const memory = num(out, 'memory') ?? 0;
    const policy: Tree = { ...(sub(out, 'memory_policy') ?? {}) };
    if (str(body, 'memory_policy.guaranteed') === undefined) policy.guaranteed = memory;
    if (str(body, 'memory_policy.max') === undefined && (num(policy, 'max') ?? 0) < memory) policy.max = memory * 4;
    out.memory_policy = policy;
  }
  return out;
}

export function assertNameFree(sim: Sim, name: string, clusterId: string, action: string, self?: string): void {
  const dcOf = (cluster: string | undefined): string | undefined =>
    str(sim.store.get('clusters', cluster ?? '')?.data, 'data_center.id');
  const dc = dcOf(clusterId);
  // Names are unique per data center; compare names first, the cheap test.
  if (
    sim.store.list('vms').some((v) => v.id !== self && v.data.name === name && dcOf(str(v.data, 'cluster.id')) === dc)
  ) {
    throw opFailed(
      409,
      `Cannot ${action} VM. The VM name is already in use, please choose a unique name and try again.`,
    );
  }
}

/** The template's settings a new VM starts from. */
function fromTemplate(template: Entity, it: Entity | undefined): Tree {
  const base = clone(template.data);
  for (const k of ['status', 'version', 'cluster', 'creation_time', 'cpu_profile']) delete base[k];
  if (it) {
    base.memory = it.data.memory;
    base.memory_policy = clone(it.data.memory_policy as Tree);
    base.cpu = merge(sub(base, 'cpu') ?? {}, { topology: clone(sub(it.data, 'cpu.topology') ?? {}) });
  }
  return base;
}

/** Copies the template's disks for a new VM, honouring per-disk overrides in `disk_attachments`. */
function copyTemplateDisks(ctx: Ctx, vm: Entity, template: Entity, onAllOk: () => void): number {
  const overrides = list(ctx.body, 'disk_attachments.disk_attachment');
  const atts = ctx.sim.store.list('diskattachments', template.id);
  const specs: Array<{ att: Entity; spec: DiskSpec }> = atts.map((att) => {
    const td = ctx.sim.must('disks', att.id);
    const tree =
      sub(
        overrides.find((x) => str(x, 'disk.id') === att.id),
        'disk',
      ) ?? {};
    const sd = ctx.sim.resolve('storagedomains', list(tree, 'storage_domains.storage_domain')[0]);
    return {
      att,
      spec: {
        alias: str(tree, 'alias') ?? str(td.data, 'alias') ?? 'disk',
        size: num(td.data, 'provisioned_size') ?? 0,
        format: str(tree, 'format') ?? str(td.data, 'format') ?? 'cow',
        sparse: bool(tree, 'sparse') ?? bool(td.data, 'sparse'),
        domainId: sd?.id ?? String(list(td.data, 'storage_domains.storage_domain')[0]?.id),
      },
    };
  });
  for (const s of specs) checkDiskConfig(ctx.sim, s.spec, 'add', 'VM');
  let waiting = specs.length;
  for (const { att, spec } of specs) {
    const disk = createDisk(ctx.sim, spec, () => {
      if (--waiting === 0) onAllOk();
    });
    ctx.sim.store.put({
      kind: 'diskattachments',
      id: disk.id,
      parent: vm.id,
      meta: { owner: 'vms' },
      data: {
        ...clone(att.data),
        disk: ref('disks', disk.id),
        vm: ref('vms', vm.id),
        template: undefined,
      },
    });
  }
  return specs.length;
}

/** Copies the NICs of a template or VM `from` onto a new VM, with new MACs. */
export function copyNics(sim: Sim, vm: Entity, from: Entity): void {
  for (const n of sim.store.list('nics', from.id)) {
    const id = sim.newId();
    sim.store.put({
      kind: 'nics',
      id,
      parent: vm.id,
      meta: {},
      data: {
        ...clone(n.data),
        mac: { address: allocateMac(sim) },
        vm: ref('vms', vm.id),
        template: undefined,
      },
    });
  }
}

/** POST /vms from a template. */
export function createVm(ctx: Ctx): Reply {
  const tree = ctx.body;
  if (!str(tree, 'cluster.id') && !str(tree, 'cluster.name')) throw incomplete('Vm', 'cluster.id|name');
  const name = str(tree, 'name');
  if (!name) throw incomplete('Vm', 'name');
  if (!str(tree, 'template.id') && !str(tree, 'template.name')) throw incomplete('Vm', 'template.id|name');
  const cluster = ctx.sim.resolve(
    'clusters',
    sub(tree, 'cluster'),
    'Cannot add VM. Cluster ID is not valid.',
  ) as Entity;
  const template = ctx.sim.resolve(
    'templates',
    sub(tree, 'template'),
    "Cannot add VM. The relevant Template doesn't exist.",
  ) as Entity;
  if (str(template.data, 'status') !== 'ok' || ctx.sim.locked.has(template.id)) {
    throw opFailed(409, 'Cannot add VM. Template is locked. Please try again in a few minutes.');
  }
  assertNameFree(ctx.sim, name, cluster.id, 'add');
  const it = ctx.sim.resolve('instancetypes', sub(tree, 'instance_type'));
  const data = applyFields(fromTemplate(template, it), tree);
  checkVmFields(tree, data, 'add');
  const id = ctx.sim.newId();
  const cloned = flag(ctx, 'clone');
  Object.assign(data, {
    cluster: ref('clusters', cluster.id),
    creation_time: ctx.sim.nowIso(),
    next_run_configuration_exists: false,
    numa_tune_mode: 'interleave',
    run_once: false,
    status: 'down',
    stop_time: ctx.sim.nowIso(),
    quota: { id: '5a1e0000-0000-4000-8000-00000000a001' },
    cpu_profile: {
      href: '/ovirt-engine/api/cpuprofiles/5a1e0000-0000-4000-8000-00000000cf01',
      id: '5a1e0000-0000-4000-8000-00000000cf01',
    },
    template: ref('templates', cloned ? '00000000-0000-0000-0000-000000000000' : template.id),
    original_template: ref('templates', template.id),
  });
  if (it) data.instance_type = ref('instancetypes', it.id);
  const vm: Entity = { kind: 'vms', id, data, meta: { tags: [] } };
  const job = ctx.sim.startJob(`Creating VM ${name} from Template ${str(template.data, 'name')}`, ctx.correlationId);
  ctx.sim.store.put(vm);
  const gen = ctx.sim.setStatus(vm, 'image_locked');
  const count = copyTemplateDisks(ctx, vm, template, () =>
    ctx.sim.later(vm, gen, ctx.sim.delays.vmImageLocked, () => {
      vm.data.status = 'down';
      job.finish();
    }),
  );
  if (count === 0) {
    vm.data.status = 'down';
    job.finish();
  }
  copyNics(ctx.sim, vm, template);
  return { ...one(vm, 201, vmView(ctx, vm)), location: vm.id };
}

/** What GET shows of a VM: the next-run configuration if asked, all-content fields only if asked. */
export function vmView(ctx: Ctx, vm: Entity): Tree {
  let data = vm.data;
  if (flag(ctx, 'next_run') && vm.meta.nextRun) data = applyFields(data, vm.meta.nextRun as Tree);
  data = followVm(ctx.sim, vm, data, ctx.query.follow);
  if (flag(ctx, 'all_content')) return data;
  data = { ...data };
  for (const k of ALL_CONTENT_ONLY) delete data[k];
  const init = sub(data, 'initialization');
  if (init && sub(init, 'configuration'))
    data.initialization = { ...init, configuration: { ...sub(init, 'configuration'), data: undefined } };
  return data;
}

/** Applies a pending next-run configuration (when the VM goes down). */
export function applyNextRun(vm: Entity): void {
  if (!vm.meta.nextRun) return;
  vm.data = applyFields(vm.data, vm.meta.nextRun as Tree);
  delete vm.meta.nextRun;
  vm.data.next_run_configuration_exists = false;
}

export function updateVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  ctx.sim.assertUnlocked(vm, 'edit');
  const name = str(ctx.body, 'name');
  if (name !== undefined && name !== str(vm.data, 'name'))
    assertNameFree(ctx.sim, name, str(vm.data, 'cluster.id') ?? '', 'edit', vm.id);
  const cluster = ctx.sim.resolve('clusters', sub(ctx.body, 'cluster'));
  const preview = applyFields(vm.data, ctx.body);
  checkVmFields(ctx.body, preview, 'edit');
  const running = str(vm.data, 'status') !== 'down';
  if (flag(ctx, 'next_run') && running) {
    vm.meta.nextRun = merge((vm.meta.nextRun as Tree | undefined) ?? {}, ctx.body);
    vm.data.next_run_configuration_exists = true;
  } else {
    const cur = num(vm.data, 'memory') ?? 0;
    if (running && (num(ctx.body, 'memory') ?? cur) < cur) {
      // The engine hot-unplugs only memory it hot-plugged; the rest of a decrease waits for the next run.
      vm.meta.nextRun = merge((vm.meta.nextRun as Tree | undefined) ?? {}, {
        memory: ctx.body.memory,
        memory_policy: preview.memory_policy,
      });
      preview.memory = cur;
      preview.memory_policy = vm.data.memory_policy;
      preview.next_run_configuration_exists = true;
    }
    vm.data = preview;
  }
  if (cluster) vm.data.cluster = ref('clusters', cluster.id);
  ctx.sim.onChange();
  return one(vm, 200, vmView({ ...ctx, query: { ...ctx.query, next_run: String(flag(ctx, 'next_run')) } }, vm));
}

/** Removes a VM with its NICs and (unless detach_only) its disks. */
export function removeVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  const status = str(vm.data, 'status') ?? 'down';
  const force = flag(ctx, 'force');
  if (ctx.sim.locked.has(vm.id) && !force) ctx.sim.assertUnlocked(vm, 'remove');
  if (bool(vm.data, 'delete_protected')) {
    throw opFailed(
      409,
      'Cannot remove VM. Delete protection is enabled. In order to delete, disable Delete protection first.',
    );
  }
  if (status === 'suspended')
    throw opFailed(409, 'Cannot remove VM that its state is not down.\n-Please stop the VM first.');
  if (!['down', 'image_locked', 'unassigned'].includes(status)) throw opFailed(409, 'Cannot remove VM. VM is running.');
  const atts = ctx.sim.store.list('diskattachments', vm.id);
  const lockedDisks = atts
    .map((a) => ctx.sim.store.get('disks', a.id))
    .filter((d) => d && str(d.data, 'status') === 'locked');
  if (lockedDisks.length && !force) {
    throw opFailed(
      409,
      `Cannot remove VM: The following disks are locked: ${lockedDisks.map((d) => str(d?.data, 'alias')).join(', ')}. Please try again in a few minutes.`,
    );
  }
  for (const a of atts) {
    ctx.sim.store.remove('diskattachments', a.id, vm.id);
    if (!flag(ctx, 'detach_only')) ctx.sim.store.remove('disks', a.id);
  }
  for (const kind of ['nics', 'reporteddevices', 'snapshots'] as const)
    for (const e of ctx.sim.store.list(kind, vm.id)) ctx.sim.store.remove(kind, e.id, vm.id);
  for (const g of ctx.sim.store.list('affinitygroups')) {
    const vms = list(g.data, 'vms.vm').filter((r) => r.id !== vm.id);
    g.data.vms = { vm: vms };
  }
  ctx.sim.store.remove('vms', vm.id);
  ctx.sim.onChange();
  return actionDone();
}

/** `GET /vms`. */
export function listVms(ctx: Ctx): Reply {
  return many('vms', searched(ctx, ctx.sim.store.list('vms')), (e) => vmView(ctx, e));
}

/** `GET /vms/{id}`. */
export function getVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  return one(vm, 200, vmView(ctx, vm));
}

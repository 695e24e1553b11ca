/** VMs: create from a template (disks, NICs, clone), read with views, update (incl. next_run), remove. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { checkDiskConfig, createDisk, DiskSpec } from './disks';
import { followVm } from './follow';
import { allocateMac } from './nics';
import { Tree, bool, clone, list, merge, num, str, sub } from '../store/repr';
import { Ctx, Reply, Route, flag, many, one, searched, actionDone } from '../engine/handler';
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
    const v = str(body, path);
    if (v !== undefined && !allowed.includes(v)) {
      throw new EngineFault(
        400,
        'Invalid Enum value',
        `${v} is not a member of ${path}. Possible values are: ${allowed.join(', ')}`,
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
  if (body.memory !== undefined) {
    // Like the engine's UI defaults: guaranteed follows memory unless given; max grows to 4x if it would be below it.
    const m = num(out, 'memory') ?? 0;
    const policy: Tree = { ...(sub(out, 'memory_policy') ?? {}) };
    if (str(body, 'memory_policy.guaranteed') === undefined) policy.guaranteed = m;
    if (str(body, 'memory_policy.max') === undefined && (num(policy, 'max') ?? 0) < m) policy.max = m * 4;
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
function fromTemplate(t: Entity, it: Entity | undefined): Tree {
  const base = clone(t.data);
  for (const k of ['status', 'version', 'cluster', 'creation_time', 'cpu_profile']) delete base[k];
  if (it) {
    base.memory = it.data.memory;
    base.memory_policy = clone(it.data.memory_policy as Tree);
    base.cpu = merge(sub(base, 'cpu') ?? {}, { topology: clone(sub(it.data, 'cpu.topology') ?? {}) });
  }
  return base;
}

/** Copies the template's disks for a new VM, honouring per-disk overrides in `disk_attachments`. */
function copyTemplateDisks(c: Ctx, vm: Entity, t: Entity, onAllOk: () => void): number {
  const overrides = list(c.body, 'disk_attachments.disk_attachment');
  const atts = c.sim.store.list('diskattachments', t.id);
  const specs: Array<{ att: Entity; spec: DiskSpec }> = atts.map((att) => {
    const td = c.sim.must('disks', att.id);
    const o =
      sub(
        overrides.find((x) => str(x, 'disk.id') === att.id),
        'disk',
      ) ?? {};
    const sd = c.sim.resolve('storagedomains', list(o, 'storage_domains.storage_domain')[0]);
    return {
      att,
      spec: {
        alias: str(o, 'alias') ?? str(td.data, 'alias') ?? 'disk',
        size: num(td.data, 'provisioned_size') ?? 0,
        format: str(o, 'format') ?? str(td.data, 'format') ?? 'cow',
        sparse: bool(o, 'sparse') ?? bool(td.data, 'sparse'),
        domainId: sd?.id ?? String(list(td.data, 'storage_domains.storage_domain')[0]?.id),
      },
    };
  });
  for (const s of specs) checkDiskConfig(c.sim, s.spec, 'add', 'VM');
  let waiting = specs.length;
  for (const { att, spec } of specs) {
    const disk = createDisk(c.sim, spec, () => {
      if (--waiting === 0) onAllOk();
    });
    c.sim.store.put({
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
export function createVm(c: Ctx): Reply {
  const b = c.body;
  if (!str(b, 'cluster.id') && !str(b, 'cluster.name')) throw incomplete('Vm', 'cluster.id|name');
  const name = str(b, 'name');
  if (!name) throw incomplete('Vm', 'name');
  if (!str(b, 'template.id') && !str(b, 'template.name')) throw incomplete('Vm', 'template.id|name');
  const cluster = c.sim.resolve('clusters', sub(b, 'cluster'), 'Cannot add VM. Cluster ID is not valid.') as Entity;
  const t = c.sim.resolve(
    'templates',
    sub(b, 'template'),
    "Cannot add VM. The relevant Template doesn't exist.",
  ) as Entity;
  if (str(t.data, 'status') !== 'ok' || c.sim.locked.has(t.id)) {
    throw opFailed(409, 'Cannot add VM. Template is locked. Please try again in a few minutes.');
  }
  assertNameFree(c.sim, name, cluster.id, 'add');
  const it = c.sim.resolve('instancetypes', sub(b, 'instance_type'));
  const data = applyFields(fromTemplate(t, it), b);
  checkVmFields(b, data, 'add');
  const id = c.sim.newId();
  const cloned = flag(c, 'clone');
  Object.assign(data, {
    cluster: ref('clusters', cluster.id),
    creation_time: c.sim.nowIso(),
    next_run_configuration_exists: false,
    numa_tune_mode: 'interleave',
    run_once: false,
    status: 'down',
    stop_time: c.sim.nowIso(),
    quota: { id: '5a1e0000-0000-4000-8000-00000000a001' },
    cpu_profile: {
      href: '/ovirt-engine/api/cpuprofiles/5a1e0000-0000-4000-8000-00000000cf01',
      id: '5a1e0000-0000-4000-8000-00000000cf01',
    },
    template: ref('templates', cloned ? '00000000-0000-0000-0000-000000000000' : t.id),
    original_template: ref('templates', t.id),
  });
  if (it) data.instance_type = ref('instancetypes', it.id);
  const vm: Entity = { kind: 'vms', id, data, meta: { tags: [] } };
  const job = c.sim.startJob(`Creating VM ${name} from Template ${str(t.data, 'name')}`, c.correlationId);
  c.sim.store.put(vm);
  const gen = c.sim.setStatus(vm, 'image_locked');
  const n = copyTemplateDisks(c, vm, t, () =>
    c.sim.later(vm, gen, c.sim.delays.vmImageLocked, () => {
      vm.data.status = 'down';
      job.finish();
    }),
  );
  if (n === 0) {
    vm.data.status = 'down';
    job.finish();
  }
  copyNics(c.sim, vm, t);
  return { ...one(vm, 201, vmView(c, vm)), location: vm.id };
}

/** What GET shows of a VM: the next-run configuration if asked, all-content fields only if asked. */
export function vmView(c: Ctx, vm: Entity): Tree {
  let data = vm.data;
  if (flag(c, 'next_run') && vm.meta.nextRun) data = applyFields(data, vm.meta.nextRun as Tree);
  data = followVm(c.sim, vm, data, c.query.follow);
  if (flag(c, 'all_content')) return data;
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

function updateVm(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.id);
  c.sim.assertUnlocked(vm, 'edit');
  const name = str(c.body, 'name');
  if (name !== undefined && name !== str(vm.data, 'name'))
    assertNameFree(c.sim, name, str(vm.data, 'cluster.id') ?? '', 'edit', vm.id);
  const cluster = c.sim.resolve('clusters', sub(c.body, 'cluster'));
  const preview = applyFields(vm.data, c.body);
  checkVmFields(c.body, preview, 'edit');
  const running = str(vm.data, 'status') !== 'down';
  if (flag(c, 'next_run') && running) {
    vm.meta.nextRun = merge((vm.meta.nextRun as Tree | undefined) ?? {}, c.body);
    vm.data.next_run_configuration_exists = true;
  } else {
    const cur = num(vm.data, 'memory') ?? 0;
    if (running && (num(c.body, 'memory') ?? cur) < cur) {
      // The engine hot-unplugs only memory it hot-plugged; the rest of a decrease waits for the next run.
      vm.meta.nextRun = merge((vm.meta.nextRun as Tree | undefined) ?? {}, {
        memory: c.body.memory,
        memory_policy: preview.memory_policy,
      });
      preview.memory = cur;
      preview.memory_policy = vm.data.memory_policy;
      preview.next_run_configuration_exists = true;
    }
    vm.data = preview;
  }
  if (cluster) vm.data.cluster = ref('clusters', cluster.id);
  c.sim.onChange();
  return one(vm, 200, vmView({ ...c, query: { ...c.query, next_run: String(flag(c, 'next_run')) } }, vm));
}

/** Removes a VM with its NICs and (unless detach_only) its disks. */
function removeVm(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.id);
  const status = str(vm.data, 'status') ?? 'down';
  const force = flag(c, 'force');
  if (c.sim.locked.has(vm.id) && !force) c.sim.assertUnlocked(vm, 'remove');
  if (bool(vm.data, 'delete_protected')) {
    throw opFailed(
      409,
      'Cannot remove VM. Delete protection is enabled. In order to delete, disable Delete protection first.',
    );
  }
  if (status === 'suspended')
    throw opFailed(409, 'Cannot remove VM that its state is not down.\n-Please stop the VM first.');
  if (!['down', 'image_locked', 'unassigned'].includes(status)) throw opFailed(409, 'Cannot remove VM. VM is running.');
  const atts = c.sim.store.list('diskattachments', vm.id);
  const lockedDisks = atts
    .map((a) => c.sim.store.get('disks', a.id))
    .filter((d) => d && str(d.data, 'status') === 'locked');
  if (lockedDisks.length && !force) {
    throw opFailed(
      409,
      `Cannot remove VM: The following disks are locked: ${lockedDisks.map((d) => str(d?.data, 'alias')).join(', ')}. Please try again in a few minutes.`,
    );
  }
  for (const a of atts) {
    c.sim.store.remove('diskattachments', a.id, vm.id);
    if (!flag(c, 'detach_only')) c.sim.store.remove('disks', a.id);
  }
  for (const kind of ['nics', 'reporteddevices', 'snapshots'] as const)
    for (const e of c.sim.store.list(kind, vm.id)) c.sim.store.remove(kind, e.id, vm.id);
  for (const g of c.sim.store.list('affinitygroups')) {
    const vms = list(g.data, 'vms.vm').filter((r) => r.id !== vm.id);
    g.data.vms = { vm: vms };
  }
  c.sim.store.remove('vms', vm.id);
  c.sim.onChange();
  return actionDone();
}

/** Routes of `/vms` (the collection and single VMs). */
export const vmRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'vms',
    handler: (c) => many('vms', searched(c, c.sim.store.list('vms')), (e) => vmView(c, e)),
  },
  {
    method: 'GET',
    pattern: 'vms/{id}',
    handler: (c) => {
      const vm = c.sim.must('vms', c.params.id);
      return one(vm, 200, vmView(c, vm));
    },
  },
  { method: 'PUT', pattern: 'vms/{id}', root: 'vm', service: 'vm/methods/update', handler: updateVm },
  { method: 'DELETE', pattern: 'vms/{id}', handler: removeVm },
];

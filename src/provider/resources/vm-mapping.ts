/**
 * `ovirt_vm` values to engine bodies and back. Reading maps every managed attribute, so any
 * change made behind Terraform's back shows as drift.
 */
import type { Initialization, Spec, Vm, VmUpdateSpec } from '../../ovirt';
import { BLANK_TEMPLATE_ID } from '../../ovirt/ids';
import { isUnknown } from '../../tfplugin';
import { bool, num, orNull, str, strList } from '../common';
import type { VmPlan, VmState } from './vm-schema';
import { pinningFromEngine, pinningToEngine } from './vm-cpu-pinning';

const HUGEPAGES = 'hugepages';

type NicConfigState = NonNullable<VmState['initialization']>['nic_configuration'][number];

function nicConfigFromEngine(nicConfig: NonNullable<Initialization['nic_configurations']>[number]): NicConfigState {
  const v6len =
    nicConfig.ipv6?.netmask !== undefined && /^\d+$/.test(nicConfig.ipv6.netmask)
      ? Number(nicConfig.ipv6.netmask)
      : null;
  return {
    name: nicConfig.name ?? '',
    boot_protocol: nicConfig.boot_protocol ?? 'none',
    on_boot: nicConfig.on_boot ?? true,
    ipv6_boot_protocol: orNull(nicConfig.ipv6_boot_protocol),
    ipv4_address: orNull(nicConfig.ip?.address),
    ipv4_netmask: orNull(nicConfig.ip?.netmask),
    ipv4_gateway: orNull(nicConfig.ip?.gateway),
    ipv6_address: orNull(nicConfig.ipv6?.address),
    ipv6_prefix: v6len,
    ipv6_gateway: orNull(nicConfig.ipv6?.gateway),
  };
}

const words = (s: string | undefined) => (s && s.trim() ? s.trim().split(/[\s,]+/) : null);

/** The `initialization` block from the engine's; null when nothing in it is set. */
export function initializationFromEngine(init: Initialization | undefined): VmState['initialization'] {
  if (!init) return null;
  const out = {
    custom_script: orNull(init.custom_script),
    hostname: orNull(init.host_name),
    authorized_ssh_keys: orNull(init.authorized_ssh_keys),
    user_name: orNull(init.user_name),
    root_password: orNull(init.root_password),
    timezone: orNull(init.timezone),
    dns_servers: words(init.dns_servers),
    dns_search: words(init.dns_search),
    nic_configuration: (init.nic_configurations ?? []).map(nicConfigFromEngine),
  };
  const empty = Object.entries(out).every(([k, v]) =>
    k === 'nic_configuration' ? (v as unknown[]).length === 0 : v === null,
  );
  return empty ? null : out;
}

function customProps(vm: Vm): { huge: number | null; rest: Record<string, string> } {
  let huge: number | null = null;
  const rest: Record<string, string> = {};
  for (const p of vm.custom_properties ?? []) {
    if (!p.name) continue;
    if (p.name === HUGEPAGES) huge = p.value !== undefined && /^\d+$/.test(p.value) ? Number(p.value) : null;
    else rest[p.name] = p.value ?? '';
  }
  return { huge, rest };
}

/** Template id and clone flag as the engine shows them: a cloned VM points at Blank, its original template at the source. */
function templateOf(vm: Vm, prior: Partial<VmState> | null): { template_id: string; clone: boolean } {
  // A VM made from another VM or a snapshot was made from no template (its configuration sets none).
  if (prior?.source_vm_id || prior?.source_snapshot_id) return { template_id: BLANK_TEMPLATE_ID, clone: false };
  const templateId = vm.template?.id ?? BLANK_TEMPLATE_ID;
  const original = vm.original_template?.id;
  if (templateId === BLANK_TEMPLATE_ID && original && original !== BLANK_TEMPLATE_ID)
    return { template_id: original, clone: true };
  // Cloning Blank leaves no trace (it has no disks): keep what the configuration said.
  return { template_id: templateId, clone: templateId === BLANK_TEMPLATE_ID ? (prior?.clone ?? false) : false };
}

/**
 * State of a VM from the engine's view. `prior` supplies what the engine cannot show: the
 * create-time disk overrides, and all-content fields when `vm` came without them.
 */
export function vmFromEngine(vm: Vm, prior: Partial<VmState> | null): VmState {
  const { huge, rest } = customProps(vm);
  const topo = vm.cpu?.topology;
  const props = Object.keys(rest).length
    ? rest
    : prior?.custom_properties && Object.keys(prior.custom_properties).length === 0
      ? {}
      : null;
  return {
    id: vm.id,
    name: vm.name ?? '',
    description: orNull(vm.description),
    comment: orNull(vm.comment),
    cluster_id: vm.cluster?.id ?? prior?.cluster_id ?? '',
    ...templateOf(vm, prior),
    effective_template_id: vm.template?.id ?? BLANK_TEMPLATE_ID,
    instance_type_id: vm.instance_type?.id ?? null,
    vm_type: orNull(vm.type),
    os_type: orNull(vm.os?.type),
    memory: vm.memory ?? null,
    maximum_memory: vm.memory_policy?.max ?? null,
    memory_guaranteed: vm.memory_policy?.guaranteed ?? null,
    memory_ballooning: vm.memory_policy?.ballooning ?? null,
    cpu_sockets: topo?.sockets ?? null,
    cpu_cores: topo?.cores ?? null,
    cpu_threads: topo?.threads ?? null,
    cpu_mode: orNull(vm.cpu?.mode),
    cpu_pinning: pinningFromEngine(vm),
    boot_devices: vm.os?.boot?.devices ?? null,
    high_availability: vm.high_availability?.enabled ?? null,
    high_availability_priority: vm.high_availability?.priority ?? null,
    placement_policy_affinity: orNull(vm.placement_policy?.affinity),
    placement_policy_host_ids: (vm.placement_policy?.hosts ?? [])
      .map((h) => h.id ?? '')
      .filter(Boolean)
      .sort(),
    serial_console: vm.console?.enabled ?? prior?.serial_console ?? null,
    soundcard_enabled: vm.soundcard_enabled ?? prior?.soundcard_enabled ?? null,
    huge_pages: huge,
    custom_properties: props,
    host_id: vm.host?.id ?? '',
    status: vm.status ?? 'unknown',
    pending_next_run: vm.next_run_configuration_exists ?? false,
    initialization: initializationFromEngine(vm.initialization),
    template_disk_attachment_override: prior?.template_disk_attachment_override ?? [],
    source_vm_id: prior?.source_vm_id ?? null,
    source_snapshot_id: prior?.source_snapshot_id ?? null,
  };
}

function nicConfigToEngine(nicConfig: NicConfigState) {
  const ip =
    nicConfig.ipv4_address || nicConfig.ipv4_netmask || nicConfig.ipv4_gateway
      ? {
          address: nicConfig.ipv4_address ?? undefined,
          netmask: nicConfig.ipv4_netmask ?? undefined,
          gateway: nicConfig.ipv4_gateway ?? undefined,
          version: 'v4',
        }
      : undefined;
  const ipv6 =
    nicConfig.ipv6_address || nicConfig.ipv6_gateway
      ? {
          address: nicConfig.ipv6_address ?? undefined,
          netmask: nicConfig.ipv6_prefix === null ? undefined : String(nicConfig.ipv6_prefix),
          gateway: nicConfig.ipv6_gateway ?? undefined,
          version: 'v6',
        }
      : undefined;
  return {
    name: nicConfig.name,
    boot_protocol: nicConfig.boot_protocol ?? 'static',
    on_boot: nicConfig.on_boot ?? true,
    ip,
    ipv6_boot_protocol: nicConfig.ipv6_boot_protocol ?? undefined,
    ipv6,
  };
}

/** Blank fields clear an initialization (an empty `<initialization/>` would not read back as one). */
const CLEARED: Spec<Initialization> = {
  custom_script: '',
  host_name: '',
  authorized_ssh_keys: '',
  user_name: '',
  root_password: '',
  timezone: '',
  dns_servers: '',
  dns_search: '',
  nic_configurations: [],
};

/** The engine's initialization from the block (null block: blank fields, which clear it). */
export function initializationToEngine(init: VmState['initialization']): Spec<Initialization> {
  if (!init) return CLEARED;
  const orUndefined = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    custom_script: orUndefined(init.custom_script),
    host_name: orUndefined(init.hostname),
    authorized_ssh_keys: orUndefined(init.authorized_ssh_keys),
    user_name: orUndefined(init.user_name),
    root_password: orUndefined(init.root_password),
    timezone: orUndefined(init.timezone),
    dns_servers: init.dns_servers?.join(' '),
    dns_search: init.dns_search?.join(' '),
    nic_configurations: init.nic_configuration.map(nicConfigToEngine),
  };
}

/**
 * The engine body for the attributes `include` selects, with values from `plan` (unknowns
 * already replaced by prior state by the caller). Parts of one engine object (memory policy, CPU
 * topology, placement policy) go together, so the engine never resets the parts left out.
 */
export function vmSpec(plan: VmPlan, include: (key: keyof VmPlan) => boolean): VmUpdateSpec {
  const spec: VmUpdateSpec = {};
  const wanted = (key: keyof VmPlan) => include(key) && !isUnknown(plan[key]);
  if (wanted('name') && str(plan.name) !== undefined) spec.name = str(plan.name);
  if (wanted('description')) spec.description = str(plan.description) ?? '';
  if (wanted('comment')) spec.comment = str(plan.comment) ?? '';
  if (wanted('instance_type_id') && str(plan.instance_type_id)) spec.instance_type = { id: str(plan.instance_type_id) };
  if (wanted('vm_type') && str(plan.vm_type)) spec.type = str(plan.vm_type);
  const os: Spec<Vm['os']> = {};
  if (wanted('os_type') && str(plan.os_type)) os.type = str(plan.os_type);
  if (wanted('boot_devices') && strList(plan.boot_devices)) os.boot = { devices: strList(plan.boot_devices) };
  if (Object.keys(os).length) spec.os = os;
  if (wanted('memory') && num(plan.memory) !== undefined) spec.memory = num(plan.memory);
  const mp = {
    max: wanted('maximum_memory') ? num(plan.maximum_memory) : undefined,
    guaranteed: wanted('memory_guaranteed') ? num(plan.memory_guaranteed) : undefined,
    ballooning: wanted('memory_ballooning') ? bool(plan.memory_ballooning) : undefined,
  };
  if (Object.values(mp).some((v) => v !== undefined)) spec.memory_policy = mp;
  const topoChanged = (['cpu_sockets', 'cpu_cores', 'cpu_threads'] as const).some(
    (x) => wanted(x) && num(plan[x]) !== undefined,
  );
  const cpu: Spec<Vm['cpu']> = {};
  if (topoChanged)
    cpu.topology = { sockets: num(plan.cpu_sockets), cores: num(plan.cpu_cores), threads: num(plan.cpu_threads) };
  if (wanted('cpu_mode') && str(plan.cpu_mode)) cpu.mode = str(plan.cpu_mode);
  if (wanted('cpu_pinning') && plan.cpu_pinning)
    cpu.cpu_tune = pinningToEngine(plan.cpu_pinning as Record<string, string>);
  if (Object.keys(cpu).length) spec.cpu = cpu;
  if (
    (wanted('high_availability') && bool(plan.high_availability) !== undefined) ||
    (wanted('high_availability_priority') && num(plan.high_availability_priority) !== undefined)
  ) {
    spec.high_availability = { enabled: bool(plan.high_availability), priority: num(plan.high_availability_priority) };
  }
  if (
    (wanted('placement_policy_affinity') && str(plan.placement_policy_affinity)) ||
    (wanted('placement_policy_host_ids') && strList(plan.placement_policy_host_ids))
  ) {
    spec.placement_policy = {
      affinity: str(plan.placement_policy_affinity),
      hosts: strList(plan.placement_policy_host_ids)?.map((id) => ({ id })),
    };
  }
  if (wanted('serial_console') && bool(plan.serial_console) !== undefined)
    spec.console = { enabled: bool(plan.serial_console) };
  if (wanted('soundcard_enabled') && bool(plan.soundcard_enabled) !== undefined)
    spec.soundcard_enabled = bool(plan.soundcard_enabled);
  if (
    (wanted('huge_pages') || wanted('custom_properties')) &&
    !isUnknown(plan.huge_pages) &&
    !isUnknown(plan.custom_properties)
  ) {
    const props = Object.entries((plan.custom_properties ?? {}) as Record<string, string>).map(([name, value]) => ({
      name,
      value,
    }));
    if (num(plan.huge_pages) !== undefined) props.push({ name: HUGEPAGES, value: String(num(plan.huge_pages)) });
    spec.custom_properties = props;
  }
  if (wanted('initialization')) {
    spec.initialization = initializationToEngine(plan.initialization as VmState['initialization']);
  }
  return spec;
}

/** Attributes that are parts of one engine object: when one is sent, the configured others go too. */
const GROUPS: readonly (readonly (keyof VmPlan)[])[] = [
  ['memory', 'maximum_memory', 'memory_guaranteed', 'memory_ballooning'],
  ['cpu_sockets', 'cpu_cores', 'cpu_threads'],
  ['placement_policy_affinity', 'placement_policy_host_ids'],
  ['high_availability', 'high_availability_priority'],
  ['huge_pages', 'custom_properties'],
  ['os_type', 'boot_devices'],
];

/** Optional attributes whose removal from the configuration clears them on the engine. */
const CLEARABLE: ReadonlySet<keyof VmPlan> = new Set([
  'description',
  'comment',
  'huge_pages',
  'custom_properties',
  'initialization',
]);

/** Attributes that never go to `PUT /vms/{id}` (identity, create-only, computed). */
const NOT_UPDATED: ReadonlySet<keyof VmPlan> = new Set([
  'id',
  'cluster_id',
  'template_id',
  'clone',
  'effective_template_id',
  'status',
  'pending_next_run',
  'template_disk_attachment_override',
  'source_vm_id',
  'source_snapshot_id',
]);

/**
 * Which attributes an update sends: the configured ones that changed, their configured group
 * mates, and cleared optional ones. `values` is the plan with unknowns replaced by prior state.
 */
export function updateSelection(config: VmPlan, values: VmPlan, state: VmState): (key: keyof VmPlan) => boolean {
  const configured = (k: keyof VmPlan) => config[k] !== null && !isUnknown(config[k]);
  const changed = (k: keyof VmPlan) => JSON.stringify(values[k]) !== JSON.stringify(state[k]);
  const picked = new Set<keyof VmPlan>();
  for (const k of Object.keys(values) as (keyof VmPlan)[]) {
    if (NOT_UPDATED.has(k) || !changed(k)) continue;
    if (configured(k) || CLEARABLE.has(k)) picked.add(k);
  }
  for (const g of GROUPS) if (g.some((k) => picked.has(k))) for (const k of g) if (configured(k)) picked.add(k);
  return (k) => picked.has(k);
}

/** The plan with unknown values replaced by the prior state (what the engine keeps when they are not sent). */
export function withPrior(plan: VmPlan, state: VmState): VmPlan {
  const prior = new Map(Object.entries(state));
  const out = { ...plan };
  for (const [name, value] of Object.entries(plan))
    if (isUnknown(value)) Object.assign(out, { [name]: prior.get(name) });
  return out;
}

/** Keeps memory within the maximum the engine will accept when only `memory` is managed. */
export function fitMaximum(spec: VmUpdateSpec, config: VmPlan, state: VmState | null): void {
  if (spec.memory === undefined || config.maximum_memory !== null) return;
  if (state?.maximum_memory !== null && state?.maximum_memory !== undefined && state.maximum_memory >= spec.memory)
    return;
  // The engine's own default: the VM may grow to four times its memory.
  spec.memory_policy = { ...spec.memory_policy, max: spec.memory * 4 };
}

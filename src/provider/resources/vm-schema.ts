/**
 * The schema of `ovirt_vm`. Everything the engine can change on an existing VM is updated in
 * place; only the cluster, the template, `clone` and the template disk overrides (which only
 * matter while the VM's disks are first copied) replace the VM.
 */
import {
  attr,
  block,
  schema,
  t,
  oneOf,
  between,
  lengthBetween,
  requiresReplaceIf,
  useStateForUnknown,
  type StateOf,
  type PlanOf,
  type ApplyPlanOf,
} from '../../tfplugin';
import { idAttribute, isUuid } from '../common';
import { BLANK_TEMPLATE_ID } from '../../ovirt/ids';

const MIB = 1024 * 1024;

const NEXT_RUN_NOTE =
  ' When the VM is running, the change is saved as the next-run configuration and takes effect ' +
  'at the next power-on (`pending_next_run` is then true); when it is down it takes effect at once.';

const ipv4 = {
  ipv4_address: attr.string({
    optional: true,
    description: 'Static IPv4 address (with `boot_protocol = "static"`).',
  }),
  ipv4_netmask: attr.string({
    optional: true,
    description: 'IPv4 netmask, e.g. `255.255.255.0`.',
  }),
  ipv4_gateway: attr.string({
    optional: true,
    description: 'IPv4 default gateway.',
  }),
  ipv6_address: attr.string({
    optional: true,
    description: 'Static IPv6 address (with `ipv6_boot_protocol = "static"`).',
  }),
  ipv6_prefix: attr.number({
    optional: true,
    description: 'IPv6 prefix length, e.g. 64.',
    validators: [between(1, 128)],
  }),
  ipv6_gateway: attr.string({
    optional: true,
    description: 'IPv6 default gateway.',
  }),
};

const nicConfiguration = block.list(
  {
    attributes: {
      name: attr.string({
        required: true,
        description: 'Guest interface name, e.g. `eth0` or `ens3`.',
      }),
      boot_protocol: attr.string({
        optional: true,
        computed: true,
        default: 'static',
        description: 'IPv4 configuration: `static`, `dhcp` or `none`.',
        validators: [oneOf('static', 'dhcp', 'none')],
      }),
      ipv6_boot_protocol: attr.string({
        optional: true,
        description: 'IPv6 configuration: `static`, `dhcp`, `autoconf` or `none`. Unset: no IPv6 configuration.',
        validators: [oneOf('static', 'dhcp', 'autoconf', 'none')],
      }),
      on_boot: attr.bool({
        optional: true,
        computed: true,
        default: true,
        description: 'Bring the interface up at boot.',
      }),
      ...ipv4,
    },
  },
  { description: 'Network configuration of one guest interface, written by cloud-init.' },
);

/** The `initialization` block: cloud-init (or Ignition through the custom script). */
const initialization = block.single(
  {
    attributes: {
      custom_script: attr.string({
        optional: true,
        sensitive: true,
        description:
          'Raw cloud-init user data, or an Ignition config as JSON for CoreOS/RHCOS guests (the OpenShift installer passes Ignition this way). Sensitive: it often carries secrets.',
      }),
      hostname: attr.string({
        optional: true,
        description: 'Host name the guest sets at first boot.',
      }),
      authorized_ssh_keys: attr.string({
        optional: true,
        description: 'SSH public keys (one per line) authorized for `user_name` (root when unset).',
      }),
      user_name: attr.string({
        optional: true,
        description: 'User whose password and SSH keys are set.',
      }),
      root_password: attr.string({
        optional: true,
        sensitive: true,
        description: 'Password set for `user_name`.',
      }),
      timezone: attr.string({
        optional: true,
        description: 'Guest time zone, e.g. `Etc/UTC`.',
      }),
      dns_servers: attr.list(t.string, {
        optional: true,
        description: 'DNS servers written to the guest resolver configuration.',
      }),
      dns_search: attr.list(t.string, {
        optional: true,
        description: 'DNS search domains.',
      }),
    },
    blocks: { nic_configuration: nicConfiguration },
  },
  {
    description:
      'Initial guest configuration applied by cloud-init (or Ignition) at the first boot. Updated in place: the engine stores it and the guest applies it when it next runs its initialization. A VM created without this block keeps what its template holds; removing the block clears it.',
  },
);

/** One `template_disk_attachment_override` block. */
const diskOverride = block.set(
  {
    attributes: {
      disk_id: attr.string({
        required: true,
        forceNew: true,
        description: 'Id of the template disk whose copy this block configures.',
        validators: [isUuid],
      }),
      format: attr.string({
        optional: true,
        forceNew: true,
        description: "Format of the VM's copy: `cow` (qcow2) or `raw`.",
        validators: [oneOf('cow', 'raw')],
      }),
      sparse: attr.bool({
        optional: true,
        forceNew: true,
        description: 'Thin-provision the copy (true) or preallocate it (false).',
      }),
      storage_domain_id: attr.string({
        optional: true,
        forceNew: true,
        description: 'Storage domain of the copy (needs `clone = true` unless the template disk is already there).',
        validators: [isUuid],
      }),
    },
  },
  {
    description:
      'Per-disk settings of the disks copied from the template. They only apply while the VM is created, so a change replaces the VM.',
  },
);

/** Keeps an imported VM (whose create-time inputs are unknown) from being replaced because of them. */
const createOnly = <V>() =>
  requiresReplaceIf<V>('Changing this replaces the VM (it only applies at creation).', (req) => req.state !== null);

/** Schema of `ovirt_vm`. */
export const vmSchema = schema({
  attributes: {
    id: idAttribute('The VM id.'),
    name: attr.string({
      required: true,
      description: 'VM name, unique in the data center. Updated in place.',
      validators: [lengthBetween(1, 255)],
    }),
    description: attr.string({
      optional: true,
      description: 'Free-text description. Updated in place.',
    }),
    comment: attr.string({
      optional: true,
      description: 'Free-text comment. Updated in place.',
    }),
    cluster_id: attr.string({
      required: true,
      forceNew: true,
      description: 'Cluster the VM runs in. Changing it replaces the VM.',
      validators: [isUuid],
    }),
    template_id: attr.string({
      optional: true,
      computed: true,
      default: BLANK_TEMPLATE_ID,
      description: 'Template the VM is created from (default: the Blank template). Changing it replaces the VM.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    clone: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        "Copy the template's disks into independent disks (true) instead of thin copy-on-write layers over them (false). Changing it replaces the VM.",
      planModifiers: [createOnly<boolean>()],
    }),
    source_vm_id: attr.string({
      optional: true,
      description:
        "Make the VM as a clone of this VM (the engine's `clone` action; the source must be down, and the clone is made in the source's cluster): the source's configuration, NICs and independent copies of its disks, then the settings configured here. The apply waits until the copies are made, as for a create from a template. Conflicts with `template_id`, `clone` and `source_snapshot_id`. Changing it replaces the VM.",
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    source_snapshot_id: attr.string({
      optional: true,
      description:
        'Make the VM from this snapshot of another VM (the `snapshot_id` of an `ovirt_snapshot`): the configuration saved in the snapshot, NICs and independent copies of the disks it holds, with the settings configured here over them. The apply waits until the copies are made. Conflicts with `template_id`, `clone` and `source_vm_id`. Changing it replaces the VM.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    effective_template_id: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Template the VM depends on now: `template_id`, or the Blank template when the VM was cloned.',
    }),
    instance_type_id: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Instance type whose hardware profile the VM follows. Updated in place.',
      validators: [isUuid],
    }),
    vm_type: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Optimisation profile: `server`, `desktop` or `high_performance`. Updated in place.' + NEXT_RUN_NOTE,
      validators: [oneOf('server', 'desktop', 'high_performance')],
    }),
    os_type: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description:
        'Guest operating system type, one of the names the engine lists at `/ovirt-engine/api/operatingsystems`, e.g. `rhcos_x64`, `rhel_9x64`, `windows_2022`, `other`; checked at plan time against that list. Updated in place.' +
        NEXT_RUN_NOTE,
    }),
    memory: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Memory in bytes (e.g. 4294967296 for 4 GiB). Updated in place.' + NEXT_RUN_NOTE,
      validators: [between(MIB, 2 ** 53)],
    }),
    maximum_memory: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['memory', 'instance_type_id'] })],
      description:
        'Most memory the VM can be hot-plugged up to, in bytes (`memory_policy.max`). Must be at least `memory`. Updated in place.' +
        NEXT_RUN_NOTE,
      validators: [between(MIB, 2 ** 53)],
    }),
    memory_guaranteed: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['memory', 'instance_type_id'] })],
      description:
        'Memory the host guarantees the VM, in bytes (`memory_policy.guaranteed`). At most `memory`. Updated in place.',
      validators: [between(0, 2 ** 53)],
    }),
    memory_ballooning: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Enable the memory balloon device. Updated in place.' + NEXT_RUN_NOTE,
    }),
    cpu_sockets: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description:
        'Virtual CPU sockets. Updated in place (hot-plugged while running when the engine can).' + NEXT_RUN_NOTE,
      validators: [between(1, 4096)],
    }),
    cpu_cores: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Cores per socket. Updated in place.' + NEXT_RUN_NOTE,
      validators: [between(1, 4096)],
    }),
    cpu_threads: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Threads per core. Updated in place.' + NEXT_RUN_NOTE,
      validators: [between(1, 64)],
    }),
    cpu_mode: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'CPU mode: `custom`, `host_model` or `host_passthrough`. Updated in place.' + NEXT_RUN_NOTE,
      validators: [oneOf('custom', 'host_model', 'host_passthrough')],
    }),
    cpu_pinning: attr.map(t.string, {
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description:
        'Manual CPU pinning: vCPU index (from 0) to the host CPUs it may run on, in the engine\'s notation (`"0" = "2"`, `"1" = "0-3,^2"`), the engine\'s `cpu.cpu_tune.vcpu_pins`. Checked at plan time (indexes below cpu_sockets x cpu_cores x cpu_threads, CPU list syntax). Unset: not managed, and it reads back whatever pinning the VM has (e.g. from `ovirt_vm_optimize_cpu_settings`, which should then be the only thing pinning this VM); `{}` clears the pinning. The engine pins only a VM placed on specific hosts (`placement_policy_host_ids`). Updated in place.' +
        NEXT_RUN_NOTE,
    }),
    boot_devices: attr.list(t.string, {
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Boot order, from `hd`, `network` and `cdrom`. Updated in place.' + NEXT_RUN_NOTE,
    }),
    high_availability: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Restart the VM on another host when its host fails. Updated in place.',
    }),
    high_availability_priority: attr.number({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Restart priority among highly available VMs (higher first). Updated in place.',
      validators: [between(0, 100)],
    }),
    placement_policy_affinity: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Migration policy: `migratable`, `user_migratable` or `pinned`. Updated in place.',
      validators: [oneOf('migratable', 'user_migratable', 'pinned')],
    }),
    placement_policy_host_ids: attr.set(t.string, {
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Hosts the VM may run on (empty: any host of the cluster). Updated in place.',
    }),
    serial_console: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Enable the VirtIO serial console. Updated in place.' + NEXT_RUN_NOTE,
    }),
    soundcard_enabled: attr.bool({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['instance_type_id'] })],
      description: 'Add a sound card. Updated in place.' + NEXT_RUN_NOTE,
    }),
    huge_pages: attr.number({
      optional: true,
      description:
        'Huge page size in KiB backing the VM memory: 2048 or 1048576 (sent as the `hugepages` custom property). Updated in place.' +
        NEXT_RUN_NOTE,
      validators: [oneOf(2048, 1048576)],
    }),
    custom_properties: attr.map(t.string, {
      optional: true,
      description:
        "VM custom properties (name to value) as the engine's scheduling and hook settings define them; `hugepages` is managed by `huge_pages`. Updated in place.",
    }),
    host_id: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown({ unless: ['placement_policy_host_ids'] })],
      description:
        'Host the VM runs on (empty while it is down). When `placement_policy_host_ids` changes so that this host is no longer allowed, a running VM is live-migrated to the first allowed host (by id) and the apply waits until it runs there.',
    }),
    status: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description:
        'Engine status of the VM at the last refresh (`down`, `up`, `image_locked`, ...). Power state is managed by `ovirt_vm_start`.',
    }),
    pending_next_run: attr.bool({
      computed: true,
      description:
        'True when changes are saved as the next-run configuration and wait for the VM to be powered off and on.',
    }),
  },
  blocks: {
    initialization,
    template_disk_attachment_override: diskOverride,
  },
});

/** Known state of an `ovirt_vm`. */
export type VmState = StateOf<typeof vmSchema>;
/** Plan or config of an `ovirt_vm` (values may be unknown). */
export type VmPlan = PlanOf<typeof vmSchema>;
/** Plan of an `ovirt_vm` at apply time (only computed values may be unknown). */
export type VmApplyPlan = ApplyPlanOf<typeof vmSchema>;

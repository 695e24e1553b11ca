/**
 * The seed inventory: one data center, one cluster, three hosts, an NFS data domain and an iSCSI (block)
 * data domain, the ovirtmgmt network and vNIC profile, the Blank template and an RHCOS-like template
 * with one disk. Ids are fixed so configurations can name them. A JSON file can replace any part.
 */
import * as fs from 'node:fs';
import { SimError } from '../errors';
import { Tree } from './repr';
import { Entity, KINDS, Kind, Store, ref } from './store';

/** Fixed ids of the seed objects. */
export const SEED_IDS = {
  datacenter: '5a1e0000-0000-4000-8000-00000000dc01',
  cluster: '5a1e0000-0000-4000-8000-0000000c1001',
  hosts: [
    '5a1e0000-0000-4000-8000-0000000a0001',
    '5a1e0000-0000-4000-8000-0000000a0002',
    '5a1e0000-0000-4000-8000-0000000a0003',
  ],
  nfsDomain: '5a1e0000-0000-4000-8000-000000005d01',
  blockDomain: '5a1e0000-0000-4000-8000-000000005d02',
  network: '5a1e0000-0000-4000-8000-000000000e01',
  vnicProfile: '5a1e0000-0000-4000-8000-000000000f01',
  macPool: '5a1e0000-0000-4000-8000-000000000b01',
  blankTemplate: '00000000-0000-0000-0000-000000000000',
  rhcosTemplate: '5a1e0000-0000-4000-8000-0000000e0001',
  rhcosDisk: '5a1e0000-0000-4000-8000-0000000d0001',
} as const;

const GiB = 1024 ** 3;
const CREATED = '2024-01-01T00:00:00.000+00:00';

function ent(kind: Kind, id: string, data: Tree, parent?: string): Entity {
  return { kind, id, parent, data, meta: {} };
}

/** VM-like settings shared by templates and the VMs made from them (the engine's VmBase). */
export function vmBase(name: string, memory: number): Tree {
  return {
    name,
    description: '',
    comment: '',
    bios: { boot_menu: { enabled: false }, type: 'q35_sea_bios' },
    cpu: { architecture: 'x86_64', topology: { cores: 1, sockets: 1, threads: 1 } },
    cpu_shares: 0,
    creation_time: CREATED,
    delete_protected: false,
    display: {
      allow_override: false,
      copy_paste_enabled: true,
      disconnect_action: 'LOCK_SCREEN',
      file_transfer_enabled: true,
      monitors: 1,
      single_qxl_pci: false,
      smartcard_enabled: false,
      type: 'vnc',
    },
    high_availability: { enabled: false, priority: 0 },
    io: { threads: 1 },
    large_icon: {
      href: '/ovirt-engine/api/icons/5a1e0000-0000-4000-8000-00000000c101',
      id: '5a1e0000-0000-4000-8000-00000000c101',
    },
    memory,
    memory_policy: { ballooning: true, guaranteed: memory, max: memory * 4 },
    migration: { auto_converge: 'inherit', compressed: 'inherit' },
    migration_downtime: -1,
    multi_queues_enabled: true,
    origin: 'ovirt',
    os: { boot: { devices: { device: ['hd'] } }, type: 'other' },
    placement_policy: { affinity: 'migratable' },
    small_icon: {
      href: '/ovirt-engine/api/icons/5a1e0000-0000-4000-8000-00000000c102',
      id: '5a1e0000-0000-4000-8000-00000000c102',
    },
    soundcard_enabled: false,
    console: { enabled: false },
    sso: { methods: { method: [{ id: 'guest_agent' }] } },
    start_paused: false,
    stateless: false,
    storage_error_resume_behaviour: 'auto_resume',
    time_zone: { name: 'Etc/GMT' },
    type: 'server',
    usb: { enabled: false },
  };
}

function template(id: string, name: string, memory: number, os: string, versionName: string, count: number): Entity {
  const data: Tree = {
    ...vmBase(name, memory),
    cluster: ref('clusters', SEED_IDS.cluster),
    cpu_profile: {
      href: '/ovirt-engine/api/cpuprofiles/5a1e0000-0000-4000-8000-00000000cf01',
      id: '5a1e0000-0000-4000-8000-00000000cf01',
    },
    status: 'ok',
    version: { base_template: ref('templates', id), version_name: versionName, version_number: count },
  };
  (data.os as Tree).type = os;
  if (id === SEED_IDS.blankTemplate) data.description = 'Blank template';
  return ent('templates', id, data);
}

function host(id: string, index: number): Entity {
  return ent('hosts', id, {
    name: `host${index}`,
    description: '',
    comment: '',
    address: `192.0.2.${10 + index}`,
    auto_numa_status: 'disable',
    certificate: { organization: 'sim.local', subject: `O=sim.local,CN=host${index}.sim.local` },
    cluster: ref('clusters', SEED_IDS.cluster),
    cpu: {
      name: 'Intel Xeon Processor (Cascadelake)',
      speed: 2400,
      topology: { cores: 8, sockets: 2, threads: 2 },
      type: 'Intel Cascadelake Server Family',
    },
    device_passthrough: { enabled: false },
    external_status: 'ok',
    hardware_information: {
      family: 'sim',
      manufacturer: 'oVirt',
      product_name: 'Simulated Host',
      serial_number: `SIM${index}`,
      supported_rng_sources: { supported_rng_source: ['urandom'] },
      uuid: id,
      version: '1.0',
    },
    iscsi: { initiator: `iqn.1994-05.com.redhat:host${index}` },
    kdump_status: 'disabled',
    ksm: { enabled: false },
    libvirt_version: { build: 0, full_version: 'libvirt-8.0.0', major: 8, minor: 0, revision: 0 },
    max_scheduling_memory: 250 * GiB,
    memory: 256 * GiB,
    numa_supported: true,
    os: {
      custom_kernel_cmdline: '',
      reported_kernel_cmdline: 'ro quiet',
      type: 'RHEL',
      version: { full_version: '8 - 1', major: 8, minor: 6 },
    },
    port: 54321,
    power_management: { automatic_pm_enabled: true, enabled: false, kdump_detection: true, pm_proxies: {} },
    protocol: 'stomp',
    se_linux: { mode: 'enforcing' },
    spm: { priority: 5, status: index === 1 ? 'spm' : 'none' },
    ssh: { fingerprint: `SHA256:sim${index}`, port: 22 },
    status: 'up',
    summary: { active: 0, migrating: 0, total: 0 },
    transparent_hugepages: { enabled: true },
    type: 'rhel',
    update_available: false,
    version: { build: 0, full_version: 'vdsm-4.50.0', major: 4, minor: 50, revision: 0 },
    vgpu_placement: 'consolidated',
  });
}

function domain(id: string, name: string, storage: Tree): Entity {
  return ent('storagedomains', id, {
    name,
    description: '',
    comment: '',
    available: 900 * GiB,
    backup: false,
    block_size: 512,
    committed: 0,
    critical_space_action_blocker: 5,
    data_centers: { data_center: [ref('datacenters', SEED_IDS.datacenter)] },
    discard_after_delete: false,
    external_status: 'ok',
    master: storage.type === 'nfs',
    status: 'active',
    storage,
    storage_format: 'v5',
    supports_discard: false,
    supports_discard_zeroes_data: false,
    type: 'data',
    used: 100 * GiB,
    warning_low_space_indicator: 10,
    wipe_after_delete: false,
  });
}

function inventory(): Entity[] {
  const dc = ent('datacenters', SEED_IDS.datacenter, {
    name: 'Default',
    description: 'The default Data Center',
    comment: '',
    local: false,
    mac_pool: ref('macpools', SEED_IDS.macPool),
    quota_mode: 'disabled',
    status: 'up',
    storage_format: 'v5',
    supported_versions: { version: [{ major: 4, minor: 7 }] },
    version: { major: 4, minor: 7 },
  });
  const cluster = ent('clusters', SEED_IDS.cluster, {
    name: 'Default',
    description: 'The default server cluster',
    comment: '',
    ballooning_enabled: true,
    cpu: { architecture: 'x86_64', type: 'Intel Cascadelake Server Family' },
    custom_scheduling_policy_properties: { property: [{ name: 'HighUtilization', value: '80' }] },
    data_center: ref('datacenters', SEED_IDS.datacenter),
    error_handling: { on_error: 'migrate' },
    fencing_policy: {
      enabled: true,
      skip_if_connectivity_broken: { enabled: false, threshold: 50 },
      skip_if_gluster_bricks_up: false,
      skip_if_gluster_quorum_not_met: false,
      skip_if_sd_active: { enabled: false },
    },
    firewall_type: 'firewalld',
    gluster_service: false,
    ha_reservation: false,
    ksm: { enabled: true, merge_across_nodes: true },
    log_max_memory_used_threshold: 95,
    log_max_memory_used_threshold_type: 'percentage',
    mac_pool: ref('macpools', SEED_IDS.macPool),
    memory_policy: { over_commit: { percent: 100 }, transparent_hugepages: { enabled: true } },
    migration: {
      auto_converge: 'inherit',
      bandwidth: { assignment_method: 'auto' },
      compressed: 'inherit',
      policy: { id: '80554327-0569-496b-bdeb-fcbbf52b827b' },
    },
    required_rng_sources: { required_rng_source: ['urandom'] },
    scheduling_policy: {
      href: '/ovirt-engine/api/schedulingpolicies/b4ed2332-a7ac-4d5f-9596-99a439cb2812',
      id: 'b4ed2332-a7ac-4d5f-9596-99a439cb2812',
    },
    switch_type: 'legacy',
    threads_as_cores: false,
    trusted_service: false,
    tunnel_migration: false,
    version: { major: 4, minor: 7 },
    virt_service: true,
  });
  const nfs = domain(SEED_IDS.nfsDomain, 'data-nfs', {
    address: 'nfs.sim.local',
    nfs_version: 'auto',
    path: '/exports/data',
    type: 'nfs',
  });
  const block = domain(SEED_IDS.blockDomain, 'data-iscsi', {
    type: 'iscsi',
    volume_group: { id: 'sim-vg-1', logical_units: { logical_unit: [] } },
  });
  const net = ent('networks', SEED_IDS.network, {
    name: 'ovirtmgmt',
    description: 'Management Network',
    comment: '',
    data_center: ref('datacenters', SEED_IDS.datacenter),
    mtu: 0,
    stp: false,
    usages: { usage: ['management', 'vm'] },
  });
  const profile = ent('vnicprofiles', SEED_IDS.vnicProfile, {
    name: 'ovirtmgmt',
    description: '',
    network: ref('networks', SEED_IDS.network),
    network_filter: {
      href: '/ovirt-engine/api/networkfilters/5a1e0000-0000-4000-8000-00000000f101',
      id: '5a1e0000-0000-4000-8000-00000000f101',
    },
    pass_through: { mode: 'disabled' },
    port_mirroring: false,
  });
  const macPool = ent('macpools', SEED_IDS.macPool, {
    name: 'Default',
    description: 'Default MAC pool',
    allow_duplicates: false,
    default_pool: true,
    ranges: { range: [{ from: '56:6f:5a:1e:00:00', to: '56:6f:5a:1e:ff:ff' }] },
  });
  const blank = template(SEED_IDS.blankTemplate, 'Blank', GiB, 'other', '', 0);
  delete blank.data.cluster;
  const rhcos = template(SEED_IDS.rhcosTemplate, 'rhcos-template', 16 * GiB, 'rhcos_x64', 'base version', 1);
  const disk = ent('disks', SEED_IDS.rhcosDisk, templateDisk());
  const att = ent(
    'diskattachments',
    SEED_IDS.rhcosDisk,
    {
      active: true,
      bootable: true,
      interface: 'virtio_scsi',
      pass_discard: false,
      read_only: false,
      uses_scsi_reservation: false,
      disk: ref('disks', SEED_IDS.rhcosDisk),
      template: ref('templates', SEED_IDS.rhcosTemplate),
      vm: ref('vms', SEED_IDS.rhcosTemplate),
    },
    SEED_IDS.rhcosTemplate,
  );
  att.meta.owner = 'templates';
  disk.meta.template = SEED_IDS.rhcosTemplate;
  return [
    dc,
    cluster,
    ...SEED_IDS.hosts.map((id, i) => host(id, i + 1)),
    nfs,
    block,
    net,
    profile,
    macPool,
    blank,
    rhcos,
    disk,
    att,
    ...instanceTypes(),
    ...operatingSystems(),
    // The engine's root tag, the parent of every tag (the API root names it).
    ent('tags', '00000000-0000-0000-0000-000000000000', { name: 'root', description: 'root' }),
  ];
}

function templateDisk(): Tree {
  return {
    name: 'rhcos-disk',
    description: '',
    actual_size: 2 * GiB,
    alias: 'rhcos-disk',
    backup: 'none',
    content_type: 'data',
    format: 'cow',
    image_id: '5a1e0000-0000-4000-8000-0000000d1001',
    propagate_errors: false,
    provisioned_size: 16 * GiB,
    qcow_version: 'qcow2_v3',
    shareable: false,
    sparse: true,
    status: 'ok',
    storage_type: 'image',
    total_size: 2 * GiB,
    wipe_after_delete: false,
    disk_profile: {
      href: '/ovirt-engine/api/diskprofiles/5a1e0030-0000-4000-8000-000000005d01',
      id: '5a1e0030-0000-4000-8000-000000005d01',
    },
    quota: { id: '5a1e0000-0000-4000-8000-00000000a001' },
    storage_domains: { storage_domain: [ref('storagedomains', SEED_IDS.nfsDomain)] },
  };
}

/**
 * The engine's guest operating systems (its osinfo), by the names the API uses for `os.type`; ids
 * are the engine's numeric osinfo ids. A representative x86_64 subset of what 4.4/4.5 engines list.
 */
function operatingSystems(): Entity[] {
  const os: Array<[string, number, string]> = [
    ['other', 0, 'Other OS'],
    ['other_linux', 5, 'Linux'],
    ['rhel_6x64', 19, 'Red Hat Enterprise Linux 6.x x64'],
    ['rhel_7x64', 24, 'Red Hat Enterprise Linux 7.x x64'],
    ['rhel_8x64', 33, 'Red Hat Enterprise Linux 8.x x64'],
    ['rhel_9x64', 37, 'Red Hat Enterprise Linux 9.x x64'],
    ['rhcos_x64', 1003, 'Red Hat Enterprise Linux CoreOS'],
    ['debian_9', 1301, 'Debian 9+'],
    ['ubuntu_18_04', 1259, 'Ubuntu Bionic Beaver LTS'],
    ['sles_12', 1194, 'SUSE Linux Enterprise Server 12+'],
    ['windows_10x64', 27, 'Windows 10 x64'],
    ['windows_2016x64', 29, 'Windows 2016 x64'],
    ['windows_2019x64', 31, 'Windows 2019 x64'],
    ['windows_2022', 35, 'Windows 2022'],
    ['windows_11', 36, 'Windows 11'],
  ];
  return os.map(([name, id, description]) =>
    ent('operatingsystems', String(id), { name, description, architecture: 'x86_64' }),
  );
}

function instanceTypes(): Entity[] {
  const sizes: Array<[string, string, number, number]> = [
    ['Tiny', '00000003-0003-0003-0003-0000000000be', 512, 1],
    ['Small', '00000005-0005-0005-0005-0000000002e6', 2048, 1],
    ['Medium', '00000007-0007-0007-0007-00000000010a', 4096, 2],
    ['Large', '00000009-0009-0009-0009-0000000000f1', 8192, 2],
    ['XLarge', '0000000b-000b-000b-000b-00000000021f', 16384, 4],
  ];
  return sizes.map(([name, id, mib, cpus]) =>
    ent('instancetypes', id, {
      name,
      description: `${name} instance type`,
      memory: mib * 1024 * 1024,
      memory_policy: { guaranteed: mib * 1024 * 1024, max: mib * 4 * 1024 * 1024 },
      cpu: { topology: { cores: 1, sockets: cpus, threads: 1 } },
      status: 'ok',
    }),
  );
}

/** Fills the store with the seed inventory, then with the entities of `overrideFile` (if any). */
export function seedStore(store: Store, overrideFile?: string): void {
  for (const e of inventory()) store.put(e);
  if (!overrideFile) return;
  let extra: Entity[];
  try {
    extra = JSON.parse(fs.readFileSync(overrideFile, 'utf8')) as Entity[];
  } catch (err) {
    throw new SimError('BAD_OPTIONS', `cannot read seed file ${overrideFile}: ${(err as Error).message}`);
  }
  if (!Array.isArray(extra))
    throw new SimError('BAD_OPTIONS', `seed file ${overrideFile} must hold a JSON array of entities`);
  for (const [i, e] of extra.entries()) {
    if (!KINDS.includes(e.kind) || typeof e.id !== 'string' || typeof e.data !== 'object' || e.data === null) {
      throw new SimError(
        'BAD_OPTIONS',
        `seed file ${overrideFile}, entry ${i}: needs kind (one of ${KINDS.join(', ')}), id and data`,
      );
    }
    store.put({ ...e, meta: e.meta ?? {} });
  }
}

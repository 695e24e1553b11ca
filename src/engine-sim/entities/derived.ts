/**
 * Collections the engine computes rather than stores: permissions, statistics, CD-ROMs, host NICs,
 * and the sub-collections that are empty on a simulated engine (watchdogs, host devices, ...). Each
 * answers a list and its items, so every link the simulator renders leads somewhere real.
 */
import { ADMIN_USER_ID, Sim } from '../engine/sim';
import { entityHref } from '../engine/render';
import { Tree, list, num, str } from '../store/repr';
import { Ctx, Reply, Route, SINGULAR } from '../engine/handler';
import { API, Entity, Kind, ref } from '../store/store';
import { EngineFault } from '../errors';

/** The engine's SuperUser role and the simulator's admin user. */
export const SUPERUSER_ROLE = '00000000-0000-0000-0000-000000000001';
const CPU_PROFILE = '5a1e0000-0000-4000-8000-00000000cf01';
const NETWORK_FILTER = '5a1e0000-0000-4000-8000-00000000f101';
const SCHEDULING_POLICY = 'b4ed2332-a7ac-4d5f-9596-99a439cb2812';
const QUOTA = '5a1e0000-0000-4000-8000-00000000a001';
const ICONS = ['5a1e0000-0000-4000-8000-00000000c101', '5a1e0000-0000-4000-8000-00000000c102'];
/** A 1x1 transparent PNG: what an icon's `data` holds (base64). */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** A stable id for the n-th derived item of an object: the object's id with its first group replaced. */
export function derivedId(ownerId: string, count: number): string {
  return `${(0x5a1e0000 + count).toString(16).padStart(8, '0')}${ownerId.slice(8)}`;
}

/** One derived collection: where it hangs, its element names and its items (without href). */
interface Derived {
  /** Path of the owner, e.g. `vms/{p}` or `vms/{vm}/nics/{p}`; '' for a top-level collection. */
  owner: string;
  /** Finds the owner of a request (undefined for top-level collections). */
  find?: (c: Ctx) => Entity;
  rel: string;
  root: string;
  item: string;
  items: (sim: Sim, owner?: Entity) => Tree[];
}

function byKind(kind: Kind): (c: Ctx) => Entity {
  return (c) => c.sim.must(kind, c.params.p);
}

/** `<vm href id/>` (or host, disk ...) pointing back at the owner. */
function back(owner: Entity): Tree {
  return { [SINGULAR[owner.kind]]: { href: entityHref(owner), id: owner.id } };
}

function permissions(_sim: Sim, owner?: Entity): Tree[] {
  return owner
    ? [
        {
          id: derivedId(owner.id, 0xff),
          role: ref2('roles', SUPERUSER_ROLE),
          user: ref2('users', ADMIN_USER_ID),
          ...back(owner),
        },
      ]
    : [];
}

function ref2(collection: string, id: string): Tree {
  return { href: `${API}/${collection}/${id}`, id };
}

type Stat = [name: string, description: string, unit: string, value: (sim: Sim, owner: Entity) => number];

const STATS: Partial<Record<Kind, Stat[]>> = {
  vms: [
    ['memory.installed', 'Total memory configured', 'bytes', (_s, o) => num(o.data, 'memory') ?? 0],
    [
      'memory.used',
      'Memory used (agent)',
      'bytes',
      (_s, o) => (str(o.data, 'status') === 'up' ? Math.floor((num(o.data, 'memory') ?? 0) / 4) : 0),
    ],
    ['cpu.current.total', 'Total CPU used', 'percent', (_s, o) => (str(o.data, 'status') === 'up' ? 3 : 0)],
    [
      'elapsed.time',
      'Time elapsed since VM start',
      'seconds',
      (sim, owner) => {
        const text = str(owner.data, 'start_time');
        return text ? Math.max(0, Math.floor((sim.clock.now() - Date.parse(text)) / 1000)) : 0;
      },
    ],
  ],
  hosts: [
    ['memory.total', 'Total memory', 'bytes', (_s, o) => num(o.data, 'memory') ?? 0],
    [
      'memory.used',
      'Used memory',
      'bytes',
      (sim, owner) =>
        sim.store
          .list('vms')
          .filter((v) => str(v.data, 'host.id') === owner.id)
          .reduce((a, v) => a + (num(v.data, 'memory') ?? 0), 0),
    ],
    ['cpu.current.user', 'CPU used by user', 'percent', () => 1],
  ],
  disks: [
    ['data.current.read', 'Read data rate', 'bytes_per_second', () => 0],
    ['data.current.write', 'Write data rate', 'bytes_per_second', () => 0],
  ],
  nics: [
    ['data.current.rx', 'Receive data rate', 'bytes_per_second', () => 0],
    ['data.current.tx', 'Transmit data rate', 'bytes_per_second', () => 0],
  ],
};

function statistics(sim: Sim, owner?: Entity): Tree[] {
  if (!owner) return [];
  return (STATS[owner.kind] ?? []).map(([name, description, unit, value], index) => ({
    id: derivedId(owner.id, index),
    name,
    description,
    kind: name === 'elapsed.time' ? 'counter' : 'gauge',
    type: unit === 'percent' ? 'decimal' : 'integer',
    unit,
    values: { value: [{ datum: value(sim, owner) }] },
    ...back(owner),
  }));
}

/** Host NICs: one per host, carrying the management network. */
function hostNics(_sim: Sim, host?: Entity): Tree[] {
  if (!host) return [];
  return [
    {
      id: derivedId(host.id, 0x10),
      name: 'eth0',
      boot_protocol: 'dhcp',
      bridged: true,
      mtu: 1500,
      speed: 10_000_000_000,
      status: 'up',
      mac: { address: `56:6f:5a:1e:ff:${host.id.slice(-2)}` },
      ip: { address: str(host.data, 'address') ?? '', netmask: '255.255.255.0', version: 'v4' },
      network: ref('networks', '5a1e0000-0000-4000-8000-000000000e01'),
      host: ref('hosts', host.id),
    },
  ];
}

function networkAttachments(sim: Sim, host?: Entity): Tree[] {
  if (!host) return [];
  const nic = hostNics(sim, host)[0];
  if (!nic) return [];
  return [
    {
      id: derivedId(host.id, 0x11),
      in_sync: true,
      network: ref('networks', '5a1e0000-0000-4000-8000-000000000e01'),
      host_nic: { href: `${entityHref(host)}/nics/${String(nic.id)}`, id: nic.id },
      host: ref('hosts', host.id),
    },
  ];
}

/** A cluster's networks: those of its data center, in the cluster form. */
function clusterNetworks(sim: Sim, cluster?: Entity): Tree[] {
  const dc = str(cluster?.data, 'data_center.id');
  return sim.store
    .list('networks')
    .filter((n) => str(n.data, 'data_center.id') === dc)
    .map((network) => ({
      ...network.data,
      id: network.id,
      display: false,
      required: true,
      cluster: ref('clusters', cluster?.id ?? ''),
    }));
}

function cdroms(_sim: Sim, owner?: Entity): Tree[] {
  return owner ? [{ id: '00000000-0000-0000-0000-000000000000', ...back(owner) }] : [];
}

function vmApplications(sim: Sim, vm?: Entity): Tree[] {
  if (!vm || !sim.store.list('reporteddevices', vm.id).length) return [];
  return ['kernel-5.14.0-284.el9', 'qemu-guest-agent-7.2.0'].map((name, index) => ({
    id: derivedId(vm.id, 0x20 + index),
    name,
    ...back(vm),
  }));
}

/** Reported devices of one VM NIC (those with its MAC). */
function nicReported(sim: Sim, nic?: Entity): Tree[] {
  if (!nic) return [];
  const mac = str(nic.data, 'mac.address');
  return sim.store
    .list('reporteddevices', nic.parent)
    .filter((d) => str(d.data, 'mac.address') === mac)
    .map((d) => ({ ...d.data, id: d.id }));
}

function domainTemplates(sim: Sim, sd?: Entity): Tree[] {
  return holders(sim, 'templates', sd);
}

function domainVms(sim: Sim, sd?: Entity): Tree[] {
  return holders(sim, 'vms', sd);
}

/** VMs or templates that have a disk on storage domain `sd`. */
function holders(sim: Sim, kind: 'vms' | 'templates', sd?: Entity): Tree[] {
  const onDomain = new Set(
    sim.store
      .list('disks')
      .filter((d) => list(d.data, 'storage_domains.storage_domain').some((r) => r.id === sd?.id))
      .map((d) => d.id),
  );
  return sim.store
    .list(kind)
    .filter((o) => sim.store.list('diskattachments', o.id).some((a) => onDomain.has(a.id)))
    .map((o) => ({ id: o.id, name: o.data.name, storage_domain: ref('storagedomains', sd?.id ?? '') }));
}

const none = (): Tree[] => [];

function fixed(items: Tree[]): () => Tree[] {
  return () => items;
}

/** Every derived collection, by owner path. */
const DERIVED: Derived[] = [
  ...(
    [
      'vms',
      'templates',
      'disks',
      'clusters',
      'hosts',
      'storagedomains',
      'datacenters',
      'networks',
      'vnicprofiles',
    ] as Kind[]
  ).map((kind): Derived => ({
    owner: `${kind}/{p}`,
    find: byKind(kind),
    rel: 'permissions',
    root: 'permissions',
    item: 'permission',
    items: permissions,
  })),
  ...(['vms', 'hosts', 'disks'] as Kind[]).map((kind): Derived => ({
    owner: `${kind}/{p}`,
    find: byKind(kind),
    rel: 'statistics',
    root: 'statistics',
    item: 'statistic',
    items: statistics,
  })),
  {
    owner: 'vms/{vm}/nics/{p}',
    find: (c) => c.sim.must('nics', c.params.p, c.params.vm),
    rel: 'statistics',
    root: 'statistics',
    item: 'statistic',
    items: statistics,
  },
  {
    owner: 'vms/{vm}/nics/{p}',
    find: (c) => c.sim.must('nics', c.params.p, c.params.vm),
    rel: 'reporteddevices',
    root: 'reported_devices',
    item: 'reported_device',
    items: nicReported,
  },
  {
    owner: 'vms/{vm}/nics/{p}',
    find: (c) => c.sim.must('nics', c.params.p, c.params.vm),
    rel: 'networkfilterparameters',
    root: 'network_filter_parameters',
    item: 'network_filter_parameter',
    items: none,
  },
  ...(['vms', 'templates'] as Kind[]).flatMap((kind): Derived[] => [
    { owner: `${kind}/{p}`, find: byKind(kind), rel: 'cdroms', root: 'cdroms', item: 'cdrom', items: cdroms },
    { owner: `${kind}/{p}`, find: byKind(kind), rel: 'watchdogs', root: 'watchdogs', item: 'watchdog', items: none },
  ]),
  {
    owner: 'vms/{p}',
    find: byKind('vms'),
    rel: 'applications',
    root: 'applications',
    item: 'application',
    items: vmApplications,
  },
  ...(
    [
      ['hostdevices', 'host_devices', 'host_device'],
      ['numanodes', 'vm_numa_nodes', 'vm_numa_node'],
      ['sessions', 'sessions', 'session'],
      ['affinitylabels', 'affinity_labels', 'affinity_label'],
      ['katelloerrata', 'katello_errata', 'katello_erratum'],
    ] as const
  ).map(([rel, root, item]): Derived => ({ owner: 'vms/{p}', find: byKind('vms'), rel, root, item, items: none })),
  { owner: 'hosts/{p}', find: byKind('hosts'), rel: 'nics', root: 'host_nics', item: 'host_nic', items: hostNics },
  {
    owner: 'hosts/{p}',
    find: byKind('hosts'),
    rel: 'networkattachments',
    root: 'network_attachments',
    item: 'network_attachment',
    items: networkAttachments,
  },
  ...(
    [
      ['fenceagents', 'agents', 'agent'],
      ['devices', 'host_devices', 'host_device'],
      ['hooks', 'hooks', 'hook'],
      ['numanodes', 'host_numa_nodes', 'host_numa_node'],
      ['storage', 'host_storages', 'host_storage'],
      ['unmanagednetworks', 'unmanaged_networks', 'unmanaged_network'],
      ['affinitylabels', 'affinity_labels', 'affinity_label'],
      ['katelloerrata', 'katello_errata', 'katello_erratum'],
      ['tags', 'tags', 'tag'],
    ] as const
  ).map(([rel, root, item]): Derived => ({ owner: 'hosts/{p}', find: byKind('hosts'), rel, root, item, items: none })),
  ...([['backups', 'backups', 'backup']] as const).map(([rel, root, item]): Derived => ({
    owner: 'vms/{p}',
    find: byKind('vms'),
    rel,
    root,
    item,
    items: none,
  })),
  { owner: 'templates/{p}', find: byKind('templates'), rel: 'tags', root: 'tags', item: 'tag', items: none },
  ...(
    [
      [
        'externalnetworkproviderconfigurations',
        'external_network_provider_configurations',
        'external_network_provider_configuration',
      ],
      ['storageconnectionextensions', 'storage_connection_extensions', 'storage_connection_extension'],
    ] as const
  ).map(([rel, root, item]): Derived => ({ owner: 'hosts/{p}', find: byKind('hosts'), rel, root, item, items: none })),
  ...(
    [
      ['glusterhooks', 'gluster_hooks', 'gluster_hook'],
      ['glustervolumes', 'gluster_volumes', 'gluster_volume'],
      ['externalnetworkproviders', 'external_providers', 'external_provider'],
    ] as const
  ).map(([rel, root, item]): Derived => ({
    owner: 'clusters/{p}',
    find: byKind('clusters'),
    rel,
    root,
    item,
    items: none,
  })),
  {
    owner: 'clusters/{p}',
    find: byKind('clusters'),
    rel: 'networkfilters',
    root: 'network_filters',
    item: 'network_filter',
    items: () => [networkFilter()],
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'storageconnections',
    root: 'storage_connections',
    item: 'storage_connection',
    items: storageConnections,
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'disksnapshots',
    root: 'disk_snapshots',
    item: 'disk_snapshot',
    items: diskSnapshots,
  },
  {
    owner: 'datacenters/{p}',
    find: byKind('datacenters'),
    rel: 'iscsibonds',
    root: 'iscsi_bonds',
    item: 'iscsi_bond',
    items: none,
  },
  {
    owner: 'clusters/{p}',
    find: byKind('clusters'),
    rel: 'networks',
    root: 'networks',
    item: 'network',
    items: clusterNetworks,
  },
  {
    owner: 'clusters/{p}',
    find: byKind('clusters'),
    rel: 'cpuprofiles',
    root: 'cpu_profiles',
    item: 'cpu_profile',
    items: (_s, cl) => [cpuProfile(cl?.id)],
  },
  {
    owner: 'clusters/{p}',
    find: byKind('clusters'),
    rel: 'enabledfeatures',
    root: 'cluster_features',
    item: 'cluster_feature',
    items: none,
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'diskprofiles',
    root: 'disk_profiles',
    item: 'disk_profile',
    items: (_s, sd) => (sd ? [diskProfile(sd)] : []),
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'templates',
    root: 'templates',
    item: 'template',
    items: domainTemplates,
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'vms',
    root: 'vms',
    item: 'vm',
    items: domainVms,
  },
  {
    owner: 'storagedomains/{p}',
    find: byKind('storagedomains'),
    rel: 'files',
    root: 'files',
    item: 'file',
    items: none,
  },
  {
    owner: 'datacenters/{p}',
    find: byKind('datacenters'),
    rel: 'quotas',
    root: 'quotas',
    item: 'quota',
    items: (_s, dc) => [
      {
        id: QUOTA,
        name: 'Default',
        description: 'Default unlimited quota',
        data_center: ref('datacenters', dc?.id ?? ''),
      },
    ],
  },
  { owner: 'datacenters/{p}', find: byKind('datacenters'), rel: 'qoss', root: 'qoss', item: 'qos', items: none },
  {
    owner: 'networks/{p}',
    find: byKind('networks'),
    rel: 'networklabels',
    root: 'network_labels',
    item: 'network_label',
    items: none,
  },
  {
    owner: 'jobs/{p}',
    find: byKind('jobs'),
    rel: 'steps',
    root: 'steps',
    item: 'step',
    items: (_s, job) =>
      job
        ? [
            {
              id: derivedId(job.id, 1),
              description: job.data.description,
              number: 1,
              status: job.data.status,
              type: 'executing',
              start_time: job.data.start_time,
              end_time: job.data.end_time,
              external: false,
              job: ref('jobs', job.id),
            },
          ]
        : [],
  },
  ...(['vmlabels', 'hostlabels'] as const).map((rel): Derived => ({
    owner: 'clusters/{cluster}/affinitygroups/{p}',
    find: (c) => c.sim.must('affinitygroups', c.params.p, c.params.cluster),
    rel,
    root: 'affinity_labels',
    item: 'affinity_label',
    items: none,
  })),
  // Top-level collections that objects reference (cpu_profile, large_icon, scheduling_policy ...).
  {
    owner: '',
    rel: 'cpuprofiles',
    root: 'cpu_profiles',
    item: 'cpu_profile',
    items: (sim) =>
      sim.store
        .list('clusters')
        .slice(0, 1)
        .map((cl) => cpuProfile(cl.id)),
  },
  {
    owner: '',
    rel: 'diskprofiles',
    root: 'disk_profiles',
    item: 'disk_profile',
    items: (sim) => sim.store.list('storagedomains').map(diskProfile),
  },
  {
    owner: '',
    rel: 'icons',
    root: 'icons',
    item: 'icon',
    items: fixed(ICONS.map((id) => ({ id, data: PNG, media_type: 'image/png' }))),
  },
  { owner: '', rel: 'networkfilters', root: 'network_filters', item: 'network_filter', items: () => [networkFilter()] },
  {
    owner: '',
    rel: 'schedulingpolicies',
    root: 'scheduling_policies',
    item: 'scheduling_policy',
    items: fixed([{ id: SCHEDULING_POLICY, name: 'none', default_policy: true, locked: true }]),
  },
  {
    owner: '',
    rel: 'roles',
    root: 'roles',
    item: 'role',
    items: fixed([
      {
        id: SUPERUSER_ROLE,
        name: 'SuperUser',
        description: 'Roles management administrator',
        administrative: true,
        mutable: false,
      },
    ]),
  },
  {
    owner: '',
    rel: 'users',
    root: 'users',
    item: 'user',
    items: fixed([
      {
        id: ADMIN_USER_ID,
        name: 'admin',
        user_name: 'admin@internal',
        domain_entry_id: ADMIN_USER_ID,
        namespace: '*',
        principal: 'admin',
      },
    ]),
  },
];

function networkFilter(): Tree {
  return { id: NETWORK_FILTER, name: 'vdsm-no-mac-spoofing', version: { major: 4, minor: 0 } };
}

/** The connection of a file domain (NFS: address and path); block domains list their LUNs' targets. */
function storageConnections(_sim: Sim, sd?: Entity): Tree[] {
  if (!sd) return [];
  const type = str(sd.data, 'storage.type') ?? '';
  const conn: Tree =
    type === 'nfs'
      ? {
          address: str(sd.data, 'storage.address') ?? '',
          path: str(sd.data, 'storage.path') ?? '',
          nfs_version: 'auto',
        }
      : { address: '192.0.2.50', port: 3260, target: 'iqn.2024-01.local.sim:storage' };
  return [{ id: derivedId(sd.id, 0x40), type, ...conn }];
}

/** Volumes of regular snapshots whose disks live on the domain. */
function diskSnapshots(sim: Sim, sd?: Entity): Tree[] {
  return sim.store.list('snapshots').flatMap((snapshot) =>
    ((snapshot.meta.disks as Tree[] | undefined) ?? [])
      .filter((d) => list(d, 'storage_domains.storage_domain').some((r) => r.id === sd?.id))
      .map((tree) => ({
        id: String(tree.image_id),
        alias: tree.alias,
        provisioned_size: tree.provisioned_size,
        status: 'ok',
        disk: ref('disks', String(tree.id)),
        snapshot: { id: snapshot.id },
        storage_domain: ref('storagedomains', sd?.id ?? ''),
      })),
  );
}

function cpuProfile(clusterId: string | undefined): Tree {
  return {
    id: CPU_PROFILE,
    name: 'Default',
    description: 'Default unlimited cpu profile',
    cluster: ref('clusters', clusterId ?? ''),
  };
}

/** A storage domain's disk profile (the seed's template disk names the NFS domain's). */
function diskProfile(sd: Entity): Tree {
  return { id: derivedId(sd.id, 0x30), name: String(sd.data.name), storage_domain: ref('storagedomains', sd.id) };
}

/** The top-level derived collections, for the API root's links. */
export const TOP_LEVEL_DERIVED: string[] = DERIVED.filter((d) => !d.owner).map((d) => d.rel);

function withHref(base: string, tree: Tree): Tree {
  return { href: `${base}/${String(tree.id)}`, ...tree };
}

function routesOf(derived: Derived): Route[] {
  const prefix = derived.owner ? `${derived.owner}/${derived.rel}` : derived.rel;
  const itemsOf = (ctx: Ctx): { base: string; items: Tree[] } => {
    const owner = derived.find?.(ctx);
    return {
      base: owner ? `${entityHref(owner)}/${derived.rel}` : `${API}/${derived.rel}`,
      items: derived.items(ctx.sim, owner),
    };
  };
  return [
    {
      method: 'GET',
      pattern: prefix,
      handler: (ctx): Reply => {
        const { base, items } = itemsOf(ctx);
        return { root: derived.root, body: { [derived.item]: items.map((t) => withHref(base, t)) } };
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/{id}`,
      handler: (ctx): Reply => {
        const { base, items } = itemsOf(ctx);
        const hit = items.find((t) => t.id === ctx.params.id);
        if (!hit) throw new EngineFault(404, '');
        return { root: derived.item, body: withHref(base, hit) };
      },
    },
  ];
}

/** Routes of all derived collections. */
export const derivedRoutes: Route[] = DERIVED.flatMap(routesOf);

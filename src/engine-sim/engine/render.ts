/** Turns stored objects into the engine's representation: href, actions and links added. */
import { Tree } from '../store/repr';
import { Entity, Kind, hrefOf } from '../store/store';

/** Actions rendered on each kind, as the engine lists them; each one is answered (a walk test holds it to that). */
const ACTIONS: Partial<Record<Kind, string[]>> = {
  vms: [
    'detach',
    'export',
    'commitsnapshot',
    'clone',
    'reordermacaddresses',
    'logon',
    'maintenance',
    'previewsnapshot',
    'ticket',
    'thawfilesystems',
    'undosnapshot',
    'freezefilesystems',
    'cancelmigration',
    'reboot',
    'migrate',
    'shutdown',
    'start',
    'stop',
    'suspend',
    'autopincpuandnumanodes',
  ],
  templates: ['export'],
  disks: ['reduce', 'copy', 'export', 'move', 'sparsify', 'refreshlun'],
  clusters: ['resetemulatedmachine', 'upgrade', 'syncallnetworks'],
  hosts: [
    'refresh',
    'install',
    'activate',
    'deactivate',
    'upgrade',
    'unregisteredstoragedomainsdiscover',
    'upgradecheck',
    'syncallnetworks',
    'setupnetworks',
    'approve',
    'commitnetconfig',
    'enrollcertificate',
    'fence',
    'forceselectspm',
    'iscsidiscover',
    'iscsilogin',
  ],
  storagedomains: ['isattached', 'reduceluns', 'updateovfstore', 'refreshluns'],
  nics: ['activate', 'deactivate'],
  diskattachments: [],
  imagetransfers: ['cancel', 'extend', 'finalize', 'pause', 'resume'],
  snapshots: ['restore'],
};

/** Sub-collections rendered as links on each kind, as the engine lists them; each one is answered. */
const LINKS: Partial<Record<Kind, string[]>> = {
  vms: [
    'applications',
    'cdroms',
    'diskattachments',
    'watchdogs',
    'graphicsconsoles',
    'hostdevices',
    'nics',
    'numanodes',
    'sessions',
    'reporteddevices',
    'snapshots',
    'backups',
    'affinitylabels',
    'katelloerrata',
    'permissions',
    'tags',
    'statistics',
  ],
  templates: ['cdroms', 'diskattachments', 'graphicsconsoles', 'nics', 'permissions', 'tags', 'watchdogs'],
  disks: ['permissions', 'statistics'],
  clusters: [
    'affinitygroups',
    'glusterhooks',
    'glustervolumes',
    'enabledfeatures',
    'externalnetworkproviders',
    'cpuprofiles',
    'networkfilters',
    'networks',
    'permissions',
  ],
  hosts: [
    'fenceagents',
    'devices',
    'hooks',
    'nics',
    'numanodes',
    'storage',
    'networkattachments',
    'storageconnectionextensions',
    'unmanagednetworks',
    'externalnetworkproviderconfigurations',
    'affinitylabels',
    'katelloerrata',
    'permissions',
    'tags',
    'statistics',
  ],
  storagedomains: ['diskprofiles', 'disks', 'storageconnections', 'permissions', 'templates', 'vms', 'disksnapshots'],
  datacenters: ['clusters', 'iscsibonds', 'networks', 'permissions', 'quotas', 'qoss', 'storagedomains'],
  networks: ['networklabels', 'permissions', 'vnicprofiles'],
  vnicprofiles: ['permissions'],
  affinitygroups: ['vms', 'hosts', 'vmlabels', 'hostlabels'],
  jobs: ['steps'],
  nics: ['networkfilterparameters', 'reporteddevices', 'statistics'],
  snapshots: ['disks'],
};

const HEAD = ['name', 'description', 'comment'];

/** The href of a stored object. */
export function entityHref(entity: Entity): string {
  return hrefOf(entity.kind, entity.id, entity.parent, (entity.meta.owner as Kind | undefined) ?? 'vms');
}

/** The representation of one object (`data` may be a view that differs from the stored data). */
export function render(entity: Entity, data: Tree = entity.data): Tree {
  const href = entityHref(entity);
  const out: Tree = { href, id: entity.id };
  const actions = ACTIONS[entity.kind];
  if (actions && actions.length) out.actions = { link: actions.map((rel) => ({ href: `${href}/${rel}`, rel })) };
  for (const k of HEAD) if (data[k] !== undefined) out[k] = data[k];
  const links = LINKS[entity.kind];
  if (links && links.length) out.link = links.map((rel) => ({ href: `${href}/${rel}`, rel }));
  for (const [k, v] of Object.entries(data)) if (!HEAD.includes(k)) out[k] = v;
  return out;
}

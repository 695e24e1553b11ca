/**
 * The rest of the actions the engine advertises on VMs, templates, disks, hosts, clusters and
 * storage domains. Each does what the engine does on a simulated system: a plain success where the
 * engine would succeed, else the engine's own refusal (a simulated engine has no export domain,
 * VM pool, LUN disk or hosted-engine VM).
 */
import { incomplete, opFailed } from '../errors';
import { Tree, bool, list, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone } from '../engine/handler';
import { Entity, Kind } from '../store/store';

/** What an action checks before it succeeds; it throws the engine's fault to refuse. */
type Check = (c: Ctx, e: Entity) => void;

function act(kind: Kind, rel: string, service: string, check?: Check, result?: (c: Ctx, e: Entity) => Tree): Route {
  return {
    method: 'POST',
    pattern: `${kind}/{id}/${rel}`,
    root: 'action',
    service,
    handler: (ctx): Reply => {
      const entity = ctx.sim.must(kind, ctx.params.id);
      check?.(ctx, entity);
      return actionDone(result?.(ctx, entity));
    },
  };
}

const statusOf = (e: Entity): string => str(e.data, 'status') ?? '';
const name = (e: Entity): string => str(e.data, 'name') ?? '';

/** VM actions that need the VM running (`verb` fills the engine's text). */
const running =
  (verb: string): Check =>
  (_c, vm) => {
    if (statusOf(vm) !== 'up') throw opFailed(409, `Cannot ${verb} VM. VM is not running.`);
  };

/** Needs `path` in the action body: the engine's "Incomplete parameters" otherwise. */
const needs =
  (path: string, field: string, verb: string): Check =>
  (c) => {
    if (str(c.body, path) === undefined && sub(c.body, path) === undefined) throw incomplete('Action', field, verb);
  };

/** Export needs an export storage domain; the simulator has none, so a named domain is of the wrong type. */
const exportTo =
  (type: string): Check =>
  (ctx, entity) => {
    needs('storage_domain', 'storageDomain.id|name', 'export')(ctx, entity);
    const sd = ctx.sim.resolve(
      'storagedomains',
      sub(ctx.body, 'storage_domain'),
      `Cannot export ${type}. Storage Domain doesn't exist.`,
    ) as Entity;
    if (str(sd.data, 'type') !== 'export')
      throw opFailed(400, `Cannot export ${type}. Storage Domain type is illegal.`);
  };

const maintenanceOnly =
  (verb: string): Check =>
  (_c, host) => {
    if (statusOf(host) !== 'maintenance')
      throw opFailed(409, `Cannot ${verb} Host. Host is operational. Please switch Host to Maintenance mode first.`);
  };

const blockOnly =
  (verb: string): Check =>
  (_c, sd) => {
    if (!['iscsi', 'fcp'].includes(str(sd.data, 'storage.type') ?? ''))
      throw opFailed(400, `Cannot ${verb} Storage. Storage Domain type is illegal.`);
  };

/** Routes of the remaining advertised actions. */
export const moreActionRoutes: Route[] = [
  act('vms', 'detach', 'vm/methods/detach', () => {
    throw opFailed(409, 'Cannot detach VM from VM-Pool. VM is not attached to a VM-Pool.');
  }),
  act('vms', 'export', 'vm/methods/export', exportTo('VM')),
  act('vms', 'freezefilesystems', 'vm/methods/freeze_filesystems', running('freeze')),
  act('vms', 'thawfilesystems', 'vm/methods/thaw_filesystems', running('thaw')),
  act('vms', 'logon', 'vm/methods/logon', running('log on')),
  act('vms', 'maintenance', 'vm/methods/maintenance', (ctx, vm) => {
    needs('maintenance_enabled', 'maintenanceEnabled', 'maintenance')(ctx, vm);
    throw opFailed(409, `Cannot maintenance VM. VM ${name(vm)} is not a Hosted Engine VM.`);
  }),
  act('vms', 'reordermacaddresses', 'vm/methods/reorder_mac_addresses', (_c, vm) => {
    if (statusOf(vm) !== 'down') throw opFailed(409, 'Cannot reorder MAC addresses of VM. VM is running.');
  }),
  act('templates', 'export', 'template/methods/export', exportTo('Template')),
  act('disks', 'reduce', 'disk/methods/reduce', (ctx, disk) => {
    ctx.sim.assertUnlocked(disk, 'reduce');
    const sd = ctx.sim.must('storagedomains', String(list(disk.data, 'storage_domains.storage_domain')[0]?.id));
    if (!['iscsi', 'fcp'].includes(str(sd.data, 'storage.type') ?? '') || str(disk.data, 'format') !== 'cow') {
      throw opFailed(400, 'Cannot reduce Virtual Disk. Storage Domain type is illegal.');
    }
  }),
  act('disks', 'refreshlun', 'disk/methods/refresh_lun', (_c, disk) => {
    throw opFailed(
      400,
      `Cannot refresh Virtual Disk. Action is unsupported for the specified disk type (${str(disk.data, 'storage_type') === 'image' ? 'Image' : str(disk.data, 'storage_type')}).`,
    );
  }),
  act('disks', 'export', 'disk/methods/export', exportTo('Virtual Disk')),
  act('hosts', 'approve', 'host/methods/approve', () => {
    throw opFailed(
      409,
      'Cannot approve RHVH Host.\n-Host must be in "Pending Approval" or "Install Failed" status in order to be approved.',
    );
  }),
  act('hosts', 'commitnetconfig', 'host/methods/commit_net_config'),
  act('hosts', 'enrollcertificate', 'host/methods/enroll_certificate', maintenanceOnly('enroll certificate')),
  act('hosts', 'fence', 'host/methods/fence', (ctx, host) => {
    needs('fence_type', 'fenceType', 'fence')(ctx, host);
    if (!bool(host.data, 'power_management.enabled')) throw opFailed(409, 'Cannot fence Host, Host fence is disabled.');
  }),
  act('hosts', 'forceselectspm', 'host/methods/force_select_spm', (ctx, host) => {
    if (str(host.data, 'spm.status') === 'spm')
      throw opFailed(409, `Cannot force select SPM Host. The Host ${name(host)} is already SPM or contending.`);
    if (statusOf(host) !== 'up')
      throw opFailed(409, `Cannot force select SPM Host. The Host ${name(host)} is not active.`);
    for (const h of ctx.sim.store.list('hosts'))
      if (h.data.spm) (h.data.spm as Tree).status = h === host ? 'spm' : 'none';
  }),
  act('hosts', 'install', 'host/methods/install', (_c, host) => {
    if (statusOf(host) !== 'maintenance')
      throw opFailed(409, 'Cannot install Host. Please move Host to Maintenance mode first.');
  }),
  act(
    'hosts',
    'iscsidiscover',
    'host/methods/iscsi_discover',
    needs('iscsi.address', 'iscsi.address', 'iscsiDiscover'),
    () => ({ discovered_targets: {} }),
  ),
  act('hosts', 'iscsilogin', 'host/methods/iscsi_login', (ctx, host) => {
    needs('iscsi.address', 'iscsi.address', 'iscsiLogin')(ctx, host);
    needs('iscsi.target', 'iscsi.target', 'iscsiLogin')(ctx, host);
  }),
  act('hosts', 'setupnetworks', 'host/methods/setup_networks'),
  act('hosts', 'syncallnetworks', 'host/methods/sync_all_networks'),
  act(
    'hosts',
    'unregisteredstoragedomainsdiscover',
    'host/methods/unregistered_storage_domains_discover',
    undefined,
    () => ({ storage_domains: {} }),
  ),
  act('hosts', 'upgrade', 'host/methods/upgrade', (_c, host) => {
    host.data.update_available = false;
  }),
  act('hosts', 'upgradecheck', 'host/methods/upgrade_check'),
  act('clusters', 'resetemulatedmachine', 'cluster/methods/reset_emulated_machine'),
  act('clusters', 'syncallnetworks', 'cluster/methods/sync_all_networks'),
  act('clusters', 'upgrade', 'cluster/methods/upgrade', needs('upgrade_action', 'upgradeAction', 'upgrade')),
  act(
    'storagedomains',
    'isattached',
    'storage_domain/methods/is_attached',
    needs('host', 'host.id|name', 'isAttached'),
    (_c, sd) => ({ is_attached: (sd.data.data_centers as Tree | undefined) !== undefined }),
  ),
  act('storagedomains', 'reduceluns', 'storage_domain/methods/reduce_luns', (ctx, sd) => {
    blockOnly('reduce LUNs')(ctx, sd);
    needs('logical_units', 'logicalUnits', 'reduceLuns')(ctx, sd);
  }),
  act('storagedomains', 'refreshluns', 'storage_domain/methods/refresh_luns', blockOnly('refresh LUNs')),
  act('storagedomains', 'updateovfstore', 'storage_domain/methods/update_ovf_store'),
];

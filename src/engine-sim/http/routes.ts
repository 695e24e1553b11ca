/**
 * Every route of the engine API in one table, in matching order: method, pattern (`{name}` for a path
 * parameter), the body element and apidoc service of a write, and the handler. Families built from data
 * (read-only kinds, derived collections, the remaining actions) appear as one row each.
 */
import { Route, readOnly } from '../engine/handler';
import { Kind } from '../store/store';
import { getVm, listVms, removeVm, updateVm } from '../entities/vms';
import { rebootVm, shutdownVm, startVm, stopVm, suspendVm } from '../entities/vm-actions';
import {
  addNic,
  addVmTag,
  getVmsNics,
  listTemplatesNics,
  listVmsNics,
  listVmsReporteddevices,
  listVmsTags,
  removeVmsNics,
  removeVmsTags,
  updateNic,
} from '../entities/nics';
import {
  attachDisk,
  detachDisk,
  getTemplatesDiskattachments,
  getVmsDiskattachments,
  listTemplatesDiskattachments,
  listVmsDiskattachments,
  updateAttachment,
} from '../entities/attachments';
import {
  addDisk,
  getDisk,
  getStoragedomainsDisks,
  listDisks,
  listStoragedomainsDisks,
  removeDisk,
  putDisk,
} from '../entities/disks';
import { addTemplate, getTemplate, listTemplates, removeTemplate, updateTemplate } from '../entities/templates';
import {
  addGroup,
  addTag,
  addVnicProfile,
  getClustersAffinitygroups,
  listClustersAffinitygroups,
  listNetworksVnicprofiles,
  membership,
  removeOf,
  removeTag,
  underDc,
  updateGroup,
  updateTag,
} from '../entities/inventory';
import { derivedRoutes } from '../entities/derived';
import {
  commitSnapshot,
  addSnapshot,
  getVmsSnapshots,
  getVmsSnapshotsDisks,
  listVmsSnapshots,
  listVmsSnapshotsDisks,
  previewSnapshot,
  removeSnapshot,
  restoreSnapshot,
  undoSnapshot,
} from '../entities/snapshots';
import { addVm, cloneAction } from '../entities/clones';
import {
  activateHost,
  autoPin,
  cancelMigration,
  deactivateHost,
  migrateAction,
  refreshHost,
  ticketVm,
} from '../entities/vm-ops';
import {
  activateDatacentersStoragedomains,
  copyDisk,
  deactivateDatacentersStoragedomains,
  getDatacentersStoragedomains,
  listDatacentersStoragedomains,
  listDatacentersStoragedomainsDisks,
  moveDisk,
  sparsifyDisk,
} from '../entities/disk-ops';
import { activateVmsNics, deactivateVmsNics, consoleRoutes } from '../entities/consoles';
import { moreActionRoutes } from '../entities/more-actions';
import { addTransfer, cancelTransfer, finalizeTransfer, getTransfer, listTransfers } from '../entities/imagetransfers';

/** The consoleRoutes of `/ovirt-engine/api`. */
export const ROUTES: Route[] = [
  // vms.ts
  { method: 'GET', pattern: 'vms', handler: listVms },
  { method: 'GET', pattern: 'vms/{id}', handler: getVm },
  { method: 'PUT', pattern: 'vms/{id}', root: 'vm', service: 'vm/methods/update', handler: updateVm },
  { method: 'DELETE', pattern: 'vms/{id}', handler: removeVm },
  // vm-actions.ts
  { method: 'POST', pattern: 'vms/{id}/start', root: 'action', service: 'vm/methods/start', handler: startVm },
  { method: 'POST', pattern: 'vms/{id}/stop', root: 'action', service: 'vm/methods/stop', handler: stopVm },
  { method: 'POST', pattern: 'vms/{id}/shutdown', root: 'action', service: 'vm/methods/shutdown', handler: shutdownVm },
  { method: 'POST', pattern: 'vms/{id}/reboot', root: 'action', service: 'vm/methods/reboot', handler: rebootVm },
  { method: 'POST', pattern: 'vms/{id}/suspend', root: 'action', service: 'vm/methods/suspend', handler: suspendVm },
  // nics.ts
  { method: 'GET', pattern: 'vms/{vm}/nics', handler: listVmsNics },
  { method: 'POST', pattern: 'vms/{vm}/nics', root: 'nic', service: 'vm_nics/methods/add', handler: addNic },
  { method: 'GET', pattern: 'vms/{vm}/nics/{id}', handler: getVmsNics },
  { method: 'PUT', pattern: 'vms/{vm}/nics/{id}', root: 'nic', service: 'vm_nic/methods/update', handler: updateNic },
  { method: 'DELETE', pattern: 'vms/{vm}/nics/{id}', handler: removeVmsNics },
  { method: 'GET', pattern: 'templates/{vm}/nics', handler: listTemplatesNics },
  { method: 'GET', pattern: 'vms/{vm}/reporteddevices', handler: listVmsReporteddevices },
  { method: 'GET', pattern: 'vms/{vm}/tags', handler: listVmsTags },
  { method: 'POST', pattern: 'vms/{vm}/tags', root: 'tag', service: 'assigned_tags/methods/add', handler: addVmTag },
  { method: 'DELETE', pattern: 'vms/{vm}/tags/{id}', handler: removeVmsTags },
  // attachments.ts
  { method: 'GET', pattern: 'vms/{vm}/diskattachments', handler: listVmsDiskattachments },
  {
    method: 'POST',
    pattern: 'vms/{vm}/diskattachments',
    root: 'disk_attachment',
    service: 'disk_attachments/methods/add',
    handler: attachDisk,
  },
  { method: 'GET', pattern: 'vms/{vm}/diskattachments/{id}', handler: getVmsDiskattachments },
  {
    method: 'PUT',
    pattern: 'vms/{vm}/diskattachments/{id}',
    root: 'disk_attachment',
    service: 'disk_attachment/methods/update',
    handler: updateAttachment,
  },
  { method: 'DELETE', pattern: 'vms/{vm}/diskattachments/{id}', handler: detachDisk },
  { method: 'GET', pattern: 'templates/{t}/diskattachments', handler: listTemplatesDiskattachments },
  { method: 'GET', pattern: 'templates/{t}/diskattachments/{id}', handler: getTemplatesDiskattachments },
  // disks.ts
  { method: 'GET', pattern: 'disks', handler: listDisks },
  { method: 'POST', pattern: 'disks', root: 'disk', service: 'disks/methods/add', handler: addDisk },
  { method: 'GET', pattern: 'disks/{id}', handler: getDisk },
  { method: 'PUT', pattern: 'disks/{id}', root: 'disk', service: 'disk/methods/update', handler: putDisk },
  { method: 'DELETE', pattern: 'disks/{id}', handler: removeDisk },
  { method: 'GET', pattern: 'storagedomains/{id}/disks', handler: listStoragedomainsDisks },
  { method: 'GET', pattern: 'storagedomains/{sd}/disks/{id}', handler: getStoragedomainsDisks },
  // templates.ts
  { method: 'GET', pattern: 'templates', handler: listTemplates },
  { method: 'POST', pattern: 'templates', root: 'template', service: 'templates/methods/add', handler: addTemplate },
  { method: 'GET', pattern: 'templates/{id}', handler: getTemplate },
  {
    method: 'PUT',
    pattern: 'templates/{id}',
    root: 'template',
    service: 'template/methods/update',
    handler: updateTemplate,
  },
  { method: 'DELETE', pattern: 'templates/{id}', handler: removeTemplate },
  // inventory.ts
  ...(
    [
      'clusters',
      'hosts',
      'storagedomains',
      'datacenters',
      'networks',
      'instancetypes',
      'jobs',
      'macpools',
      'operatingsystems',
    ] as Kind[]
  ).flatMap(readOnly),
  underDc('clusters', 'data_center.id'),
  underDc('networks', 'data_center.id'),
  { method: 'GET', pattern: 'networks/{net}/vnicprofiles', handler: listNetworksVnicprofiles },
  ...readOnly('vnicprofiles'),
  {
    method: 'POST',
    pattern: 'vnicprofiles',
    root: 'vnic_profile',
    service: 'vnic_profiles/methods/add',
    handler: addVnicProfile,
  },
  { method: 'DELETE', pattern: 'vnicprofiles/{id}', handler: removeOf('vnicprofiles') },
  ...readOnly('tags'),
  { method: 'POST', pattern: 'tags', root: 'tag', service: 'tags/methods/add', handler: addTag },
  { method: 'PUT', pattern: 'tags/{id}', root: 'tag', service: 'tag/methods/update', handler: updateTag },
  { method: 'DELETE', pattern: 'tags/{id}', handler: removeTag },
  { method: 'GET', pattern: 'clusters/{cluster}/affinitygroups', handler: listClustersAffinitygroups },
  {
    method: 'POST',
    pattern: 'clusters/{cluster}/affinitygroups',
    root: 'affinity_group',
    service: 'affinity_groups/methods/add',
    handler: addGroup,
  },
  { method: 'GET', pattern: 'clusters/{cluster}/affinitygroups/{id}', handler: getClustersAffinitygroups },
  {
    method: 'PUT',
    pattern: 'clusters/{cluster}/affinitygroups/{id}',
    root: 'affinity_group',
    service: 'affinity_group/methods/update',
    handler: updateGroup,
  },
  { method: 'DELETE', pattern: 'clusters/{cluster}/affinitygroups/{id}', handler: removeOf('affinitygroups') },
  ...membership('vms'),
  ...membership('hosts'),
  ...derivedRoutes,
  // snapshots.ts
  { method: 'GET', pattern: 'vms/{vm}/snapshots', handler: listVmsSnapshots },
  {
    method: 'POST',
    pattern: 'vms/{vm}/snapshots',
    root: 'snapshot',
    service: 'snapshots/methods/add',
    handler: addSnapshot,
  },
  { method: 'GET', pattern: 'vms/{vm}/snapshots/{id}', handler: getVmsSnapshots },
  { method: 'DELETE', pattern: 'vms/{vm}/snapshots/{id}', handler: removeSnapshot },
  {
    method: 'POST',
    pattern: 'vms/{vm}/snapshots/{id}/restore',
    root: 'action',
    service: 'snapshot/methods/restore',
    handler: restoreSnapshot,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/previewsnapshot',
    root: 'action',
    service: 'vm/methods/preview_snapshot',
    handler: previewSnapshot,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/commitsnapshot',
    root: 'action',
    service: 'vm/methods/commit_snapshot',
    handler: commitSnapshot,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/undosnapshot',
    root: 'action',
    service: 'vm/methods/undo_snapshot',
    handler: undoSnapshot,
  },
  { method: 'GET', pattern: 'vms/{vm}/snapshots/{id}/disks', handler: listVmsSnapshotsDisks },
  { method: 'GET', pattern: 'vms/{vm}/snapshots/{s}/disks/{id}', handler: getVmsSnapshotsDisks },
  // clones.ts
  { method: 'POST', pattern: 'vms', root: 'vm', service: 'vms/methods/add', handler: addVm },
  { method: 'POST', pattern: 'vms/{id}/clone', root: 'action', service: 'vm/methods/clone', handler: cloneAction },
  // vm-ops.ts
  { method: 'POST', pattern: 'vms/{id}/ticket', root: 'action', service: 'vm/methods/ticket', handler: ticketVm },
  {
    method: 'POST',
    pattern: 'vms/{id}/migrate',
    root: 'action',
    service: 'vm/methods/migrate',
    handler: migrateAction,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/cancelmigration',
    root: 'action',
    service: 'vm/methods/cancel_migration',
    handler: cancelMigration,
  },
  {
    method: 'POST',
    pattern: 'vms/{id}/autopincpuandnumanodes',
    root: 'action',
    service: 'vm/methods/auto_pin_cpu_and_numa_nodes',
    handler: autoPin,
  },
  {
    method: 'POST',
    pattern: 'hosts/{id}/deactivate',
    root: 'action',
    service: 'host/methods/deactivate',
    handler: deactivateHost,
  },
  {
    method: 'POST',
    pattern: 'hosts/{id}/activate',
    root: 'action',
    service: 'host/methods/activate',
    handler: activateHost,
  },
  {
    method: 'POST',
    pattern: 'hosts/{id}/refresh',
    root: 'action',
    service: 'host/methods/refresh',
    handler: refreshHost,
  },
  // disk-ops.ts
  { method: 'POST', pattern: 'disks/{id}/move', root: 'action', service: 'disk/methods/move', handler: moveDisk },
  { method: 'POST', pattern: 'disks/{id}/copy', root: 'action', service: 'disk/methods/copy', handler: copyDisk },
  {
    method: 'POST',
    pattern: 'disks/{id}/sparsify',
    root: 'action',
    service: 'disk/methods/sparsify',
    handler: sparsifyDisk,
  },
  { method: 'GET', pattern: 'datacenters/{dc}/storagedomains', handler: listDatacentersStoragedomains },
  { method: 'GET', pattern: 'datacenters/{dc}/storagedomains/{id}', handler: getDatacentersStoragedomains },
  { method: 'GET', pattern: 'datacenters/{dc}/storagedomains/{id}/disks', handler: listDatacentersStoragedomainsDisks },
  {
    method: 'POST',
    pattern: 'datacenters/{dc}/storagedomains/{id}/activate',
    root: 'action',
    service: 'attached_storage_domain/methods/activate',
    handler: activateDatacentersStoragedomains,
  },
  {
    method: 'POST',
    pattern: 'datacenters/{dc}/storagedomains/{id}/deactivate',
    root: 'action',
    service: 'attached_storage_domain/methods/deactivate',
    handler: deactivateDatacentersStoragedomains,
  },
  // consoles.ts
  ...consoleRoutes('vms'),
  ...consoleRoutes('templates'),
  {
    method: 'POST',
    pattern: 'vms/{vm}/nics/{id}/activate',
    root: 'action',
    service: 'vm_nic/methods/activate',
    handler: activateVmsNics,
  },
  {
    method: 'POST',
    pattern: 'vms/{vm}/nics/{id}/deactivate',
    root: 'action',
    service: 'vm_nic/methods/deactivate',
    handler: deactivateVmsNics,
  },
  ...moreActionRoutes,
  // imagetransfers.ts
  { method: 'GET', pattern: 'imagetransfers', handler: listTransfers },
  {
    method: 'POST',
    pattern: 'imagetransfers',
    root: 'image_transfer',
    service: 'imagetransfers/methods/add',
    handler: addTransfer,
  },
  { method: 'GET', pattern: 'imagetransfers/{id}', handler: getTransfer },
  {
    method: 'POST',
    pattern: 'imagetransfers/{id}/finalize',
    root: 'action',
    service: 'imagetransfer/methods/finalize',
    handler: finalizeTransfer,
  },
  {
    method: 'POST',
    pattern: 'imagetransfers/{id}/cancel',
    root: 'action',
    service: 'imagetransfer/methods/cancel',
    handler: cancelTransfer,
  },
];

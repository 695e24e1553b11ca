/**
 * The `ovirt` Terraform provider: its configuration, resources and data sources, declared once
 * with the tfplugin SDK. `main.ts` serves it; `terraform providers schema -json` exports it.
 */
import { defineProvider, path } from '../tfplugin';
import { PROVIDER_VERSION } from './version';
import { providerSchema, resolveConfig, suggestApiUrl } from './config';
import { ProviderClient } from './client';
import { reportError } from './errors';
import { OvirtError } from '../ovirt/errors';
import { vmResource } from './resources/vm';
import { vmStartResource } from './resources/vm-start';
import { diskResource } from './resources/disk';
import { diskAttachmentResource } from './resources/disk-attachment';
import { diskAttachmentsResource } from './resources/disk-attachments';
import { nicResource } from './resources/nic';
import { templateResource } from './resources/template';
import { affinityGroupResource } from './resources/affinity-group';
import { vmAffinityGroupResource } from './resources/vm-affinity-group';
import { tagResource } from './resources/tag';
import { vmTagResource } from './resources/vm-tag';
import { vmOptimizeCpuSettingsResource } from './resources/vm-optimize-cpu-settings';
import { vmDisksResizeResource } from './resources/vm-disks-resize';
import { bootEntryResource } from './resources/boot-entry';
import { diskFromImageResource } from './resources/disk-from-image';
import { snapshotResource } from './resources/snapshot';
import { snapshotRestoreResource } from './resources/snapshot-restore';
import { vmGraphicsConsolesResource } from './resources/vm-graphics-consoles';
import { clusterDataSource } from './data-sources/cluster';
import { templateDataSource } from './data-sources/template';
import { blankTemplateDataSource } from './data-sources/blank-template';
import { storageDomainDataSource } from './data-sources/storage-domain';
import { vnicProfileDataSource } from './data-sources/vnic-profile';
import { clusterHostsDataSource, hostsDataSource } from './data-sources/hosts';
import { vmIpsDataSource } from './data-sources/vm-ips';
import { templatesDataSource } from './data-sources/templates';
import { diskAttachmentsDataSource, templateDiskAttachmentsDataSource } from './data-sources/disk-attachments';
import { affinityGroupDataSource } from './data-sources/affinity-group';

/**
 * How long configure retries the connection check: long enough to ride out a blip, short enough
 * that a wrong URL or a stopped engine is reported within seconds.
 */
const CONNECT_DEADLINE_MS = 10_000;

/** The `ovirt` provider. */
export const ovirtProvider = defineProvider({
  typeName: 'ovirt',
  version: PROVIDER_VERSION,
  description:
    'Manages oVirt / RHV virtual machines, disks, templates, affinity groups and tags through the engine REST API v4, and boot entries on the ovirt-cdktf boot-artifact server.',
  schema: providerSchema,
  // Descriptions use Markdown (`code`, links); Terraform and the docs are told so.
  descriptionKind: 'markdown',

  async configure({ config, diags, log }) {
    const resolved = resolveConfig(config, process.env, diags);
    const client = new ProviderClient(resolved, {
      debug: (msg, fields) => log.debug(msg, fields),
      warn: (msg, fields) => log.warn(msg, fields),
    });
    if (diags.hasError() || !client.hasEngine) return client;
    // One cheap request now gives a single clear diagnostic for a wrong URL, CA or password,
    // instead of one failure per resource later.
    try {
      await client.engine.apiRoot({ deadline: Date.now() + CONNECT_DEADLINE_MS });
    } catch (err) {
      const url = 'url' in resolved.engine ? resolved.engine.url : '';
      if (OvirtError.is(err, 'not_found')) {
        diags.error(
          'Not the oVirt Engine API',
          `GET ${url} answered HTTP 404, so this URL is not the engine's REST API. ` +
            `Set \`url\` (or OVIRT_URL) to the API URL, which ends in /ovirt-engine/api: ${suggestApiUrl(url)}`,
          path('url'),
        );
      } else {
        reportError(diags, err, { action: `connecting to the oVirt engine at ${url}` });
      }
    }
    return client;
  },

  defaultTimeouts: (client) => client.defaultTimeouts,

  resources: [
    vmResource,
    vmStartResource,
    diskResource,
    diskAttachmentResource,
    diskAttachmentsResource,
    nicResource,
    templateResource,
    affinityGroupResource,
    vmAffinityGroupResource,
    tagResource,
    vmTagResource,
    vmOptimizeCpuSettingsResource,
    vmDisksResizeResource,
    bootEntryResource,
    diskFromImageResource,
    snapshotResource,
    snapshotRestoreResource,
    vmGraphicsConsolesResource,
  ],
  dataSources: [
    clusterDataSource,
    templateDataSource,
    blankTemplateDataSource,
    storageDomainDataSource,
    vnicProfileDataSource,
    hostsDataSource,
    clusterHostsDataSource,
    vmIpsDataSource,
    affinityGroupDataSource,
    templatesDataSource,
    diskAttachmentsDataSource,
    templateDiskAttachmentsDataSource,
  ],
});

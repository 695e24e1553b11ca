/** `data "ovirt_storage_domain"`: a storage domain by name or id. */
import { attr, schema, t } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { exactlyOneOfIdAndName, findByIdOrName } from './by-id-or-name';

const BLOCK_TYPES = new Set(['iscsi', 'fcp']);

const sdSchema = schema({
  attributes: {
    id: attr.string({
      optional: true,
      computed: true,
      description: 'Storage domain id. Give `id` or `name`.',
      validators: [isUuid],
    }),
    name: attr.string({
      optional: true,
      computed: true,
      description: 'Storage domain name. Give `id` or `name`.',
    }),
    type: attr.string({
      computed: true,
      description: 'Domain type: `data`, `iso`, `export`, ...',
    }),
    storage_type: attr.string({
      computed: true,
      description: 'Storage type: `nfs`, `iscsi`, `fcp`, `glusterfs`, `localfs`, ...',
    }),
    available: attr.number({
      computed: true,
      description: 'Free space in bytes.',
    }),
    used: attr.number({
      computed: true,
      description: 'Used space in bytes.',
    }),
    block: attr.bool({
      computed: true,
      description: 'True for block storage (iSCSI, FCP), which cannot hold sparse raw disks.',
    }),
    data_center_ids: attr.list(t.string, {
      computed: true,
      description: 'Data centers the domain is attached to.',
    }),
  },
});

/** The `ovirt_storage_domain` data source. */
export const storageDomainDataSource = defineDataSource({
  typeName: 'ovirt_storage_domain',
  description: 'Looks up a storage domain by name or id.',
  schema: sdSchema,

  validate: exactlyOneOfIdAndName('storage domain'),

  async read({ config, client, diags, signal }) {
    const domain = await findByIdOrName(diags, signal, 'storage domain', config, client.engine.storageDomains);
    if (!domain) return null;
    return {
      id: domain.id,
      name: domain.name ?? '',
      type: domain.type ?? '',
      storage_type: domain.storage?.type ?? '',
      available: domain.available ?? 0,
      used: domain.used ?? 0,
      block: BLOCK_TYPES.has(domain.storage?.type ?? ''),
      data_center_ids: (domain.data_centers ?? []).map((r) => r.id ?? '').filter(Boolean),
    };
  },
});

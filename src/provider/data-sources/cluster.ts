/** `data "ovirt_cluster"`: a cluster by name or id. */
import { attr, schema } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { exactlyOneOfIdAndName, findByIdOrName } from './by-id-or-name';

const clusterSchema = schema({
  attributes: {
    id: attr.string({
      optional: true,
      computed: true,
      description: 'Cluster id. Give `id` or `name`.',
      validators: [isUuid],
    }),
    name: attr.string({
      optional: true,
      computed: true,
      description: 'Cluster name. Give `id` or `name`.',
    }),
    description: attr.string({
      computed: true,
      description: 'Cluster description.',
    }),
    data_center_id: attr.string({
      computed: true,
      description: 'Data center the cluster belongs to.',
    }),
    cpu_architecture: attr.string({
      computed: true,
      description: 'CPU architecture, e.g. `x86_64`.',
    }),
    cpu_type: attr.string({
      computed: true,
      description: 'CPU type of the cluster, e.g. `Intel Cascadelake Server Family`.',
    }),
    version: attr.string({
      computed: true,
      description: 'Compatibility version, e.g. `4.7`.',
    }),
  },
});

/** The `ovirt_cluster` data source. */
export const clusterDataSource = defineDataSource({
  typeName: 'ovirt_cluster',
  description: 'Looks up a cluster by name or id.',
  schema: clusterSchema,

  validate: exactlyOneOfIdAndName('cluster'),

  async read({ config, client, diags, signal }) {
    const cluster = await findByIdOrName(diags, signal, 'cluster', config, client.engine.clusters);
    if (!cluster) return null;
    const version = cluster.version;
    return {
      id: cluster.id,
      name: cluster.name ?? '',
      description: cluster.description ?? '',
      data_center_id: cluster.data_center?.id ?? '',
      cpu_architecture: cluster.cpu?.architecture ?? '',
      cpu_type: cluster.cpu?.type ?? '',
      version: version?.major !== undefined ? `${version.major}.${version.minor ?? 0}` : '',
    };
  },
});

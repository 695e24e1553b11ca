/** `data "ovirt_hosts"`: the hosts of a cluster (e.g. for placement policies). */
import { attr, schema, t, oneOf } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { attempt, reqOpts } from '../ops';

const hostsSchema = schema({
  attributes: {
    cluster_id: attr.string({
      required: true,
      description: 'Cluster whose hosts to list.',
      validators: [isUuid],
    }),
    status: attr.string({
      optional: true,
      description: 'Only hosts with this status, e.g. `up`.',
      validators: [oneOf('up', 'maintenance', 'down', 'non_operational', 'non_responsive', 'installing', 'error')],
    }),
    ids: attr.list(t.string, {
      computed: true,
      description: 'Host ids, sorted by name.',
    }),
    hosts: attr.list(t.object({ id: t.string, name: t.string, status: t.string, address: t.string }), {
      computed: true,
      description: 'Hosts, sorted by name: id, name, status and address.',
    }),
  },
});

/** The `ovirt_hosts` data source. */
export const hostsDataSource = defineDataSource({
  typeName: 'ovirt_hosts',
  description: 'Lists the hosts of a cluster, optionally only those with a given status.',
  schema: hostsSchema,

  async read({ config, client, diags, signal }) {
    const all = await attempt(diags, { action: `listing the hosts of cluster ${config.cluster_id}`, signal }, () =>
      client.engine.hosts.list(reqOpts(signal)),
    );
    if (!all) return null;
    const hosts = all
      .filter((h) => h.cluster?.id === config.cluster_id && (!config.status || h.status === config.status))
      .map((h) => ({ id: h.id, name: h.name ?? '', status: h.status ?? '', address: h.address ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { ...config, ids: hosts.map((h) => h.id), hosts };
  },
});

/** `data "ovirt_cluster_hosts"`: the same list under the Go provider's name, so its configurations carry over. */
export const clusterHostsDataSource = defineDataSource({
  ...hostsDataSource,
  typeName: 'ovirt_cluster_hosts',
  description: "Lists the hosts of a cluster (the Go provider's name for `ovirt_hosts`, with the same attributes).",
});

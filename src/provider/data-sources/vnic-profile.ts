/** `data "ovirt_vnic_profile"`: a vNIC profile by network name and profile name. */
import { attr, schema, path } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { lookup, reqOpts, withExistingNames } from '../ops';

const profileSchema = schema({
  attributes: {
    network_name: attr.string({
      required: true,
      description: 'Logical network name, e.g. `ovirtmgmt`.',
    }),
    name: attr.string({
      optional: true,
      computed: true,
      description: 'Profile name; defaults to the network name (the engine creates that profile with every network).',
    }),
    data_center_id: attr.string({
      optional: true,
      description: 'Data center of the network, when several data centers have a network of that name.',
      validators: [isUuid],
    }),
    id: attr.string({
      computed: true,
      description: 'Id of the vNIC profile.',
    }),
    network_id: attr.string({
      computed: true,
      description: 'Id of the network.',
    }),
  },
});

/** The `ovirt_vnic_profile` data source. */
export const vnicProfileDataSource = defineDataSource({
  typeName: 'ovirt_vnic_profile',
  description: 'Looks up a vNIC profile by network name and profile name (what `ovirt_nic.vnic_profile_id` needs).',
  schema: profileSchema,

  async read({ config, client, diags, signal }) {
    const name = config.name ?? config.network_name;
    const ctx = {
      action: `looking up vNIC profile "${name}" of network "${config.network_name}"`,
      path: path('network_name'),
      signal,
    };
    const where = config.data_center_id ? ` in data center ${config.data_center_id}` : '';
    const networks = async () =>
      (await client.engine.networks.list({ ...reqOpts(signal), search: `name=${config.network_name}` })).filter(
        (n) =>
          n.name === config.network_name && (!config.data_center_id || n.data_center?.id === config.data_center_id),
      );
    // Only on failure: the networks when none matched, else the profiles of that network.
    const notFound = async () => {
      const net = (await networks())[0];
      if (!net)
        return withExistingNames(
          `No network is named "${config.network_name}"${where}.`,
          (await client.engine.networks.list(reqOpts(signal))).map((n) => n.name),
        );
      const profiles = (await client.engine.vnicProfiles.list(reqOpts(signal))).filter((x) => x.network?.id === net.id);
      return withExistingNames(
        `No vNIC profile "${name}" on the network "${config.network_name}"${where}.`,
        profiles.map((x) => x.name),
        'Its profiles are',
      );
    };
    const found = await lookup(diags, ctx, notFound, async () => {
      const nets = await networks();
      if (nets.length > 1)
        throw new Error(`${nets.length} networks are named "${config.network_name}"; set data_center_id to choose one`);
      if (!nets.length) return undefined;
      const profiles = await client.engine.vnicProfiles.list(reqOpts(signal));
      const profile = profiles.find((x) => x.name === name && x.network?.id === nets[0]!.id);
      return profile && { id: profile.id, network_id: nets[0]!.id };
    });
    if (!found) return null;
    return { ...config, name, ...found };
  },
});

/** `ovirt_vm_affinity_group`: membership of a VM in an affinity group. */
import type { AffinityGroupId, ClusterId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { schema, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, parentIdAttribute, splitId, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId } from '../errors';

const membershipSchema = schema({
  attributes: {
    id: idAttribute('`<cluster_id>/<affinity_group_id>/<vm_id>` (also the import id).'),
    cluster_id: parentIdAttribute('Cluster of the affinity group.'),
    affinity_group_id: parentIdAttribute('The affinity group.'),
    vm_id: parentIdAttribute('The VM to add to the group.'),
  },
});

type Membership = StateOf<typeof membershipSchema>;

const ids = (m: Membership) =>
  [asId<ClusterId>(m.cluster_id), asId<AffinityGroupId>(m.affinity_group_id), asId<VmId>(m.vm_id)] as const;
const idOf = (m: Membership) => `${m.cluster_id}/${m.affinity_group_id}/${m.vm_id}`;

/** The `ovirt_vm_affinity_group` resource. */
export const vmAffinityGroupResource = defineResource({
  typeName: 'ovirt_vm_affinity_group',
  description:
    'Adds a VM to an affinity group. Removing the VM from the group outside Terraform shows as drift (the membership is re-created).',
  schema: membershipSchema,
  timeouts: { create: '5m', read: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const membership: Membership = { ...plan, id: '' };
    const [clusterId, groupId, vm] = ids(membership);
    await attempt(
      diags,
      { action: `adding VM ${vm} to affinity group ${groupId}`, signal, op: 'create', hints: [[/VM/i, 'vm_id']] },
      () => untilUnlocked(signal, () => client.engine.affinityGroups.addVm(clusterId, groupId, vm, reqOpts(signal))),
    );
    return diags.hasError() ? null : { ...membership, id: idOf(membership) };
  },

  async read({ state, client, diags, signal }) {
    const [clusterId, groupId, vm] = ids(state);
    const group = await readObject(diags, { action: `reading affinity group ${groupId}`, signal, op: 'read' }, () =>
      client.engine.affinityGroups.get(clusterId, groupId, reqOpts(signal)),
    );
    if (group === undefined) return state;
    return group && (group.vms ?? []).some((v) => v.id === vm) ? { ...state, id: idOf(state) } : null;
  },

  async delete({ state, client, diags, signal }) {
    const [clusterId, groupId, vm] = ids(state);
    await removeObject(
      diags,
      { action: `removing VM ${vm} from affinity group ${groupId}`, signal, op: 'delete' },
      () => untilUnlocked(signal, () => client.engine.affinityGroups.removeVm(clusterId, groupId, vm, reqOpts(signal))),
    );
  },

  async importState({ id, diags }) {
    const parts = splitId(id, 3);
    if (!parts || !parts.every((x) => UUID_PATTERN.test(x)))
      return badImportId(diags, id, '`<cluster_id>/<affinity_group_id>/<vm_id>`');
    return { id, cluster_id: parts[0], affinity_group_id: parts[1], vm_id: parts[2] };
  },
});

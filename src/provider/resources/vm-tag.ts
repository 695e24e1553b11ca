/** `ovirt_vm_tag`: a tag assigned to a VM. */
import type { TagId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { schema, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, parentIdAttribute, splitId, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts } from '../ops';
import { badImportId } from '../errors';

const vmTagSchema = schema({
  attributes: {
    id: idAttribute('`<vm_id>/<tag_id>` (also the import id).'),
    vm_id: parentIdAttribute('The VM to tag.'),
    tag_id: parentIdAttribute('The tag to assign.'),
  },
});

type VmTag = StateOf<typeof vmTagSchema>;

/** The `ovirt_vm_tag` resource. */
export const vmTagResource = defineResource({
  typeName: 'ovirt_vm_tag',
  description: 'Assigns a tag to a VM. Unassigning it outside Terraform shows as drift.',
  schema: vmTagSchema,
  timeouts: { create: '5m', read: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const membership: VmTag = { ...plan, id: `${plan.vm_id}/${plan.tag_id}` };
    await attempt(
      diags,
      {
        action: `tagging VM ${membership.vm_id} with ${membership.tag_id}`,
        signal,
        op: 'create',
        hints: [
          [/tag/i, 'tag_id'],
          [/VM/i, 'vm_id'],
        ],
      },
      () => client.engine.vmTags.assign(asId<VmId>(membership.vm_id), { id: membership.tag_id }, reqOpts(signal)),
    );
    return diags.hasError() ? null : membership;
  },

  async read({ state, client, diags, signal }) {
    const tags = await readObject(diags, { action: `reading the tags of VM ${state.vm_id}`, signal, op: 'read' }, () =>
      client.engine.vmTags.list(asId<VmId>(state.vm_id), reqOpts(signal)),
    );
    if (tags === undefined) return state;
    return tags && tags.some((t) => t.id === state.tag_id) ? state : null;
  },

  async delete({ state, client, diags, signal }) {
    await removeObject(
      diags,
      { action: `removing tag ${state.tag_id} from VM ${state.vm_id}`, signal, op: 'delete' },
      () => client.engine.vmTags.unassign(asId<VmId>(state.vm_id), asId<TagId>(state.tag_id), reqOpts(signal)),
    );
  },

  async importState({ id, diags }) {
    const parts = splitId(id, 2);
    if (!parts || !parts.every((x) => UUID_PATTERN.test(x))) return badImportId(diags, id, '`<vm_id>/<tag_id>`');
    return { id, vm_id: parts[0], tag_id: parts[1] };
  },
});

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
    const m: VmTag = { ...plan, id: `${plan.vm_id}/${plan.tag_id}` };
    await attempt(
      diags,
      {
        action: `tagging VM ${m.vm_id} with ${m.tag_id}`,
        signal,
        op: 'create',
        hints: [
          [/tag/i, 'tag_id'],
          [/VM/i, 'vm_id'],
        ],
      },
      () => client.engine.vmTags.assign(asId<VmId>(m.vm_id), { id: m.tag_id }, reqOpts(signal)),
    );
    return diags.hasError() ? null : m;
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
    const p = splitId(id, 2);
    if (!p || !p.every((x) => UUID_PATTERN.test(x))) return badImportId(diags, id, '`<vm_id>/<tag_id>`');
    return { id, vm_id: p[0], tag_id: p[1] };
  },
});

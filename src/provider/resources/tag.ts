/** `ovirt_tag`: an engine tag. Name and description are read back and updated in place. */
import type { Tag, TagId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, schema, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, orNull, settle, str, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [[/name/i, 'name']];

const tagSchema = schema({
  attributes: {
    id: idAttribute('The tag id.'),
    name: attr.string({
      required: true,
      description: 'Tag name, unique in the engine. Updated in place.',
    }),
    description: attr.string({
      optional: true,
      description: 'Free-text description. Updated in place.',
    }),
  },
});

type TagState = StateOf<typeof tagSchema>;

const fromEngine = (t: Tag): TagState => ({ id: t.id, name: t.name ?? '', description: orNull(t.description) });

/** The `ovirt_tag` resource. */
export const tagResource = defineResource({
  typeName: 'ovirt_tag',
  description: 'A tag. Assign it to VMs with `ovirt_vm_tag`; engine searches such as `tag=<name>` find them.',
  schema: tagSchema,
  timeouts: { create: '5m', read: '5m', update: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const tag = await attempt(
      diags,
      { action: `creating tag "${str(plan.name)}"`, hints: HINTS, signal, op: 'create' },
      () => client.engine.tags.create({ name: plan.name, description: str(plan.description) }, reqOpts(signal)),
    );
    return tag ? settle(plan, fromEngine(tag)) : null;
  },

  async read({ state, client, diags, signal }) {
    const tag = await readObject(diags, { action: `reading tag ${state.id}`, signal, op: 'read' }, () =>
      client.engine.tags.get(asId<TagId>(state.id), reqOpts(signal)),
    );
    return tag === undefined ? state : tag && fromEngine(tag);
  },

  async update({ plan, state, client, diags, signal }) {
    const tag = await attempt(diags, { action: `updating tag ${state.id}`, hints: HINTS, signal, op: 'update' }, () =>
      client.engine.tags.update(
        asId<TagId>(state.id),
        { name: str(plan.name), description: str(plan.description) ?? '' },
        reqOpts(signal),
      ),
    );
    return tag ? settle(plan, fromEngine(tag)) : state;
  },

  async delete({ state, client, diags, signal }) {
    await removeObject(diags, { action: `deleting tag ${state.id}`, signal, op: 'delete' }, () =>
      client.engine.tags.remove(asId<TagId>(state.id), reqOpts(signal)),
    );
  },

  async importState({ id, diags }) {
    return UUID_PATTERN.test(id) ? { id } : badImportId(diags, id, 'a tag id (a UUID)');
  },
});

/**
 * `ovirt_template`: a template made from a (down) VM, optionally sealed and optionally a new
 * version of an existing template. Waits until the template is `ok`; name and description are
 * updated in place.
 */
import type { Template, TemplateId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, useStateForUnknown, schema, path, requiresReplaceIf, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, orNull, settle, str, bool, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [
  [/name/i, 'name'],
  [/VM is locked|still running|Down state|VM/i, 'vm_id'],
  [/base template|version/i, 'base_template_id'],
];

/** Create-time inputs the engine does not show afterwards: an imported template (where they are empty) is not replaced for them. */
const createOnly = <V>() =>
  requiresReplaceIf<V>(
    'Changing this replaces the template (it only applies at creation).',
    (req) => req.state !== null && req.state !== '',
  );

const templateSchema = schema({
  attributes: {
    id: idAttribute('The template id.'),
    vm_id: attr.string({
      optional: true,
      description:
        'The VM to make the template from; it must be down. Give this or `disk_id`. Changing it replaces the template.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    disk_id: attr.string({
      optional: true,
      description:
        'Make the template from this disk (e.g. an `ovirt_disk_from_image`) through a temporary VM in `cluster_id`, removed afterwards (the disk stays). Give this or `vm_id`. Changing it replaces the template.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    cluster_id: attr.string({
      optional: true,
      description:
        'Cluster of the temporary VM when the template is made from `disk_id`. Changing it replaces the template.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    name: attr.string({
      required: true,
      description: 'Template name (versions of one template share it). Updated in place.',
    }),
    description: attr.string({
      optional: true,
      description: 'Free-text description. Updated in place.',
    }),
    seal: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        'Seal the template (Linux guests: remove SSH host keys, machine id, persistent network rules). Changing it replaces the template.',
      planModifiers: [createOnly<boolean>()],
    }),
    base_template_id: attr.string({
      optional: true,
      description: 'Make this template a new version of that one (same name). Changing it replaces the template.',
      validators: [isUuid],
      planModifiers: [createOnly<string>()],
    }),
    version_name: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Name of this version (e.g. `4.16.3`). Updated in place.',
    }),
    version_number: attr.number({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Version number (1 for a base template).',
    }),
    status: attr.string({
      computed: true,
      planModifiers: [useStateForUnknown()],
      description: 'Engine status: `ok`, `locked` or `illegal`.',
    }),
  },
});

type TemplateState = StateOf<typeof templateSchema>;

function fromEngine(template: Template, prior: Partial<TemplateState> | null): TemplateState {
  const base = template.version?.base_template?.id;
  return {
    // Made from a disk, the template's VM was the temporary one: not a value to track.
    id: template.id,
    vm_id: prior?.disk_id ? null : (prior?.vm_id ?? template.vm?.id ?? ''),
    disk_id: prior?.disk_id ?? null,
    cluster_id: prior?.cluster_id ?? null,
    name: template.name ?? '',
    description: orNull(template.description),
    seal: prior?.seal ?? null,
    base_template_id: base && base !== template.id ? base : null,
    version_name: orNull(template.version?.version_name),
    version_number: template.version?.version_number ?? 1,
    status: template.status ?? 'unknown',
  };
}

/** The `ovirt_template` resource. */
export const templateResource = defineResource({
  typeName: 'ovirt_template',
  description:
    'A template created from a VM that is down. Waits until the template is `ok` (its disks copied), so VMs can be created from it right away.',
  schema: templateSchema,
  timeouts: { create: '30m', read: '5m', update: '10m', delete: '20m' },

  validate({ config, diags }) {
    if ((config.vm_id === null) === (config.disk_id === null))
      diags.error(
        'Give Exactly One of vm_id and disk_id',
        'Set `vm_id` (a VM that is down) or `disk_id` (a disk, through a temporary VM), not both.',
        path('vm_id'),
      );
    if (config.disk_id !== null && config.cluster_id === null)
      diags.error(
        'Missing cluster_id',
        'A template made from `disk_id` needs `cluster_id` for its temporary VM.',
        path('cluster_id'),
      );
  },

  async create({ plan, client, diags, signal }) {
    const diskId = str(plan.disk_id);
    if (diskId) {
      const template = await attempt(
        diags,
        {
          action: `creating template "${str(plan.name)}" from disk ${diskId} through a temporary VM`,
          hints: HINTS,
          signal,
          op: 'create',
        },
        () =>
          client.engine.templateFromDisk(
            {
              name: plan.name,
              description: str(plan.description),
              diskId,
              // validate() requires cluster_id whenever disk_id is set.
              clusterId: plan.cluster_id ?? '',
            },
            waitOpts(signal),
          ),
      );
      return template ? settle(plan, fromEngine(template, plan as Partial<TemplateState>)) : null;
    }
    const base = str(plan.base_template_id);
    const spec = {
      name: plan.name,
      description: str(plan.description),
      vm: { id: str(plan.vm_id) },
      ...(base || str(plan.version_name)
        ? { version: { base_template: base ? { id: base } : undefined, version_name: str(plan.version_name) } }
        : {}),
    };
    const ctx = {
      action: `creating template "${spec.name}" from VM ${spec.vm.id}`,
      hints: HINTS,
      signal,
      op: 'create' as const,
    };
    const created = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () => client.engine.templates.create(spec, { signal, seal: bool(plan.seal) })),
    );
    if (!created) return null;
    const template =
      created.status === 'ok'
        ? created
        : await attempt(diags, { ...ctx, action: `waiting for template ${created.id} to be ok` }, () =>
            client.engine.templates.waitForOk(asId<TemplateId>(created.id), waitOpts(signal)),
          );
    return settle(plan, fromEngine(template ?? created, plan as Partial<TemplateState>));
  },

  async read({ state, client, diags, signal }) {
    const template = await readObject(diags, { action: `reading template ${state.id}`, signal, op: 'read' }, () =>
      client.engine.templates.get(asId<TemplateId>(state.id), reqOpts(signal)),
    );
    return template === undefined ? state : template && fromEngine(template, state);
  },

  async update({ plan, state, client, diags, signal }) {
    const spec = {
      name: str(plan.name),
      description: str(plan.description) ?? '',
      ...(str(plan.version_name) !== undefined && plan.version_name !== state.version_name
        ? { version: { version_name: str(plan.version_name) } }
        : {}),
    };
    const ctx = { action: `updating template ${state.id}`, hints: HINTS, signal, op: 'update' as const };
    const template = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () => client.engine.templates.update(asId<TemplateId>(state.id), spec, reqOpts(signal))),
    );
    return template ? settle(plan, fromEngine(template, state)) : state;
  },

  async delete({ state, client, diags, signal }) {
    await removeObject(diags, { action: `deleting template ${state.id}`, hints: HINTS, signal, op: 'delete' }, () =>
      untilUnlocked(signal, () => client.engine.templates.remove(asId<TemplateId>(state.id), reqOpts(signal))),
    );
  },

  async importState({ id, diags }) {
    return UUID_PATTERN.test(id) ? { id } : badImportId(diags, id, 'a template id (a UUID)');
  },
});

/** `data "ovirt_templates"`: templates found by an engine search (or an exact name), e.g. `name=rhcos-*`. */
import { attr, schema, t, path } from '../../tfplugin';
import { defineDataSource } from '../define';
import { attempt, reqOpts } from '../ops';

const templatesSchema = schema({
  attributes: {
    search: attr.string({
      optional: true,
      description:
        'Engine search query, e.g. `name=rhcos-*` or `status=ok`. All templates when unset (with `name`, only those with that exact name).',
    }),
    name: attr.string({
      optional: true,
      description: 'Only templates with exactly this name (all their versions).',
    }),
    fail_on_empty: attr.bool({
      optional: true,
      description: 'Fail when nothing is found (default false: an empty list).',
    }),
    ids: attr.list(t.string, {
      computed: true,
      description: 'Ids of the templates found, sorted by name then version.',
    }),
    templates: attr.list(
      t.object({
        id: t.string,
        name: t.string,
        description: t.string,
        status: t.string,
        version_number: t.number,
        version_name: t.string,
      }),
      {
        computed: true,
        description:
          'Templates found, sorted by name then version: id, name, description, status, version number and name.',
      },
    ),
  },
});

/** The `ovirt_templates` data source. */
export const templatesDataSource = defineDataSource({
  typeName: 'ovirt_templates',
  description: 'Lists templates matching an engine search query and/or an exact name.',
  schema: templatesSchema,

  async read({ config, client, diags, signal }) {
    const found = await attempt(
      diags,
      { action: `searching templates${config.search ? ` with "${config.search}"` : ''}`, path: path('search'), signal },
      () =>
        config.name && !config.search
          ? client.engine.templates.listVersions(config.name, reqOpts(signal))
          : client.engine.templates.list({ ...reqOpts(signal), search: config.search ?? undefined }),
    );
    if (!found) return null;
    const templates = found
      .filter((x) => !config.name || x.name === config.name)
      .map((template) => ({
        id: template.id,
        name: template.name ?? '',
        description: template.description ?? '',
        status: template.status ?? '',
        version_number: template.version?.version_number ?? 1,
        version_name: template.version?.version_name ?? '',
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.version_number - b.version_number);
    if (config.fail_on_empty && templates.length === 0) {
      diags.error(
        'No Templates Found',
        `No template matches${config.search ? ` the search "${config.search}"` : ''}${config.name ? ` with the name "${config.name}"` : ''}.`,
        path(config.search ? 'search' : 'name'),
      );
    }
    return { ...config, ids: templates.map((x) => x.id), templates };
  },
});

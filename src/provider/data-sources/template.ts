/** `data "ovirt_template"`: a template by name, the latest version unless one is asked for. */
import { attr, schema, path, between } from '../../tfplugin';
import { defineDataSource } from '../define';
import { num } from '../common';
import { lookup, reqOpts, withExistingNames } from '../ops';

const templateSchema = schema({
  attributes: {
    name: attr.string({
      required: true,
      description: 'Template name (shared by all its versions).',
    }),
    version_number: attr.number({
      optional: true,
      computed: true,
      description: 'Version to select; the highest version when unset.',
      validators: [between(1, 1e9)],
    }),
    id: attr.string({
      computed: true,
      description: 'Id of the selected template version.',
    }),
    description: attr.string({
      computed: true,
      description: 'Description of the selected version.',
    }),
    version_name: attr.string({
      computed: true,
      description: 'Name of the selected version.',
    }),
    base_template_id: attr.string({
      computed: true,
      description: 'Id of the base version (the template itself for version 1).',
    }),
    status: attr.string({
      computed: true,
      description: 'Engine status: `ok`, `locked` or `illegal`.',
    }),
    memory: attr.number({
      computed: true,
      description: 'Memory of VMs made from it, in bytes.',
    }),
    cpu_sockets: attr.number({
      computed: true,
      description: 'CPU sockets of VMs made from it.',
    }),
  },
});

/** The `ovirt_template` data source. */
export const templateDataSource = defineDataSource({
  typeName: 'ovirt_template',
  description: 'Looks up a template by name; selects its latest version unless `version_number` is set.',
  schema: templateSchema,

  async read({ config, client, diags, signal }) {
    const want = num(config.version_number);
    const ctx = { action: `looking up template "${config.name}"`, path: path('name'), signal };
    const notFound = async () =>
      withExistingNames(
        `No template is named "${config.name}"${want ? ` with version ${want}` : ''}.`,
        (await client.engine.templates.list(reqOpts(signal))).map((x) => x.name),
      );
    const template = await lookup(diags, ctx, notFound, async () => {
      const versions = await client.engine.templates.listVersions(config.name, reqOpts(signal));
      const versionNumber = (v: (typeof versions)[number]) => v.version?.version_number ?? 1;
      const pick = want ? versions.filter((v) => versionNumber(v) === want) : versions;
      return pick.sort((a, b) => versionNumber(b) - versionNumber(a))[0];
    });
    if (!template) return null;
    return {
      name: config.name,
      id: template.id,
      description: template.description ?? '',
      version_number: template.version?.version_number ?? 1,
      version_name: template.version?.version_name ?? '',
      base_template_id: template.version?.base_template?.id ?? template.id,
      status: template.status ?? '',
      memory: template.memory ?? 0,
      cpu_sockets: template.cpu?.topology?.sockets ?? 1,
    };
  },
});

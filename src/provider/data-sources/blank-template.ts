/** `data "ovirt_blank_template"`: the Blank template's id. */
import type { Template } from '../../ovirt';
import { BLANK_TEMPLATE_ID } from '../../ovirt/ids';
import { attr, schema } from '../../tfplugin';
import { defineDataSource } from '../define';
import { lookup, reqOpts } from '../ops';

/** A template is blank when it has no disks and a 1x1x1 CPU (what the engine creates as Blank). */
function looksBlank(template: Template): boolean {
  const topo = template.cpu?.topology;
  return (
    (template.disk_attachments ?? []).length === 0 && topo?.sockets === 1 && topo.cores === 1 && topo.threads === 1
  );
}

/** The `ovirt_blank_template` data source. */
export const blankTemplateDataSource = defineDataSource({
  typeName: 'ovirt_blank_template',
  description:
    'The Blank template (id 00000000-0000-0000-0000-000000000000 on every engine; another blank template if that one was removed).',
  schema: schema({
    attributes: {
      id: attr.string({
        computed: true,
        description: 'Id of the Blank template.',
      }),
    },
  }),

  async read({ client, diags, signal }) {
    const template = await lookup(
      diags,
      { action: 'looking up the Blank template', signal },
      'The engine has no Blank template and no other template without disks.',
      async () =>
        (await client.engine.templates.tryGet(BLANK_TEMPLATE_ID, reqOpts(signal))) ??
        (await client.engine.templates.list(reqOpts(signal))).find(looksBlank),
    );
    return { id: template?.id ?? null };
  },
});

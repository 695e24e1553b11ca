/**
 * `data "ovirt_disk_attachments"` and `data "ovirt_template_disk_attachments"`: the disks attached
 * to a VM or a template, with interface, bootable and active flags (e.g. to copy a template's disk
 * layout into VM overrides).
 */
import type { DiskAttachment, TemplateId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, schema, t, type Diagnostics } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { attempt, reqOpts } from '../ops';

const attachmentType = t.object({
  id: t.string,
  disk_id: t.string,
  disk_interface: t.string,
  bootable: t.bool,
  active: t.bool,
});
const attachmentsAttribute = attr.list(attachmentType, {
  computed: true,
  description: 'Attachments, sorted by disk id: `id`, `disk_id`, `disk_interface`, `bootable`, `active`.',
});

function rows(list: DiskAttachment[]) {
  return list
    .map((attachment) => ({
      id: attachment.id ?? attachment.disk?.id ?? '',
      disk_id: attachment.disk?.id ?? attachment.id ?? '',
      disk_interface: attachment.interface ?? '',
      bootable: attachment.bootable ?? false,
      active: attachment.active ?? false,
    }))
    .sort((a, b) => a.disk_id.localeCompare(b.disk_id));
}

async function list(diags: Diagnostics, signal: AbortSignal, what: string, fn: () => Promise<DiskAttachment[]>) {
  const found = await attempt(diags, { action: `listing the disk attachments of ${what}`, signal }, fn);
  return found && rows(found);
}

const vmSchema = schema({
  attributes: {
    vm_id: attr.string({
      required: true,
      description: 'The VM whose disk attachments to list.',
      validators: [isUuid],
    }),
    attachments: attachmentsAttribute,
  },
});

/** The `ovirt_disk_attachments` data source. */
export const diskAttachmentsDataSource = defineDataSource({
  typeName: 'ovirt_disk_attachments',
  description: 'Lists the disks attached to a VM.',
  schema: vmSchema,
  async read({ config, client, diags, signal }) {
    const found = await list(diags, signal, `VM ${config.vm_id}`, () =>
      client.engine.diskAttachments.list(asId<VmId>(config.vm_id), reqOpts(signal)),
    );
    return found ? { ...config, attachments: found } : null;
  },
});

const templateSchema = schema({
  attributes: {
    template_id: attr.string({
      required: true,
      description: 'The template whose disk attachments to list.',
      validators: [isUuid],
    }),
    attachments: attachmentsAttribute,
  },
});

/** The `ovirt_template_disk_attachments` data source. */
export const templateDiskAttachmentsDataSource = defineDataSource({
  typeName: 'ovirt_template_disk_attachments',
  description: 'Lists the disks of a template.',
  schema: templateSchema,
  async read({ config, client, diags, signal }) {
    const found = await list(diags, signal, `template ${config.template_id}`, () =>
      client.engine.templates.diskAttachments(asId<TemplateId>(config.template_id), reqOpts(signal)),
    );
    return found ? { ...config, attachments: found } : null;
  },
});

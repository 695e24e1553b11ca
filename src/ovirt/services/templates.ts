/** Templates: create from a VM (optionally sealed, optionally as a new version), delete, wait for `ok`. */
import { templateSchema, type Template } from '../models/template';
import { diskAttachmentSchema, type DiskAttachment } from '../models/disk';
import type { RefSpec, Spec } from '../models/spec';
import type { TemplateId } from '../ids';
import type { ListOptions } from './base';
import type { RequestOptions, WaitOptions } from '../request-options';
import { waitFor } from '../wait';
import { Api, Collection } from './base';
import { assertNotIllegal } from './disks';

/** Body of `POST /templates`: a name and the source VM; `version.base_template` makes a sub-version. */
export type TemplateCreateSpec = Spec<Template> & { name: string; vm: RefSpec };

/** The `/templates` collection. */
export class TemplatesService extends Collection<typeof templateSchema, TemplateId> {
  constructor(api: Api) {
    super(api, {
      path: '/templates',
      plural: 'templates',
      element: 'template',
      schema: templateSchema,
      searchable: true,
    });
  }

  /** All versions named `name` (template versions share the name). */
  listVersions(name: string, opts?: ListOptions): Promise<Template[]> {
    return this.api.listByName(this.shape, name, opts);
  }

  /**
   * The version of template `name` with `versionNumber`, or the newest version when none is given
   * (`getByName` fails with `multiple` once a template has sub-versions, since they share the name).
   */
  async findVersion(name: string, versionNumber?: number, opts?: ListOptions): Promise<Template | undefined> {
    const versions = await this.listVersions(name, opts);
    if (versionNumber !== undefined) return versions.find((t) => t.version?.version_number === versionNumber);
    return versions.reduce<Template | undefined>(
      (best, t) => ((t.version?.version_number ?? 0) > (best?.version?.version_number ?? -1) ? t : best),
      undefined,
    );
  }

  /** The template's disk attachments (its disks, with interface and bootable flag). */
  diskAttachments(id: TemplateId, opts?: RequestOptions): Promise<DiskAttachment[]> {
    return this.api.list(
      {
        path: `${this.path(id)}/diskattachments`,
        plural: 'disk_attachments',
        element: 'disk_attachment',
        schema: diskAttachmentSchema,
        searchable: false,
      },
      opts,
    );
  }

  /** Creates a template from a down VM. `seal` wipes machine identity (Linux guests). */
  create(
    spec: TemplateCreateSpec,
    opts?: RequestOptions & { seal?: boolean; clonePermissions?: boolean },
  ): Promise<Template> {
    const query = { seal: opts?.seal, clone_permissions: opts?.clonePermissions };
    const lookup = async () => {
      const versions = await this.listVersions(spec.name, opts);
      const wanted = spec.version?.version_name;
      return versions.find(
        (t) => t.vm?.id === spec.vm.id || (wanted !== undefined && t.version?.version_name === wanted),
      );
    };
    return this.api.create(this.shape, spec, opts, query, lookup);
  }

  /** `PUT /templates/{id}`. */
  update(id: TemplateId, spec: Spec<Template>, opts?: RequestOptions): Promise<Template> {
    return this.api.update(this.shape, this.path(id), spec, opts);
  }

  /** Deletes the template (fails while VMs depend on it). */
  remove(id: TemplateId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(this.path(id), opts);
  }

  /** Polls until the template is `ok`; `illegal` is a `conflict` error. */
  async waitForOk(id: TemplateId, opts?: WaitOptions): Promise<Template> {
    const template = await waitFor(
      `template ${id} to be ok`,
      (o) => this.get(id, o),
      (x) => x.status === 'ok' || x.status === 'illegal',
      opts,
      (x) => `status ${x.status}`,
    );
    return assertNotIllegal(template, `template ${id}`);
  }

  private path(id: TemplateId): string {
    return `/templates/${encodeURIComponent(id)}`;
  }
}

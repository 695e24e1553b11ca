/** A VM's sub-collections: NICs, disk attachments, reported devices (guest IPs), tags. */
import { diskAttachmentSchema, type DiskAttachment } from '../models/disk';
import { nicSchema, reportedDeviceSchema, type Nic, type ReportedDevice } from '../models/vm';
import { tagSchema, type Tag } from '../models/misc';
import type { RefSpec, Spec } from '../models/spec';
import type { DiskAttachmentId, NicId, TagId, VmId } from '../ids';
import type { RequestOptions } from '../request-options';
import { ChildCollection, type Api } from './base';

const vmPath = (vm: VmId) => `/vms/${encodeURIComponent(vm)}`;
const tagsShape = (vm: VmId) => ({
  path: `${vmPath(vm)}/tags`,
  plural: 'tags',
  element: 'tag',
  schema: tagSchema,
  searchable: false,
});

/** Body of `POST /vms/{id}/nics`. */
export type NicCreateSpec = Spec<Nic> & { name: string };
/** Body of `POST /vms/{id}/diskattachments`: an existing `disk: { id }` or a full disk to create. */
export type DiskAttachmentCreateSpec = Spec<DiskAttachment> & { interface: string };

/** `/vms/{id}/nics`: list, get, update (name, interface, vnic_profile, linked, plugged, mac), remove. */
export class VmNicsService extends ChildCollection<typeof nicSchema, VmId, NicId> {
  constructor(api: Api) {
    super(api, (vm) => ({
      path: `${vmPath(vm)}/nics`,
      plural: 'nics',
      element: 'nic',
      schema: nicSchema,
      searchable: false,
    }));
  }

  /** Adds a NIC (looked up by name after an ambiguous failure). */
  create(vm: VmId, spec: NicCreateSpec, opts?: RequestOptions): Promise<Nic> {
    return this.api.create(this.shape(vm), spec, opts, undefined, () =>
      this.api.findByName(this.shape(vm), spec.name, opts),
    );
  }
}

/**
 * `/vms/{id}/diskattachments` (attachment id == disk id on real engines). `update` with
 * `{ disk: { provisioned_size } }` grows the disk; `bootable`, `interface`, `active` change in place.
 */
export class DiskAttachmentsService extends ChildCollection<typeof diskAttachmentSchema, VmId, DiskAttachmentId> {
  constructor(api: Api) {
    super(api, (vm) => ({
      path: `${vmPath(vm)}/diskattachments`,
      plural: 'disk_attachments',
      element: 'disk_attachment',
      schema: diskAttachmentSchema,
      searchable: false,
    }));
  }

  /** Attaches a disk (send `active: true`; the engine's default is undefined behaviour). */
  create(vm: VmId, spec: DiskAttachmentCreateSpec, opts?: RequestOptions): Promise<DiskAttachment> {
    const diskId = spec.disk?.id;
    const lookup = diskId ? async () => (await this.list(vm, opts)).find((a) => a.disk?.id === diskId) : undefined;
    return this.api.create(this.shape(vm), spec, opts, undefined, lookup);
  }

  /**
   * Grows the attached disk to `bytes` (a `PUT` of the attachment with the disk's new
   * `provisioned_size`); the engine refuses a smaller size and locks the disk while it extends it.
   */
  grow(vm: VmId, id: DiskAttachmentId, bytes: number, opts?: RequestOptions): Promise<DiskAttachment> {
    return this.update(vm, id, { disk: { provisioned_size: bytes } }, opts);
  }

  /** Detaches (the engine's default) or, with `detachOnly: false`, deletes the disk too. */
  override remove(vm: VmId, id: DiskAttachmentId, opts?: RequestOptions & { detachOnly?: boolean }): Promise<void> {
    return this.api.remove(this.itemPath(vm, id), opts, { detach_only: opts?.detachOnly });
  }
}

/** `/vms/{id}/reporteddevices`: what the guest agent reports (interface names, MACs, IPs). */
export class ReportedDevicesService {
  constructor(private readonly api: Api) {}

  /** The VM's reported devices (empty while the VM is down or has no agent). */
  list(vm: VmId, opts?: RequestOptions): Promise<ReportedDevice[]> {
    return this.api.list(
      {
        path: `${vmPath(vm)}/reporteddevices`,
        plural: 'reported_devices',
        element: 'reported_device',
        schema: reportedDeviceSchema,
        searchable: false,
      },
      opts,
    );
  }

  /** The guest's IP addresses, from network devices (optionally only v4 or v6). */
  async ips(vm: VmId, opts?: RequestOptions & { version?: 'v4' | 'v6' }): Promise<string[]> {
    const devices = await this.list(vm, opts);
    return devices
      .filter((d) => d.type === undefined || d.type === 'network')
      .flatMap((d) => d.ips ?? [])
      .filter((ip) => ip.address !== undefined && (opts?.version === undefined || ip.version === opts.version))
      .map((ip) => ip.address as string);
  }
}

/** `/vms/{id}/tags`: tag assignment (`list`, `assign`, `unassign`). */
export class VmTagsService {
  private readonly children: ChildCollection<typeof tagSchema, VmId, TagId>;

  constructor(private readonly api: Api) {
    this.children = new ChildCollection(api, tagsShape);
  }

  /** Tags assigned to the VM. */
  list(vm: VmId, opts?: RequestOptions): Promise<Tag[]> {
    return this.children.list(vm, opts);
  }

  /** Assigns a tag by id or name. */
  assign(vm: VmId, tag: RefSpec, opts?: RequestOptions): Promise<Tag> {
    const lookup = async () =>
      (await this.list(vm, opts)).find((t) => (tag.id ? t.id === tag.id : t.name === tag.name));
    return this.api.create(tagsShape(vm), tag, opts, undefined, lookup);
  }

  /** Removes the tag from the VM. */
  unassign(vm: VmId, tag: TagId, opts?: RequestOptions): Promise<void> {
    return this.children.remove(vm, tag, opts);
  }
}

/** A VM's sub-collections: NICs, disk attachments, reported devices (guest IPs), tags. */
import { diskAttachmentSchema, type DiskAttachment } from '../models/disk';
import { nicSchema, reportedDeviceSchema, type Nic, type ReportedDevice } from '../models/vm';
import { tagSchema, type Tag } from '../models/misc';
import type { RefSpec, Spec } from '../models/spec';
import type { DiskAttachmentId, NicId, TagId, VmId } from '../ids';
import type { RequestOptions } from '../request-options';
import type { Api, CollectionShape } from './base';

const vmPath = (vm: VmId) => `/vms/${encodeURIComponent(vm)}`;

/** Body of `POST /vms/{id}/nics`. */
export type NicCreateSpec = Spec<Nic> & { name: string };
/** Body of `POST /vms/{id}/diskattachments`: an existing `disk: { id }` or a full disk to create. */
export type DiskAttachmentCreateSpec = Spec<DiskAttachment> & { interface: string };

/** `/vms/{id}/nics`. */
export class VmNicsService {
  constructor(private readonly api: Api) {}

  private shape(vm: VmId): CollectionShape<typeof nicSchema> {
    return { path: `${vmPath(vm)}/nics`, plural: 'nics', element: 'nic', schema: nicSchema, searchable: false };
  }

  /** All NICs of the VM. */
  list(vm: VmId, opts?: RequestOptions): Promise<Nic[]> {
    return this.api.list(this.shape(vm), opts);
  }

  /** One NIC; `not_found` when absent. */
  get(vm: VmId, nic: NicId, opts?: RequestOptions): Promise<Nic> {
    return this.api.get(this.shape(vm), `${this.shape(vm).path}/${encodeURIComponent(nic)}`, opts);
  }

  /** Adds a NIC (looked up by name after an ambiguous failure). */
  create(vm: VmId, spec: NicCreateSpec, opts?: RequestOptions): Promise<Nic> {
    return this.api.create(this.shape(vm), spec, opts, undefined, () => this.api.findByName(this.shape(vm), spec.name, opts));
  }

  /** Changes a NIC (name, interface, vnic_profile, linked, plugged, mac). */
  update(vm: VmId, nic: NicId, spec: Spec<Nic>, opts?: RequestOptions): Promise<Nic> {
    return this.api.update(this.shape(vm), `${this.shape(vm).path}/${encodeURIComponent(nic)}`, spec, opts);
  }

  /** Removes a NIC. */
  remove(vm: VmId, nic: NicId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(`${this.shape(vm).path}/${encodeURIComponent(nic)}`, opts);
  }
}

/** `/vms/{id}/diskattachments` (attachment id == disk id on real engines). */
export class DiskAttachmentsService {
  constructor(private readonly api: Api) {}

  private shape(vm: VmId): CollectionShape<typeof diskAttachmentSchema> {
    return { path: `${vmPath(vm)}/diskattachments`, plural: 'disk_attachments', element: 'disk_attachment', schema: diskAttachmentSchema, searchable: false };
  }

  /** All disk attachments of the VM. */
  list(vm: VmId, opts?: RequestOptions): Promise<DiskAttachment[]> {
    return this.api.list(this.shape(vm), opts);
  }

  /** One attachment; `not_found` when absent. */
  get(vm: VmId, id: DiskAttachmentId, opts?: RequestOptions): Promise<DiskAttachment> {
    return this.api.get(this.shape(vm), `${this.shape(vm).path}/${encodeURIComponent(id)}`, opts);
  }

  /** Attaches a disk (send `active: true`; the engine's default is undefined behaviour). */
  create(vm: VmId, spec: DiskAttachmentCreateSpec, opts?: RequestOptions): Promise<DiskAttachment> {
    const diskId = spec.disk?.id;
    const lookup = diskId ? async () => (await this.list(vm, opts)).find((a) => a.disk?.id === diskId) : undefined;
    return this.api.create(this.shape(vm), spec, opts, undefined, lookup);
  }

  /** Updates an attachment (e.g. `{ disk: { provisioned_size } }` grows the disk, `bootable`, `interface`). */
  update(vm: VmId, id: DiskAttachmentId, spec: Spec<DiskAttachment>, opts?: RequestOptions): Promise<DiskAttachment> {
    return this.api.update(this.shape(vm), `${this.shape(vm).path}/${encodeURIComponent(id)}`, spec, opts);
  }

  /** Detaches (default) or, with `detachOnly: false`, deletes the disk too. */
  remove(vm: VmId, id: DiskAttachmentId, opts?: RequestOptions & { detachOnly?: boolean }): Promise<void> {
    return this.api.remove(`${this.shape(vm).path}/${encodeURIComponent(id)}`, opts, { detach_only: opts?.detachOnly });
  }
}

/** `/vms/{id}/reporteddevices`: what the guest agent reports (interface names, MACs, IPs). */
export class ReportedDevicesService {
  constructor(private readonly api: Api) {}

  /** The VM's reported devices (empty while the VM is down or has no agent). */
  list(vm: VmId, opts?: RequestOptions): Promise<ReportedDevice[]> {
    return this.api.list({ path: `${vmPath(vm)}/reporteddevices`, plural: 'reported_devices', element: 'reported_device', schema: reportedDeviceSchema, searchable: false }, opts);
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

/** `/vms/{id}/tags`: tag assignment. */
export class VmTagsService {
  constructor(private readonly api: Api) {}

  private shape(vm: VmId): CollectionShape<typeof tagSchema> {
    return { path: `${vmPath(vm)}/tags`, plural: 'tags', element: 'tag', schema: tagSchema, searchable: false };
  }

  /** Tags assigned to the VM. */
  list(vm: VmId, opts?: RequestOptions): Promise<Tag[]> {
    return this.api.list(this.shape(vm), opts);
  }

  /** Assigns a tag by id or name. */
  assign(vm: VmId, tag: RefSpec, opts?: RequestOptions): Promise<Tag> {
    const lookup = async () => (await this.list(vm, opts)).find((t) => (tag.id ? t.id === tag.id : t.name === tag.name));
    return this.api.create(this.shape(vm), tag, opts, undefined, lookup);
  }

  /** Removes the tag from the VM. */
  unassign(vm: VmId, tag: TagId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(`${this.shape(vm).path}/${encodeURIComponent(tag)}`, opts);
  }
}

/** Floating disks: create, grow, delete, wait for `ok`. */
import { diskSchema, type Disk } from '../models/disk';
import type { RefSpec, Spec } from '../models/spec';
import type { DiskId } from '../ids';
import type { RequestOptions, WaitOptions } from '../request-options';
import { OvirtError } from '../errors';
import { waitFor } from '../wait';
import { Api, Collection } from './base';

/** Body of `POST /disks`: format, size and a storage domain are required for image disks. */
export type DiskCreateSpec = Spec<Disk> & { format: string; provisioned_size: number; storage_domains: RefSpec[] };

/** The `/disks` collection. */
export class DisksService extends Collection<typeof diskSchema, DiskId> {
  constructor(api: Api) {
    super(api, { path: '/disks', plural: 'disks', element: 'disk', schema: diskSchema, searchable: true });
  }

  /** Creates a disk (status `locked` until the engine has allocated it). Looks up by alias/name after an ambiguous failure. */
  create(spec: DiskCreateSpec, opts?: RequestOptions): Promise<Disk> {
    const name = spec.name ?? spec.alias;
    return this.api.create(this.shape, spec, opts, undefined, name ? () => this.findByName(name, opts) : undefined);
  }

  /** `PUT /disks/{id}` (e.g. `{ provisioned_size }` to grow; the engine refuses to shrink). */
  update(id: DiskId, spec: Spec<Disk>, opts?: RequestOptions): Promise<Disk> {
    return this.api.update(this.shape, this.path(id), spec, opts);
  }

  /** Grows the disk to `bytes`. */
  resize(id: DiskId, bytes: number, opts?: RequestOptions): Promise<Disk> {
    return this.update(id, { provisioned_size: bytes }, opts);
  }

  /** Deletes the disk and its data. */
  remove(id: DiskId, opts?: RequestOptions): Promise<void> {
    return this.api.remove(this.path(id), opts);
  }

  /** Polls until the disk is `ok`; an `illegal` disk is a `conflict` error. */
  async waitForOk(id: DiskId, opts?: WaitOptions): Promise<Disk> {
    const disk = await waitFor(
      `disk ${id} to be ok`,
      (o) => this.get(id, o),
      (x) => x.status === 'ok' || x.status === 'illegal',
      opts,
      (x) => `status ${x.status}`,
    );
    return assertNotIllegal(disk, `disk ${id}`);
  }

  /** `POST /disks/{id}/move`: the disk is locked while its data moves to `storageDomainId`. */
  async move(id: DiskId, storageDomainId: string, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/move`, { storage_domain: { id: storageDomainId } }, 'unexecuted', opts);
  }

  /** Polls until the disk is `ok` on `storageDomainId` (a move finished). */
  async waitMoved(id: DiskId, storageDomainId: string, opts?: WaitOptions): Promise<Disk> {
    const disk = await waitFor(
      `disk ${id} to be ok on storage domain ${storageDomainId}`,
      (o) => this.get(id, o),
      (x) => x.status === 'illegal' || (x.status === 'ok' && x.storage_domains?.[0]?.id === storageDomainId),
      opts,
      (x) => `status ${x.status} on ${x.storage_domains?.[0]?.id}`,
    );
    return assertNotIllegal(disk, `disk ${id}`);
  }

  private path(id: DiskId): string {
    return `/disks/${encodeURIComponent(id)}`;
  }
}

/** Throws when an object ended `illegal` (a failed copy/creation). */
export function assertNotIllegal<T extends { status?: string }>(subject: T, what: string): T {
  if (subject.status === 'illegal') {
    throw new OvirtError({ code: 'conflict', message: `${what} ended in status illegal` });
  }
  return subject;
}

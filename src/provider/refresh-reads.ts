/**
 * The NICs and disk attachments a VM's refresh read brought along (`follow=disk_attachments,nics`),
 * kept for the `ovirt_nic` and `ovirt_disk_attachment` refresh reads of the same walk, so that
 * these cost no request of their own. Terraform refreshes a NIC or an attachment after the VM it
 * references, in the same provider process.
 *
 * Each entry serves one read, is dropped after {@link REFRESH_READ_TTL_MS}, and the whole cache is
 * dropped whenever this process changes anything (see `define.ts`): a read it cannot answer goes
 * to the engine, so drift detection loses nothing. It lives in one provider process only.
 */
import type { DiskAttachment, Nic, Vm } from '../ovirt';

/** How long a followed object may stand in for its own read (a refresh walk of 100 VM stacks takes seconds). */
export const REFRESH_READ_TTL_MS = 30_000;

interface Entry {
  value: Nic | DiskAttachment;
  until: number;
}

/** The per-process cache of followed objects; see the module comment. */
export class RefreshReads {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = REFRESH_READ_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps the NICs and attachments embedded in `vm` (nothing when the read did not follow them). */
  offer(vm: Vm): void {
    const until = this.now() + this.ttlMs;
    this.dropExpired();
    for (const nic of vm.nics ?? []) this.entries.set(`nic ${vm.id}/${nic.id}`, { value: nic, until });
    // An attachment's id is its disk's id.
    for (const att of vm.disk_attachments ?? [])
      this.entries.set(`attachment ${vm.id}/${att.disk?.id ?? att.id}`, { value: att, until });
  }

  /** The NIC `nicId` of VM `vmId` as the VM's read saw it, once; undefined: read it from the engine. */
  nic(vmId: string, nicId: string): Nic | undefined {
    return this.take(`nic ${vmId}/${nicId}`) as Nic | undefined;
  }

  /** The attachment of disk `diskId` to VM `vmId` as the VM's read saw it, once; undefined: read it. */
  attachment(vmId: string, diskId: string): DiskAttachment | undefined {
    return this.take(`attachment ${vmId}/${diskId}`) as DiskAttachment | undefined;
  }

  /** Forgets everything (this process is about to change the engine). */
  clear(): void {
    this.entries.clear();
  }

  private take(key: string): Nic | DiskAttachment | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry && entry.until > this.now() ? entry.value : undefined;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}

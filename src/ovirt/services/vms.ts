/** VMs: CRUD, power actions and the status waiter. */
import { vmSchema, type Initialization, type Vm, type VmStatus } from '../models/vm';
import type { DiskAttachment } from '../models/disk';
import type { RefSpec, Spec } from '../models/spec';
import type { VmId } from '../ids';
import type { RequestOptions, WaitOptions } from '../request-options';
import { waitFor } from '../wait';
import { Api, Collection } from './base';

/** Body of `POST /vms`: cluster, template and name are required by the engine. */
export type VmCreateSpec = Spec<Vm> & { name: string; cluster: RefSpec; template: RefSpec };
/** Body of `PUT /vms/{id}`: only the fields given change. */
export type VmUpdateSpec = Spec<Vm>;
/** Body of `POST /vms` from a snapshot: no template, the snapshot's VM configuration is the base. */
export type VmFromSnapshotSpec = Spec<Vm> & { name: string; cluster: RefSpec };

/** Options of {@link VmsService.create}. */
export interface VmCreateOptions extends RequestOptions {
  /** `clone=true`: independent copies of the template's disks. */
  clone?: boolean;
  /** `clone_permissions=true`. */
  clonePermissions?: boolean;
  /** `all_content=true`: the answer includes console, soundcard ... (saves a GET after creating). */
  allContent?: boolean;
}

/** Options of {@link VmsService.get}. */
export interface VmGetOptions extends RequestOptions {
  /** `all_content=true`: include console, soundcard, initialization data ... */
  allContent?: boolean;
  /** `next_run=true`: the configuration pending for the next boot. */
  nextRun?: boolean;
  /** `follow=` link paths, e.g. `disk_attachments.disk,nics`. */
  follow?: string;
}

/** Options of {@link VmsService.start}. */
export interface VmStartOptions extends RequestOptions {
  /** `use_initialization`: let the engine apply the stored initialization (cloud-init/sysprep by OS). */
  useInitialization?: boolean;
  /** `use_cloud_init`. */
  useCloudInit?: boolean;
  /** Run-once initialization override for this start. */
  initialization?: Spec<Initialization>;
  /** Start paused. */
  pause?: boolean;
  /** Run-once VM overrides other than initialization (e.g. os.boot.devices). */
  vm?: Spec<Vm>;
}

/** The `/vms` collection. */
export class VmsService extends Collection<typeof vmSchema, VmId> {
  constructor(api: Api) {
    super(api, { path: '/vms', plural: 'vms', element: 'vm', schema: vmSchema, searchable: true });
  }

  /** `GET /vms/{id}` with the VM's query options. */
  override get(id: VmId, opts?: VmGetOptions): Promise<Vm> {
    return this.api.get(this.shape, this.path(id), opts, {
      all_content: opts?.allContent,
      next_run: opts?.nextRun,
      follow: opts?.follow,
    });
  }

  /** Creates a VM; after an ambiguous failure it looks the VM up by name instead of posting twice. */
  create(spec: VmCreateSpec, opts?: VmCreateOptions): Promise<Vm> {
    const query = { clone: opts?.clone, clone_permissions: opts?.clonePermissions, all_content: opts?.allContent };
    return this.api.create(this.shape, spec, opts, query, () => this.findByName(spec.name, opts));
  }

  /**
   * `POST /vms` naming a snapshot: a VM with the snapshot's configuration, `spec` over it, and copies
   * of the snapshot's disks (`image_locked` until they are made).
   */
  createFromSnapshot(snapshotId: string, spec: VmFromSnapshotSpec, opts?: VmCreateOptions): Promise<Vm> {
    const body = { ...spec, snapshots: [{ id: snapshotId }] };
    const query = { all_content: opts?.allContent };
    return this.api.create(this.shape, body, opts, query, () => this.findByName(spec.name, opts));
  }

  /**
   * The `clone` action: a copy named `name` of a VM that is down. The engine answers once the copy
   * exists (`image_locked` while its disks are copied); find it by name.
   */
  async clone(id: VmId, name: string, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/clone`, { vm: { name } }, 'unexecuted', opts);
  }

  /** `PUT /vms/{id}`; `nextRun` defers the change to the next boot. */
  update(id: VmId, spec: VmUpdateSpec, opts?: RequestOptions & { nextRun?: boolean }): Promise<Vm> {
    return this.api.update(this.shape, this.path(id), spec, opts, { next_run: opts?.nextRun });
  }

  /** `DELETE /vms/{id}` (`detachOnly` keeps the disks). */
  remove(id: VmId, opts?: RequestOptions & { detachOnly?: boolean; force?: boolean }): Promise<void> {
    return this.api.remove(this.path(id), opts, { detach_only: opts?.detachOnly, force: opts?.force });
  }

  /** Powers the VM on. Retried only when the engine says it did nothing (locked / in progress). */
  async start(id: VmId, opts?: VmStartOptions): Promise<void> {
    const vm = opts?.initialization ? { ...opts.vm, initialization: opts.initialization } : opts?.vm;
    const body = {
      use_initialization: opts?.useInitialization,
      use_cloud_init: opts?.useCloudInit,
      pause: opts?.pause,
      vm,
    };
    await this.api.action(`${this.path(id)}/start`, body, 'unexecuted', opts);
  }

  /** Powers the VM off (hard). */
  async stop(id: VmId, opts?: RequestOptions & { force?: boolean }): Promise<void> {
    await this.api.action(`${this.path(id)}/stop`, { force: opts?.force }, 'unexecuted', opts);
  }

  /** Shuts the guest down gracefully (ACPI / agent). */
  async shutdown(id: VmId, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/shutdown`, {}, 'unexecuted', opts);
  }

  /** Reboots the guest. */
  async reboot(id: VmId, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/reboot`, {}, 'unexecuted', opts);
  }

  /** Live-migrates a running VM to `hostId` (the engine picks a host when it is undefined). */
  async migrate(id: VmId, hostId: string | undefined, opts?: RequestOptions): Promise<void> {
    await this.api.action(
      `${this.path(id)}/migrate`,
      { host: hostId ? { id: hostId } : undefined },
      'unexecuted',
      opts,
    );
  }

  /** The VM's disk attachments, each with its disk (`follow=disk_attachments.disk`: one request). */
  async attachedDisks(id: VmId, opts?: RequestOptions): Promise<DiskAttachment[]> {
    const vm = await this.get(id, { ...opts, follow: 'disk_attachments.disk' });
    return vm.disk_attachments ?? [];
  }

  /**
   * Pins the VM's vCPUs (and NUMA nodes) from the topology of its cluster's hosts
   * (`optimize` true); false clears that pinning.
   */
  async autoPinCpuAndNumaNodes(id: VmId, optimize: boolean, opts?: RequestOptions): Promise<void> {
    await this.api.action(
      `${this.path(id)}/autopincpuandnumanodes`,
      { optimize_cpu_settings: optimize },
      'unexecuted',
      opts,
    );
  }

  /** Polls until the VM is `up` on `hostId` (a migration finished). */
  waitRunningOn(id: VmId, hostId: string, opts?: WaitOptions): Promise<Vm> {
    return waitFor(
      `VM ${id} to run on host ${hostId}`,
      (o) => this.get(id, o),
      (vm) => vm.status === 'up' && vm.host?.id === hostId,
      opts,
      (vm) => `status ${vm.status} on host ${vm.host?.id ?? 'none'}`,
    );
  }

  /** Polls while the VM is `migrating` (a migration already under way); returns it once that ended. */
  waitMigrationEnd(id: VmId, opts?: WaitOptions): Promise<Vm> {
    return waitFor(
      `VM ${id} to finish migrating`,
      (o) => this.get(id, o),
      (vm) => vm.status !== 'migrating',
      opts,
      (vm) => `status ${vm.status}`,
    );
  }

  /** Polls until the VM has one of `statuses` (e.g. `image_locked` -> `down`); returns the VM. */
  waitForStatus(id: VmId, statuses: VmStatus | VmStatus[], opts?: WaitOptions): Promise<Vm> {
    const want = new Set<string>(Array.isArray(statuses) ? statuses : [statuses]);
    return waitFor(
      `VM ${id} to be ${[...want].join(' or ')}`,
      (o) => this.get(id, o),
      (vm) => vm.status !== undefined && want.has(vm.status),
      opts,
      (vm) => `status ${vm.status}`,
    );
  }

  private path(id: VmId): string {
    return `/vms/${encodeURIComponent(id)}`;
  }
}

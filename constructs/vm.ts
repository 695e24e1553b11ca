/**
 * `OvirtVm`: one VM with everything it needs: disks (new ones or OvirtDisks) and their attachments,
 * NICs, initialization (cloud-init script or Ignition), placement, high availability, and start.
 * Exposes the VM id, the NICs' MACs and (on demand) the guest-reported IPs.
 */
import { Construct } from 'constructs';
import { IResolveContext, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import * as l1 from './generated';
import { OvirtDisk } from './disk';
import { inScope, ValidationError } from './errors';
import { checkIgnition } from './ignition';
import type { IOvirtTemplate, IOvirtVm } from './interfaces';
import { clusterId, Ref, templateId, VnicProfileRef, vnicProfileId } from './refs';
import { parseSize, Size } from './units';
import { checkCount, checkDnsName, checkEngineName, checkMac } from './validation';

/** How a disk is attached. */
export type DiskInterface = 'virtio_scsi' | 'virtio' | 'sata' | 'ide';

/** A disk of the VM: an existing OvirtDisk, or a new one described by size and storage domain. */
export interface VmDiskSpec {
  /** An OvirtDisk to attach. Give this, or `size` and `storageDomain`. */
  readonly disk?: OvirtDisk;
  /** Size of a new disk, e.g. `'120GiB'`. */
  readonly size?: Size;
  /** Storage domain of a new disk. */
  readonly storageDomain?: Ref;
  /** Format of a new disk. @default 'cow' */
  readonly format?: 'cow' | 'raw';
  /** Bus. @default 'virtio_scsi' */
  readonly interface?: DiskInterface;
  /** Boot from this disk. @default - true for the first disk */
  readonly bootable?: boolean;
}

/** A NIC of the VM. */
export interface VmNicSpec {
  /** NIC name inside the engine, e.g. `nic1`. */
  readonly name: string;
  /** The vNIC profile (network) to plug into. */
  readonly vnicProfile: VnicProfileRef;
  /** A fixed MAC. @default - one from the engine's MAC pool */
  readonly mac?: string;
}

/** What the guest gets at first boot. */
export interface VmInitialization {
  /** Host name. @default - none */
  readonly hostname?: string;
  /** A cloud-init custom script. Cannot be combined with `ignition`. */
  readonly customScript?: string;
  /** An Ignition v3 config (JSON text), validated at synth; passed as the custom script, as RHCOS reads it. */
  readonly ignition?: string;
}

/** Props of OvirtVm. */
export interface OvirtVmProps {
  /** VM name in the engine. */
  readonly name: string;
  /** The cluster the VM runs in. */
  readonly cluster: Ref;
  /** The template to create from. @default - the Blank template */
  readonly template?: Ref | IOvirtTemplate;
  /** Virtual CPUs, as one socket with this many cores. @default 1 */
  readonly cpus?: number;
  /** Memory, e.g. `'16GiB'`. @default '1GiB' */
  readonly memory?: Size;
  /** Engine OS type, e.g. `rhcos_x64`. @default - the template's */
  readonly osType?: string;
  /** VM type. @default - the template's */
  readonly vmType?: 'server' | 'desktop' | 'high_performance';
  /** Disks, attached in order. @default - none beyond the template's */
  readonly disks?: readonly VmDiskSpec[];
  /** NICs, in order. @default - none beyond the template's */
  readonly nics?: readonly VmNicSpec[];
  /** First-boot initialization. @default - none */
  readonly initialization?: VmInitialization;
  /**
   * Pin or restrict the VM to hosts. Changing the hosts of a running VM so that its host is no
   * longer among them live-migrates it. @default - any host in the cluster
   */
  readonly placement?: {
    readonly hostIds: readonly string[];
    readonly affinity?: 'migratable' | 'user_migratable' | 'pinned';
  };
  /** Restart the VM elsewhere when its host fails; a number sets the HA priority. @default false */
  readonly highAvailability?: boolean | { readonly priority: number };
  /** Boot order. @default - the template's (disk) */
  readonly bootDevices?: ReadonlyArray<'network' | 'hd' | 'cdrom'>;
  /** Start the VM (and stop it before destroy). @default true */
  readonly start?: boolean | { readonly stopBehavior: 'shutdown' | 'stop' };
  /**
   * Snapshots to keep of the VM, e.g. one taken before an upgrade; each is taken once the VM is
   * complete (disks and NICs attached), and changing one takes a new snapshot. @default - none
   */
  readonly snapshots?: readonly VmSnapshotSpec[];
  /** The provider to use. @default - the stack's default ovirt provider */
  readonly provider?: TerraformProvider;
}

/** A snapshot of an {@link OvirtVm}. */
export interface VmSnapshotSpec {
  /** Description of the snapshot (its name in the engine). */
  readonly description: string;
  /** Save the memory of the running VM too. @default false */
  readonly persistMemory?: boolean;
}

/** A `depends_on` entry for `dep`: its address without interpolation braces, as cdktf writes its own. */
function dependsOnRef(dep: ITerraformDependable): string {
  return Token.asString({
    creationStack: [],
    resolve: (ctx: IResolveContext) => {
      ctx.suppressBraces = true;
      return dep.fqn;
    },
    toString: () => dep.fqn,
  });
}

function isTemplate(template: Ref | IOvirtTemplate | undefined): template is IOvirtTemplate {
  return template instanceof Construct;
}

/** A VM. */
export class OvirtVm extends Construct implements IOvirtVm {
  /** The L1 VM resource. */
  readonly resource: l1.vm.Vm;
  /** The NIC resources, in the order of `nics`. */
  readonly nicResources: l1.nic.Nic[] = [];
  /** The disk attachments, in the order of `disks`. */
  readonly diskAttachments: l1.diskAttachment.DiskAttachment[] = [];
  /** The snapshot resources, in the order of `snapshots`. */
  readonly snapshotResources: l1.snapshot.Snapshot[] = [];
  /** The start resource, unless `start: false`. */
  readonly startResource?: l1.vmStart.VmStart;
  /** The provider the VM's resources use (undefined: the default one). */
  readonly provider?: TerraformProvider;
  private ipsSource?: l1.dataOvirtVmIps.DataOvirtVmIps;

  constructor(scope: Construct, id: string, props: OvirtVmProps) {
    super(scope, id);
    this.provider = props.provider;
    this.resource = inScope(this.node.path, () => new l1.vm.Vm(this, 'vm', this.vmConfig(props)));
    inScope(this.node.path, () => {
      (props.disks ?? []).forEach((d, i) => this.attachDisk(d, i));
      (props.nics ?? []).forEach((n, i) => this.addNic(n, i));
    });
    (props.snapshots ?? []).forEach((spec, index) => {
      if (!spec.description.trim())
        throw new ValidationError('invalid_prop', `snapshots.${index}.description`, 'must not be empty');
      this.snapshotResources.push(
        new l1.snapshot.Snapshot(this, `snapshot${index}`, {
          vmId: this.resource.id,
          description: spec.description,
          persistMemory: spec.persistMemory,
          provider: this.provider,
          dependsOn: [...this.diskAttachments, ...this.nicResources],
        }),
      );
    });
    const start = props.start ?? true;
    if (start !== false) {
      this.startResource = new l1.vmStart.VmStart(this, 'start', {
        vmId: this.resource.id,
        stopBehavior: typeof start === 'object' ? start.stopBehavior : undefined,
        provider: this.provider,
        // Start only once the VM is complete; destroy stops it before its disks and NICs go.
        dependsOn: [...this.diskAttachments, ...this.nicResources],
      });
    }
  }

  private vmConfig(props: OvirtVmProps): l1.vm.VmConfig {
    checkEngineName(props.name, 'name');
    const cpus = props.cpus ?? 1;
    checkCount(cpus, 'cpus', 1, 4096);
    const init = props.initialization;
    if (init?.ignition !== undefined && init.customScript !== undefined) {
      throw new ValidationError(
        'conflicting_props',
        'initialization.ignition',
        'cannot be combined with initialization.customScript',
      );
    }
    if (init?.ignition !== undefined) checkIgnition(init.ignition, 'initialization.ignition');
    if (init?.hostname !== undefined) checkDnsName(init.hostname, 'initialization.hostname');
    const ha = props.highAvailability;
    const template = props.template;
    return {
      name: props.name,
      clusterId: clusterId(this, props.cluster, 'cluster', this.provider),
      templateId: isTemplate(template)
        ? template.id
        : template === undefined
          ? undefined
          : templateId(this, template, 'template', this.provider),
      cpuSockets: 1,
      cpuCores: cpus,
      cpuThreads: 1,
      memory: parseSize(props.memory ?? '1GiB', 'memory'),
      osType: props.osType,
      vmType: props.vmType,
      highAvailability: ha === undefined ? undefined : ha !== false,
      highAvailabilityPriority: typeof ha === 'object' ? ha.priority : undefined,
      bootDevices: props.bootDevices ? [...props.bootDevices] : undefined,
      placementPolicyAffinity: props.placement ? (props.placement.affinity ?? 'migratable') : undefined,
      placementPolicyHostIds: props.placement ? [...props.placement.hostIds] : undefined,
      initialization: init ? { customScript: init.ignition ?? init.customScript, hostname: init.hostname } : undefined,
      provider: this.provider,
    };
  }

  private attachDisk(spec: VmDiskSpec, index: number): void {
    const prop = `disks.${index}`;
    let disk = spec.disk;
    if (!disk) {
      if (spec.size === undefined || spec.storageDomain === undefined) {
        throw new ValidationError('invalid_prop', prop, 'give either disk, or size and storageDomain');
      }
      disk = new OvirtDisk(this, `disk${index}`, {
        size: spec.size,
        storageDomain: spec.storageDomain,
        format: spec.format,
        provider: this.provider,
        sparse: spec.format === 'raw' ? false : undefined,
      });
    }
    this.diskAttachments.push(
      new l1.diskAttachment.DiskAttachment(this, `disk${index}-attachment`, {
        vmId: this.resource.id,
        diskId: disk.id,
        interface: spec.interface ?? 'virtio_scsi',
        bootable: spec.bootable ?? index === 0,
        active: true,
        provider: this.provider,
      }),
    );
  }

  private addNic(spec: VmNicSpec, index: number): void {
    checkEngineName(spec.name, `nics.${index}.name`);
    if (spec.mac !== undefined) checkMac(spec.mac, `nics.${index}.mac`);
    this.nicResources.push(
      new l1.nic.Nic(this, `nic${index}`, {
        vmId: this.resource.id,
        name: spec.name,
        vnicProfileId: vnicProfileId(this, spec.vnicProfile, `nics.${index}.vnicProfile`, this.provider),
        mac: spec.mac,
        provider: this.provider,
      }),
    );
  }

  /** Starts the VM only once `deps` exist (e.g. its boot entry, so a network boot finds it). */
  startAfter(...deps: ITerraformDependable[]): void {
    if (!this.startResource) return;
    this.startResource.dependsOn = [...(this.startResource.dependsOn ?? []), ...deps.map(dependsOnRef)];
  }

  /** The VM's id. */
  get id(): string {
    return this.resource.id;
  }

  /** The host the VM runs on (empty while it is down). */
  get hostId(): string {
    return this.resource.hostId;
  }

  /** The MACs of the NICs, in the order of `nics`. */
  get macs(): string[] {
    return this.nicResources.map((n) => n.mac);
  }

  /**
   * The IPv4 addresses the guest agent reports, read after start (adds an `ovirt_vm_ips` data
   * source on first use, so VMs whose IPs nobody reads cost nothing).
   */
  get ipv4Addresses(): string[] {
    return this.ips().ipv4Addresses;
  }

  /** The IPv6 addresses the guest agent reports (see ipv4Addresses). */
  get ipv6Addresses(): string[] {
    return this.ips().ipv6Addresses;
  }

  private ips(): l1.dataOvirtVmIps.DataOvirtVmIps {
    this.ipsSource ??= new l1.dataOvirtVmIps.DataOvirtVmIps(this, 'ips', {
      vmId: this.resource.id,
      provider: this.provider,
      dependsOn: this.startResource ? [this.startResource] : undefined,
    });
    return this.ipsSource;
  }
}

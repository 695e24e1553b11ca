/**
 * One OpenShift node: its VM and, where it needs one, its boot entry. Template mode hands the VM
 * its Ignition as the custom script (the bootstrap's as a pointer to the boot server); PXE mode boots
 * the RHCOS live images from the boot server, which also serves the node's Ignition.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import type { BootArtifactServer } from '../boot-server';
import { PxeBootEntry } from '../pxe-boot-entry';
import type { Ref, VnicProfileRef } from '../refs';
import type { IOvirtTemplate } from '../interfaces';
import { OvirtVm } from '../vm';
import { pointerIgnition } from './pointer';
import type { PxeBoot, TemplateBoot } from './props';
import type { OpenShiftRole, ResolvedNodeSize } from './sizes';

/** Everything a node needs that is the same for the whole cluster. */
export interface NodeContext {
  readonly clusterName: string;
  readonly ovirtCluster: Ref;
  readonly storageDomain: Ref;
  readonly vnicProfile: VnicProfileRef;
  readonly boot: TemplateBoot | PxeBoot;
  readonly bootServer: BootArtifactServer;
  readonly provider?: TerraformProvider;
}

/** What describes one node. */
export interface NodeSpec {
  readonly role: OpenShiftRole;
  /** VM, host and entry name, e.g. `ocp-master-0`. */
  readonly name: string;
  readonly size: ResolvedNodeSize;
  /** The node's full Ignition config (text or a Terraform expression). */
  readonly ignition: string;
}

/** A node of the cluster. */
export class OpenShiftNode extends Construct {
  readonly role: OpenShiftRole;
  readonly name: string;
  readonly vm: OvirtVm;
  /** The boot entry (PXE mode: every node; template mode: the bootstrap). */
  readonly bootEntry?: PxeBootEntry;

  constructor(scope: Construct, id: string, ctx: NodeContext, spec: NodeSpec) {
    super(scope, id);
    this.role = spec.role;
    this.name = spec.name;
    if (ctx.boot.mode === 'template') {
      // The bootstrap's config is too large for the VM's payload: publish it behind a token URL and
      // hand the VM a pointer to it. Labels select the entry, so it exists before the VM's NIC does.
      this.bootEntry =
        spec.role === 'bootstrap'
          ? new PxeBootEntry(this, 'boot', {
              name: spec.name,
              server: ctx.bootServer,
              role: spec.role,
              labels: { cluster: ctx.clusterName, role: spec.role },
              ignition: spec.ignition,
              requireToken: true,
              provider: ctx.provider,
            })
          : undefined;
      const ignition = this.bootEntry
        ? pointerIgnition({ source: this.bootEntry.ignitionUrl!, caPem: ctx.bootServer.caPem })
        : spec.ignition;
      this.vm = this.makeVm(ctx, spec, ctx.boot.template, ignition);
    } else {
      this.vm = this.makeVm(ctx, spec, undefined, undefined);
      this.bootEntry = new PxeBootEntry(this, 'boot', {
        name: spec.name,
        server: ctx.bootServer,
        role: spec.role,
        vm: this.vm,
        ipxe: pxeIpxe(ctx.boot),
        ignition: spec.ignition,
        oneShot: true,
        provider: ctx.provider,
      });
    }
    if (this.bootEntry) this.vm.startAfter(this.bootEntry.resource);
  }

  private makeVm(
    ctx: NodeContext,
    spec: NodeSpec,
    template: Ref | IOvirtTemplate | undefined,
    ignition: string | undefined,
  ): OvirtVm {
    const pxe = ctx.boot.mode === 'pxe';
    return new OvirtVm(this, 'vm', {
      name: spec.name,
      cluster: ctx.ovirtCluster,
      template,
      cpus: spec.size.cpus,
      memory: spec.size.memoryBytes,
      osType: 'rhcos_x64',
      vmType: 'server',
      highAvailability: spec.role === 'master',
      nics: [{ name: 'nic1', vnicProfile: ctx.vnicProfile }],
      disks: pxe
        ? [{ size: spec.size.diskBytes, storageDomain: ctx.storageDomain, interface: 'virtio_scsi', bootable: true }]
        : undefined,
      bootDevices: pxe ? ['network', 'hd'] : undefined,
      initialization: ignition === undefined ? undefined : { hostname: spec.name, ignition },
      start: { stopBehavior: 'stop' },
      provider: ctx.provider,
    });
  }

  /** The URL this node's Ignition is served at by the boot server, if it is. */
  get ignitionUrl(): string | undefined {
    return this.bootEntry?.ignitionUrl;
  }
}

/** The iPXE answer of PXE mode: the live kernel installs RHCOS to disk with the node's Ignition. */
function pxeIpxe(boot: PxeBoot) {
  return {
    kernel: boot.kernelUrl,
    initrd: [boot.initramfsUrl],
    args: [
      'ip=dhcp',
      'rd.neednet=1',
      `coreos.live.rootfs_url=${boot.rootfsUrl}`,
      `coreos.inst.install_dev=${boot.installDevice ?? '/dev/sda'}`,
      'coreos.inst.ignition_url={{ignition_url}}',
      ...(boot.extraKernelArgs ?? []),
    ],
  };
}

/** Props of OpenShiftIpiCluster. */
import type { TerraformProvider } from 'cdktf';
import type { BootArtifactServer } from '../boot-server';
import type { Ref, VnicProfileRef } from '../refs';
import type { IOvirtTemplate } from '../interfaces';
import type { IgnitionSource } from './ignition-source';
import type { NodeSize } from './sizes';

/**
 * Template mode: every node is a VM made from an RHCOS template; Ignition goes in as the VM's
 * custom script. Give an existing `template`, or an `image` to make one from.
 */
export interface TemplateBoot {
  readonly mode: 'template';
  /** The RHCOS template (OpenStack image, `ignition.platform.id=openstack`). @default - the template made from `image` */
  readonly template?: Ref | IOvirtTemplate;
  /**
   * The RHCOS OpenStack qcow2 to make the template from, as the installer did: uploaded into the
   * disk `<infraId>-rhcos`, made into the template `<infraId>-rhcos` through a temporary VM that is
   * removed. An http(s) URL, or a file path as Terraform sees it (absolute, or relative to the
   * synthesized stack's folder). @default - none: `template` is used
   */
  readonly image?: string;
}

/** PXE mode: nodes network-boot RHCOS live images from the boot server and install to disk. */
export interface PxeBoot {
  readonly mode: 'pxe';
  /** URL of the RHCOS live kernel. */
  readonly kernelUrl: string;
  /** URL of the RHCOS live initramfs. */
  readonly initramfsUrl: string;
  /** URL of the RHCOS live rootfs (`coreos.live.rootfs_url`). */
  readonly rootfsUrl: string;
  /** Disk coreos-installer writes to (the root disk is attached with virtio-scsi). @default '/dev/sda' */
  readonly installDevice?: string;
  /** More kernel arguments, e.g. `console=ttyS0`. @default - none */
  readonly extraKernelArgs?: readonly string[];
}

/**
 * The nodes' Ignition: the installer's three files, or the bootstrap file plus pointer configs for
 * masters and workers generated from the Machine Config Server's CA.
 */
export interface OpenShiftIgnition {
  /** bootstrap.ign (required while the bootstrap node exists). */
  readonly bootstrap?: IgnitionSource;
  /** master.ign. @default - a pointer config to `https://<API VIP>:22623/config/master` trusting `machineConfigCaPem` */
  readonly master?: IgnitionSource;
  /** worker.ign. @default - a pointer config to `https://<API VIP>:22623/config/worker` trusting `machineConfigCaPem` */
  readonly worker?: IgnitionSource;
  /** PEM of the CA that signs the Machine Config Server's certificate (the installer's root CA). */
  readonly machineConfigCaPem?: string;
}

/** A group of nodes of one role. */
export interface NodePool {
  /** How many. */
  readonly count?: number;
  /** Size of each. @default - the recommended size of the role */
  readonly size?: NodeSize;
}

/** Props of OpenShiftIpiCluster. */
export interface OpenShiftIpiClusterProps {
  /** Cluster name, a DNS label; VM names are `<clusterName>-master-0` etc. */
  readonly clusterName: string;
  /** The installer's infra id (e.g. `ocp-7xk2p`): prefix of the RHCOS image disk and template made from `boot.image`. @default - clusterName */
  readonly infraId?: string;
  /** Base domain, e.g. `example.com`; the API is `api.<clusterName>.<baseDomain>`. */
  readonly baseDomain: string;
  /** The oVirt cluster the VMs run in. */
  readonly ovirtCluster: Ref;
  /** Storage domain for the VMs' disks. */
  readonly storageDomain: Ref;
  /** vNIC profile (network) of the nodes' NIC. */
  readonly vnicProfile: VnicProfileRef;
  /** API virtual IPs (keepalived on the control plane); the first is the Machine Config Server's address. */
  readonly apiVips: readonly string[];
  /** Ingress virtual IPs. */
  readonly ingressVips: readonly string[];
  /** How the nodes boot. */
  readonly boot: TemplateBoot | PxeBoot;
  /** The boot server that serves the bootstrap's Ignition (both modes) and every node's iPXE (PXE mode). */
  readonly bootServer: BootArtifactServer;
  /** Ignition configs. */
  readonly ignition: OpenShiftIgnition;
  /** Control plane: 1 or an odd number ≥ 3. @default { count: 3 } */
  readonly masters?: NodePool;
  /** Compute nodes. @default { count: 2 } */
  readonly workers?: NodePool;
  /** The bootstrap node; set `enabled: false` after bootstrap-complete to remove it. @default { enabled: true } */
  readonly bootstrap?: { readonly enabled?: boolean; readonly size?: NodeSize };
  /** Whether the per-role anti-affinity groups are enforcing (hard) rather than preferred. @default false */
  readonly enforceAntiAffinity?: boolean;
  /** Add `ovirt_vm_ips` lookups and IP outputs (needs a guest agent reporting IPs). @default true */
  readonly ipOutputs?: boolean;
  /** The provider to use; it must be configured with `bootServer`. @default - the stack's default ovirt provider */
  readonly provider?: TerraformProvider;
}

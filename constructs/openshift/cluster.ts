/**
 * `OpenShiftIpiCluster`: the VMs of an OpenShift cluster on oVirt, as the installer's IPI flow made
 * them: a bootstrap node (removable after bootstrap-complete), 1 or an odd number ≥ 3 masters and N
 * workers, per-role anti-affinity groups, Ignition from the installer (or pointer configs to the
 * Machine Config Server), booted from an RHCOS template or over PXE from the boot server.
 */
import { Annotations, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import * as l1 from '../generated';
import { inScope, ValidationError } from '../errors';
import { clusterId, storageDomainId, type Ref } from '../refs';
import type { IOvirtTemplate } from '../interfaces';
import { checkCount, checkDnsLabel, checkDnsName, checkMasterCount, checkUrl, checkVips } from '../validation';
import { resolveIgnition } from './ignition-source';
import { NodeContext, OpenShiftNode } from './nodes';
import { machineConfigUrl, pointerIgnition } from './pointer';
import type { OpenShiftIpiClusterProps, TemplateBoot } from './props';
import { NodeSize, OpenShiftRole, resolveNodeSize } from './sizes';

/** Longest cluster name that keeps `<name>-worker-NNNN` a valid boot entry name (63 characters). */
const MAX_CLUSTER_NAME = 40;

/** An OpenShift cluster's machines on oVirt. */
export class OpenShiftIpiCluster extends Construct {
  private bootstrapNode?: OpenShiftNode;
  /** The control-plane nodes. */
  readonly masters: OpenShiftNode[] = [];
  /** The compute nodes. */
  readonly workers: OpenShiftNode[] = [];
  private readonly props: OpenShiftIpiClusterProps;

  constructor(scope: Construct, id: string, props: OpenShiftIpiClusterProps) {
    super(scope, id);
    this.props = props;
    inScope(this.node.path, () => this.build());
  }

  private build(): void {
    const props = this.props;
    this.checkNames();
    checkVips({ apiVips: props.apiVips, ingressVips: props.ingressVips });
    const masterCount = props.masters?.count ?? 3;
    checkMasterCount(masterCount, 'masters.count');
    const workerCount = props.workers?.count ?? 2;
    checkCount(workerCount, 'workers.count', 0, 10000);
    if (props.boot.mode === 'pxe') {
      checkUrl(props.boot.kernelUrl, 'boot.kernelUrl');
      checkUrl(props.boot.initramfsUrl, 'boot.initramfsUrl');
      checkUrl(props.boot.rootfsUrl, 'boot.rootfsUrl');
    }
    const boot =
      props.boot.mode === 'template'
        ? { mode: 'template' as const, template: this.rhcosTemplate(props.boot) }
        : props.boot;
    const ctx: NodeContext = {
      clusterName: props.clusterName,
      ovirtCluster: props.ovirtCluster,
      storageDomain: props.storageDomain,
      vnicProfile: props.vnicProfile,
      boot,
      bootServer: props.bootServer,
      provider: props.provider,
    };
    const bootstrapOn = props.bootstrap?.enabled ?? true;
    const ign = this.ignitionFor(bootstrapOn);
    // Sizes are resolved once per role, so a warning is given once, not once per node.
    const sizes = {
      bootstrap: bootstrapOn ? this.size('bootstrap', props.bootstrap?.size, 'bootstrap.size') : undefined,
      master: this.size('master', props.masters?.size, 'masters.size'),
      worker: workerCount > 0 ? this.size('worker', props.workers?.size, 'workers.size') : undefined,
    };
    const node = (role: OpenShiftRole, suffix: string) =>
      new OpenShiftNode(this, suffix, ctx, {
        role,
        name: `${props.clusterName}-${suffix}`,
        size: sizes[role]!,
        ignition: ign[role]!,
      });
    if (bootstrapOn) this.bootstrapNode = node('bootstrap', 'bootstrap');
    for (let i = 0; i < masterCount; i++) this.masters.push(node('master', `master-${i}`));
    for (let i = 0; i < workerCount; i++) this.workers.push(node('worker', `worker-${i}`));
    this.antiAffinity('masters', this.masters);
    this.antiAffinity('workers', this.workers);
    this.outputs();
  }

  /** The given template, or one made from `boot.image`: upload, temporary VM, template (as the installer's image stage). */
  private rhcosTemplate(boot: TemplateBoot): Ref | IOvirtTemplate {
    if ((boot.template === undefined) === (boot.image === undefined)) {
      throw new ValidationError(
        'invalid_prop',
        'boot',
        'template mode needs exactly one of template (an existing RHCOS template) and image (an RHCOS qcow2 to make it from)',
      );
    }
    if (boot.template) return boot.template;
    const props = this.props;
    if (!boot.image?.trim())
      throw new ValidationError(
        'invalid_prop',
        'boot.image',
        'must be a file path or an http(s) URL of the RHCOS OpenStack qcow2, got an empty string',
      );
    const infra = props.infraId ?? props.clusterName;
    checkDnsLabel(infra, 'infraId');
    const disk = new l1.diskFromImage.DiskFromImage(this, 'rhcos-image', {
      source: boot.image,
      alias: `${infra}-rhcos`,
      format: 'cow',
      storageDomainId: storageDomainId(this, props.storageDomain, 'storageDomain', props.provider),
      provider: props.provider,
    });
    const template = new l1.template.Template(this, 'rhcos-template', {
      name: `${infra}-rhcos`,
      description: 'Template in use by OpenShift. Do not delete!',
      diskId: disk.id,
      clusterId: clusterId(this, props.ovirtCluster, 'ovirtCluster', props.provider),
      provider: props.provider,
    });
    return { id: template.id };
  }

  private checkNames(): void {
    const props = this.props;
    checkDnsLabel(props.clusterName, 'clusterName');
    if (props.clusterName.length > MAX_CLUSTER_NAME) {
      throw new ValidationError(
        'invalid_prop',
        'clusterName',
        `must be at most ${MAX_CLUSTER_NAME} characters so node names stay valid; got ${props.clusterName.length}`,
      );
    }
    checkDnsName(props.baseDomain, 'baseDomain');
    checkDnsName(`api-int.${props.clusterName}.${props.baseDomain}`, 'baseDomain');
  }

  private size(role: OpenShiftRole, size: NodeSize | undefined, prop: string) {
    const resolved = resolveNodeSize(role, size, prop);
    for (const w of resolved.warnings) Annotations.of(this).addWarning(w);
    if (this.props.boot.mode === 'template' && size?.diskSize !== undefined) {
      Annotations.of(this).addWarning(`${prop}.diskSize: ignored in template mode (the root disk is the template's)`);
    }
    return resolved.size;
  }

  /** Each role's full config: given files/text, or pointer configs to the Machine Config Server. */
  private ignitionFor(bootstrapOn: boolean): Partial<Record<OpenShiftRole, string>> {
    const ign = this.props.ignition;
    const out: Partial<Record<OpenShiftRole, string>> = {};
    if (bootstrapOn) {
      if (!ign.bootstrap)
        throw new ValidationError(
          'missing_setting',
          'ignition.bootstrap',
          'is needed while the bootstrap node is enabled (bootstrap.ign from openshift-install)',
        );
      out.bootstrap = resolveIgnition(this, ign.bootstrap, 'ignition.bootstrap');
    }
    for (const role of ['master', 'worker'] as const) {
      const given = ign[role];
      if (given) {
        out[role] = resolveIgnition(this, given, `ignition.${role}`);
        continue;
      }
      if (!ign.machineConfigCaPem) {
        throw new ValidationError(
          'missing_setting',
          `ignition.${role}`,
          "give the installer's config, or ignition.machineConfigCaPem to generate a pointer config",
        );
      }
      out[role] = pointerIgnition({
        source: machineConfigUrl(this.props.apiVips[0]!, role),
        caPem: ign.machineConfigCaPem,
      });
    }
    return out;
  }

  /** A negative VM-affinity group per role, so the engine spreads the role's VMs over hosts. */
  private antiAffinity(role: 'masters' | 'workers', nodes: OpenShiftNode[]): void {
    if (nodes.length < 2) return;
    const props = this.props;
    const cluster = clusterId(this, props.ovirtCluster, 'ovirtCluster', props.provider);
    const group = new l1.affinityGroup.AffinityGroup(this, `${role}-anti-affinity`, {
      clusterId: cluster,
      name: `${props.clusterName}-${role}`,
      description: `OpenShift ${props.clusterName}: keep ${role} on different hosts`,
      vmsRule: { affinity: 'negative', enforcing: props.enforceAntiAffinity ?? false },
      provider: props.provider,
    });
    nodes.forEach(
      (node) =>
        new l1.vmAffinityGroup.VmAffinityGroup(node, 'anti-affinity', {
          clusterId: cluster,
          vmId: node.vm.id,
          affinityGroupId: group.id,
          provider: props.provider,
        }),
    );
  }

  /** The bootstrap node, unless disabled. */
  get bootstrap(): OpenShiftNode | undefined {
    return this.bootstrapNode;
  }

  /** All nodes, bootstrap first. */
  get nodes(): OpenShiftNode[] {
    return [...(this.bootstrap ? [this.bootstrap] : []), ...this.masters, ...this.workers];
  }

  private outputs(): void {
    const ips = this.props.ipOutputs ?? true;
    const describe = (node: OpenShiftNode) => ({
      name: node.name,
      id: node.vm.id,
      mac: node.vm.macs[0],
      ...(ips ? { ipv4: node.vm.ipv4Addresses } : {}),
    });
    const name = this.props.clusterName;
    new TerraformOutput(this, `${name}-nodes`, {
      staticId: true,
      description: `OpenShift ${name}: VM ids, MACs${ips ? ' and IPs' : ''} per role`,
      value: {
        ...(this.bootstrap ? { bootstrap: describe(this.bootstrap) } : {}),
        masters: this.masters.map(describe),
        workers: this.workers.map(describe),
      },
    });
    // Boot URLs include the bootstrap's token URL, which gives its secrets away: sensitive.
    new TerraformOutput(this, `${name}-boot-urls`, {
      staticId: true,
      sensitive: true,
      description: `OpenShift ${name}: the boot server's chain URL and each node's iPXE and Ignition URLs`,
      value: {
        chain: this.props.bootServer.chainUrl,
        nodes: Object.fromEntries(
          this.nodes
            .filter((n) => n.bootEntry)
            .map((node) => [
              node.name,
              {
                ...(node.bootEntry!.ipxeUrl ? { ipxe: node.bootEntry!.ipxeUrl } : {}),
                ignition: node.ignitionUrl,
              },
            ]),
        ),
      },
    });
  }
}

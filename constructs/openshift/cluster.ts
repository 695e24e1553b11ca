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
    const p = this.props;
    this.checkNames();
    checkVips({ apiVips: p.apiVips, ingressVips: p.ingressVips });
    const masterCount = p.masters?.count ?? 3;
    checkMasterCount(masterCount, 'masters.count');
    const workerCount = p.workers?.count ?? 2;
    checkCount(workerCount, 'workers.count', 0, 10000);
    if (p.boot.mode === 'pxe') {
      checkUrl(p.boot.kernelUrl, 'boot.kernelUrl');
      checkUrl(p.boot.initramfsUrl, 'boot.initramfsUrl');
      checkUrl(p.boot.rootfsUrl, 'boot.rootfsUrl');
    }
    const boot =
      p.boot.mode === 'template' ? { mode: 'template' as const, template: this.rhcosTemplate(p.boot) } : p.boot;
    const ctx: NodeContext = {
      clusterName: p.clusterName,
      ovirtCluster: p.ovirtCluster,
      storageDomain: p.storageDomain,
      vnicProfile: p.vnicProfile,
      boot,
      bootServer: p.bootServer,
      provider: p.provider,
    };
    const bootstrapOn = p.bootstrap?.enabled ?? true;
    const ign = this.ignitionFor(bootstrapOn);
    // Sizes are resolved once per role, so a warning is given once, not once per node.
    const sizes = {
      bootstrap: bootstrapOn ? this.size('bootstrap', p.bootstrap?.size, 'bootstrap.size') : undefined,
      master: this.size('master', p.masters?.size, 'masters.size'),
      worker: workerCount > 0 ? this.size('worker', p.workers?.size, 'workers.size') : undefined,
    };
    const node = (role: OpenShiftRole, suffix: string) =>
      new OpenShiftNode(this, suffix, ctx, {
        role,
        name: `${p.clusterName}-${suffix}`,
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
    const p = this.props;
    if (!boot.image?.trim())
      throw new ValidationError(
        'invalid_prop',
        'boot.image',
        'must be a file path or an http(s) URL of the RHCOS OpenStack qcow2, got an empty string',
      );
    const infra = p.infraId ?? p.clusterName;
    checkDnsLabel(infra, 'infraId');
    const disk = new l1.diskFromImage.DiskFromImage(this, 'rhcos-image', {
      source: boot.image,
      alias: `${infra}-rhcos`,
      format: 'cow',
      storageDomainId: storageDomainId(this, p.storageDomain, 'storageDomain', p.provider),
      provider: p.provider,
    });
    const template = new l1.template.Template(this, 'rhcos-template', {
      name: `${infra}-rhcos`,
      description: 'Template in use by OpenShift. Do not delete!',
      diskId: disk.id,
      clusterId: clusterId(this, p.ovirtCluster, 'ovirtCluster', p.provider),
      provider: p.provider,
    });
    return { id: template.id };
  }

  private checkNames(): void {
    const p = this.props;
    checkDnsLabel(p.clusterName, 'clusterName');
    if (p.clusterName.length > MAX_CLUSTER_NAME) {
      throw new ValidationError(
        'invalid_prop',
        'clusterName',
        `must be at most ${MAX_CLUSTER_NAME} characters so node names stay valid; got ${p.clusterName.length}`,
      );
    }
    checkDnsName(p.baseDomain, 'baseDomain');
    checkDnsName(`api-int.${p.clusterName}.${p.baseDomain}`, 'baseDomain');
  }

  private size(role: OpenShiftRole, size: NodeSize | undefined, prop: string) {
    const r = resolveNodeSize(role, size, prop);
    for (const w of r.warnings) Annotations.of(this).addWarning(w);
    if (this.props.boot.mode === 'template' && size?.diskSize !== undefined) {
      Annotations.of(this).addWarning(`${prop}.diskSize: ignored in template mode (the root disk is the template's)`);
    }
    return r.size;
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
    const p = this.props;
    const cluster = clusterId(this, p.ovirtCluster, 'ovirtCluster', p.provider);
    const group = new l1.affinityGroup.AffinityGroup(this, `${role}-anti-affinity`, {
      clusterId: cluster,
      name: `${p.clusterName}-${role}`,
      description: `OpenShift ${p.clusterName}: keep ${role} on different hosts`,
      vmsRule: { affinity: 'negative', enforcing: p.enforceAntiAffinity ?? false },
      provider: p.provider,
    });
    nodes.forEach(
      (n) =>
        new l1.vmAffinityGroup.VmAffinityGroup(n, 'anti-affinity', {
          clusterId: cluster,
          vmId: n.vm.id,
          affinityGroupId: group.id,
          provider: p.provider,
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
    const describe = (n: OpenShiftNode) => ({
      name: n.name,
      id: n.vm.id,
      mac: n.vm.macs[0],
      ...(ips ? { ipv4: n.vm.ipv4Addresses } : {}),
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
            .map((n) => [
              n.name,
              {
                ...(n.bootEntry!.ipxeUrl ? { ipxe: n.bootEntry!.ipxeUrl } : {}),
                ignition: n.ignitionUrl,
              },
            ]),
        ),
      },
    });
  }
}

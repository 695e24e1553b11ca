/**
 * An `ovirt_vm` made from another VM instead of a template: from one of its snapshots (`POST /vms`
 * naming the snapshot) or with the engine's `clone` action. Both copy the source's disks, so the new
 * VM is `image_locked` until the copies are made, and the create waits for that as it does for a
 * create from a template.
 */
import type { OvirtClient, Vm, VmCreateSpec, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { isUnknown, path, type Diagnostics } from '../../tfplugin';
import { str } from '../common';
import type { AttributeHints } from '../errors';
import { reqOpts } from '../ops';
import type { VmPlan } from './vm-schema';

/** Where a cloned VM comes from. */
export interface CloneSource {
  kind: 'snapshot' | 'vm';
  id: string;
}

/** Engine refusals of a clone, on the attribute that names the source. */
export const CLONE_HINTS: AttributeHints = [
  [/Cannot clone VM|VM is running|VM is locked/i, 'source_vm_id'],
  [/Snapshot/i, 'source_snapshot_id'],
];

/** The configured source of a clone, if any (undefined too while it is unknown). */
export function cloneSource(values: VmPlan): CloneSource | undefined {
  const snapshot = str(values.source_snapshot_id);
  if (snapshot) return { kind: 'snapshot', id: snapshot };
  const vm = str(values.source_vm_id);
  return vm ? { kind: 'vm', id: vm } : undefined;
}

/** Whether a configuration value is known and set (an unknown one is checked again at plan time). */
const given = (value: unknown) =>
  value !== null && value !== undefined && !isUnknown(value) && (!Array.isArray(value) || value.length > 0);

/**
 * A clone's disks come from its source: the template attributes and a second source conflict.
 * Called when the configuration is validated and again when it is planned, with the values known by then.
 */
export function checkCloneConfig(config: VmPlan, diags: Diagnostics): void {
  const source = given(config.source_snapshot_id)
    ? 'source_snapshot_id'
    : given(config.source_vm_id)
      ? 'source_vm_id'
      : undefined;
  if (!source) return;
  const from = source === 'source_vm_id' ? 'VM' : 'snapshot';
  for (const key of ['source_vm_id', 'template_id', 'clone', 'template_disk_attachment_override'] as const) {
    if (key !== source && given(config[key])) {
      diags.error(
        'Conflicting VM Source',
        `${key} cannot be set together with ${source}: a VM made from a ${from} gets its disks and configuration from it.`,
        path(key),
      );
    }
  }
}

/** The source VM of a clone exists, and the clone's cluster is its (the engine clones into the source's cluster). */
export async function checkCloneSource(
  api: OvirtClient,
  sourceVm: string,
  clusterId: string | undefined,
  diags: Diagnostics,
  signal: AbortSignal,
): Promise<void> {
  const vm = await api.vms.tryGet(asId<VmId>(sourceVm), reqOpts(signal));
  if (!vm) {
    diags.error(
      'Unknown Source VM',
      `source_vm_id names VM ${sourceVm}, which the engine does not have.`,
      path('source_vm_id'),
    );
  } else if (clusterId && vm.cluster?.id && vm.cluster.id !== clusterId) {
    diags.error(
      'Clone In Another Cluster',
      `The engine makes a clone in the cluster of its source VM "${vm.name ?? sourceVm}" (${vm.cluster.id}); set cluster_id to it.`,
      path('cluster_id'),
    );
  }
}

/**
 * Makes the VM from `source`. From a snapshot: one `POST /vms` with the configured settings,
 * answered with the new VM. From a VM: the `clone` action, which takes only the name, so undefined is
 * returned and the caller finds the new VM by name and sends the settings to it.
 */
export async function createFromSource(
  api: OvirtClient,
  source: CloneSource,
  body: VmCreateSpec,
  opts: { signal: AbortSignal; correlationId: string },
): Promise<Vm | undefined> {
  if (source.kind === 'vm') {
    await api.vms.clone(asId<VmId>(source.id), body.name, opts);
    return undefined;
  }
  const { template: _template, disk_attachments: _overrides, ...spec } = body;
  return api.vms.createFromSnapshot(source.id, spec, { ...opts, allContent: true });
}

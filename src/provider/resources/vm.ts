/**
 * `ovirt_vm`: a virtual machine. Created from a template, a snapshot or another VM (waiting while
 * its disks are copied), read back in full (the next-run view, so pending changes count as
 * applied), updated in place with one `PUT` (as next-run configuration while it runs), deleted after stopping it.
 */
import { createHash } from 'node:crypto';
import type { OvirtClient, Vm, VmId } from '../../ovirt';
import { checkPlacement, migrateIntoPlacement, placementChanged } from './vm-migrate';
import { OvirtError } from '../../ovirt/errors';
import { asId } from '../../ovirt/ids';
import { isUnknown, path, type Diagnostics } from '../../tfplugin';
import { defineResource } from '../define';
import { settle, str, num, bool, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, isNotFound, ProviderError, type AttributeHints } from '../errors';
import { vmSchema, type VmApplyPlan, type VmPlan, type VmState } from './vm-schema';
import { checkOsType } from './os-type';
import { checkCpuPinning } from './vm-cpu-pinning';
import { CLONE_HINTS, checkCloneConfig, checkCloneSource, cloneSource, createFromSource } from './vm-clone';
import { fitMaximum, updateSelection, vmFromEngine, vmSpec, withPrior } from './vm-mapping';

/** Engine fault texts and the attribute they are about. */
export const VM_HINTS: AttributeHints = [
  [/name is already in use|name.*(invalid|too long)/i, 'name'],
  [/Memory Guaranteed/i, 'memory_guaranteed'],
  [/Maximum memory/i, 'maximum_memory'],
  [/memory/i, 'memory'],
  [/Template/i, 'template_id'],
  [/Cluster/i, 'cluster_id'],
  [/instance type/i, 'instance_type_id'],
  [/CPU pinning|vCPU|pCPU/i, 'cpu_pinning'],
  [/CPU|socket|core|thread/i, 'cpu_sockets'],
  [/host/i, 'placement_policy_host_ids'],
];

/** How long a delete waits for a graceful shutdown before powering the VM off. */
const SHUTDOWN_GRACE_MS = 120_000;

function createBody(config: VmPlan, plan: VmApplyPlan) {
  const configured = (k: keyof VmPlan) => config[k] !== null && !isUnknown(config[k]);
  const spec = vmSpec(plan, configured);
  fitMaximum(spec, config, null);
  // Unset means empty: without this the VM would inherit the template's texts and show drift.
  spec.description ??= '';
  spec.comment ??= '';
  const overrides = plan.template_disk_attachment_override.map((override) => ({
    disk: {
      id: override.disk_id,
      format: override.format ?? undefined,
      sparse: override.sparse ?? undefined,
      storage_domains: override.storage_domain_id ? [{ id: override.storage_domain_id }] : undefined,
    },
  }));
  return {
    ...spec,
    name: plan.name,
    cluster: { id: str(plan.cluster_id) },
    template: { id: str(plan.template_id) },
    ...(overrides.length ? { disk_attachments: overrides } : {}),
  };
}

/** How {@link stopVm} powers a VM off. */
export interface StopOptions {
  /** Try an ACPI shutdown first, power off only after a grace period (default true). */
  graceful?: boolean;
  /** The engine's `force`: power off even during a backup or snapshot. */
  force?: boolean;
}

/** Shuts the VM down (then powers it off after a grace period) and waits until it is down. */
export async function stopVm(
  api: OvirtClient,
  id: VmId,
  signal: AbortSignal,
  options: StopOptions = {},
): Promise<void> {
  const graceful = options.graceful ?? true;
  const tolerate = (e: unknown) => {
    if (!OvirtError.is(e, 'conflict')) throw e;
  };
  if (graceful) {
    await api.vms.shutdown(id, reqOpts(signal)).catch(tolerate);
    const grace = AbortSignal.any([signal, AbortSignal.timeout(SHUTDOWN_GRACE_MS)]);
    const down = await api.vms.waitForStatus(id, 'down', waitOpts(grace)).then(
      () => true,
      (err: unknown) => {
        if (signal.aborted || !OvirtError.is(err, 'aborted', 'timeout')) throw err;
        return false;
      },
    );
    if (down) return;
  }
  await api.vms.stop(id, { signal, force: options.force }).catch(tolerate);
  await api.vms.waitForStatus(id, 'down', waitOpts(signal));
}

/** Deletes a VM, stopping it first when the engine says it is running; a VM already gone is fine. */
async function deleteVm(api: OvirtClient, id: VmId, signal: AbortSignal): Promise<void> {
  try {
    await untilUnlocked(signal, () => api.vms.remove(id, reqOpts(signal)));
    return;
  } catch (err) {
    if (isNotFound(err)) return;
    if (!OvirtError.is(err, 'conflict')) throw err;
  }
  await stopVm(api, id, signal);
  await untilUnlocked(signal, () => api.vms.remove(id, reqOpts(signal)));
}

/** Engines that ignore `all_content` on create leave these out of the answer. */
const ALL_CONTENT_FIELDS = ['console', 'soundcard_enabled'] as const;

/**
 * The created VM once its template disks are copied (`image_locked` -> `down`), with the
 * all-content fields; costs no request when the engine answered a ready VM in full.
 */
async function settled(api: OvirtClient, created: Vm, signal: AbortSignal): Promise<Vm> {
  const id = asId<VmId>(created.id);
  let vm = created.status === 'image_locked' ? await api.vms.waitForStatus(id, 'down', waitOpts(signal)) : created;
  vm = {
    ...vm,
    console: vm.console ?? created.console,
    soundcard_enabled: vm.soundcard_enabled ?? created.soundcard_enabled,
  };
  if (ALL_CONTENT_FIELDS.some((f) => vm[f] === undefined))
    vm = await api.vms.get(id, { signal, allContent: true, nextRun: true });
  return vm;
}

/**
 * The correlation id a VM's create is sent with: derived from what the create asks for, so a later
 * run can tell a VM that this provider's interrupted create made (the engine keeps the creating
 * job, with this id) from someone else's VM that happens to share the name.
 */
export function createCorrelationId(name: string, clusterId: string, templateId: string): string {
  return `tf-vm-${createHash('sha256').update(`${name}\0${clusterId}\0${templateId}`).digest('hex').slice(0, 24)}`;
}

/**
 * Creates the VM, or adopts the one an interrupted run created: when Ctrl-C or a killed provider
 * cut a create short after the engine made the VM, the state never got its id, and names are
 * unique per data center, so posting again fails with "name is already in use". Only then is the
 * name looked up (the usual create costs no look-up).
 * A VM is adopted only when it is in the planned cluster, from the planned template, AND the engine
 * still has the job our create started (same correlation id); it then gets the planned settings.
 * Any other VM of that name is reported, never taken over (and so never destroyed by us).
 */
async function createOrAdopt(api: OvirtClient, config: VmPlan, plan: VmApplyPlan, signal: AbortSignal): Promise<Vm> {
  const body = createBody(config, plan);
  const source = cloneSource(plan);
  const correlationId = createCorrelationId(body.name, body.cluster.id ?? '', source?.id ?? body.template.id ?? '');
  let nameInUse: unknown;
  try {
    const made = await untilUnlocked(signal, () =>
      source
        ? createFromSource(api, source, body, { signal, correlationId })
        : api.vms.create(body, { signal, correlationId, clone: bool(plan.clone), allContent: true }),
    );
    if (made) return made;
  } catch (err) {
    // The engine said 400 for this before 2016, 409 since.
    if (!(OvirtError.is(err) && /name is already in use/i.test(`${err.reason ?? ''} ${err.detail ?? ''}`))) throw err;
    nameInUse = err;
  }
  // Here after the clone action (which answers without the new VM) or when the name is taken.
  const found = await api.vms.findByName(body.name, { signal });
  if (!found) {
    throw (
      nameInUse ??
      new ProviderError('not_found', `The engine cloned VM ${source?.id} but has no VM named "${body.name}".`)
    );
  }
  if (nameInUse !== undefined) {
    // A clone's origin is in the job (its correlation id names the source); a template VM's also in the VM.
    const template = bool(plan.clone) ? found.original_template?.id : found.template?.id;
    const ours =
      found.cluster?.id === body.cluster.id &&
      (source !== undefined || template === body.template.id) &&
      (await api.jobs.byCorrelationId(correlationId, { signal })).length > 0;
    if (!ours) {
      throw new ProviderError(
        'already_exists',
        `A VM named "${body.name}" already exists (${found.id}) and was not created by an interrupted run of this configuration; import it (terraform import) or choose another name.`,
      );
    }
  }
  const { name: _name, cluster: _cluster, template: _template, disk_attachments: _overrides, ...settings } = body;
  return untilUnlocked(signal, () => api.vms.update(asId<VmId>(found.id), settings, { signal, nextRun: true }));
}

/** Order-independent text of the disk override blocks. */
function overrideKey(blocks: unknown): string {
  return JSON.stringify((Array.isArray(blocks) ? blocks : []).map((b) => JSON.stringify(b)).sort());
}

function checkMemory(plan: VmPlan, diags: Diagnostics): void {
  const memory = num(plan.memory);
  const max = num(plan.maximum_memory);
  const guaranteed = num(plan.memory_guaranteed);
  if (memory !== undefined && max !== undefined && max < memory) {
    diags.error(
      'Maximum Memory Below Memory',
      `maximum_memory (${max} bytes) must be at least memory (${memory} bytes).`,
      path('maximum_memory'),
    );
  }
  if (memory !== undefined && guaranteed !== undefined && guaranteed > memory) {
    diags.error(
      'Guaranteed Memory Above Memory',
      `memory_guaranteed (${guaranteed} bytes) cannot exceed memory (${memory} bytes); the engine refuses it ("Physical Memory Guaranteed cannot exceed Memory Size").`,
      path('memory_guaranteed'),
    );
  }
}

/** The `ovirt_vm` resource. */
export const vmResource = defineResource({
  typeName: 'ovirt_vm',
  description:
    'A virtual machine. Memory, CPU, name and most settings are updated in place (as next-run configuration while the VM runs); power state is managed by `ovirt_vm_start`. Deleting a running VM shuts it down first (powering it off after 2 minutes).',
  schema: vmSchema,
  timeouts: { create: '20m', read: '5m', update: '20m', delete: '20m' },

  validate({ config, diags }) {
    checkCloneConfig(config, diags);
    // `terraform validate` sees bad pins too; the plan checks them again with the planned topology.
    checkCpuPinning(config, diags);
    const props = config.custom_properties;
    if (props && !isUnknown(props) && 'hugepages' in props) {
      diags.error(
        'Use huge_pages',
        'Set huge pages with the `huge_pages` attribute, not `custom_properties.hugepages`.',
        path('custom_properties'),
      );
    }
  },

  async modifyPlan({ config, plan, state, client, diags, signal, requireReplace }) {
    checkMemory(plan, diags);
    checkCpuPinning(plan, diags);
    checkCloneConfig(config, diags);
    const os = str(plan.os_type);
    if (os && os !== state?.os_type) await checkOsType(os, client, diags, signal);
    const moveTo = placementChanged(plan, state);
    if (moveTo && client.hasEngine) await checkPlacement(client.engine, str(plan.cluster_id), moveTo, diags, signal);
    const source = cloneSource(plan);
    if (source?.kind === 'vm' && !state && client.hasEngine) {
      await checkCloneSource(client.engine, source.id, str(plan.cluster_id), diags, signal);
    }
    // An imported clone shows the template the engine names; the configuration (none) does not replace it.
    if (source && state) Object.assign(plan, { template_id: state.template_id, clone: state.clone });
    // Disk overrides only act while the template's disks are copied: a change needs a new VM.
    // An imported VM (no overrides known) is not replaced for them.
    const before = state?.template_disk_attachment_override ?? [];
    if (
      before.length &&
      !isUnknown(plan.template_disk_attachment_override) &&
      overrideKey(before) !== overrideKey(plan.template_disk_attachment_override)
    ) {
      requireReplace('template_disk_attachment_override');
    }
  },

  async create({ config, plan, client, diags, signal }) {
    const name = plan.name;
    const hints = cloneSource(plan) ? [...CLONE_HINTS, ...VM_HINTS] : VM_HINTS;
    const ctx = { action: `creating VM "${name}"`, hints, signal, op: 'create' as const };
    const api = () => client.engine;
    const created = await attempt(diags, ctx, () => createOrAdopt(api(), config, plan, signal));
    if (!created) return null;
    // The VM exists from here on: any failure still returns it, so Terraform keeps (and taints) it.
    const vm = await attempt(diags, { ...ctx, action: `waiting for VM "${name}" (${created.id}) to be ready` }, () =>
      settled(api(), created, signal),
    );
    return settle(plan, vmFromEngine(vm ?? created, plan as Partial<VmState>));
  },

  async read({ state, client, diags, signal }) {
    // The next-run view: changes saved for the next boot count as applied, so they are no drift.
    // Its NICs and disk attachments come along: their own refresh reads then cost no request.
    const id = asId<VmId>(state.id);
    const opts = { signal, allContent: true, nextRun: true, follow: 'disk_attachments,nics' };
    const vm = await readObject(diags, { action: `reading VM ${state.id}`, signal, op: 'read' }, async () => {
      const got = await client.engine.vms.get(id, opts);
      if (got.status !== 'migrating') return got;
      // A migration that an interrupted apply started still runs: where it ends is the VM's real host.
      await client.engine.vms.waitMigrationEnd(id, waitOpts(signal));
      return client.engine.vms.get(id, opts);
    });
    if (vm) client.refreshReads.offer(vm);
    return vm === undefined ? state : vm && vmFromEngine(vm, state);
  },

  async update({ config, plan, state, client, diags, signal }) {
    const values = withPrior(plan, state);
    const spec = vmSpec(values, updateSelection(config, values, state));
    fitMaximum(spec, config, state);
    const id = asId<VmId>(state.id);
    const ctx = { action: `updating VM "${state.name}" (${id})`, hints: VM_HINTS, signal, op: 'update' as const };
    const vm = await attempt(diags, ctx, () =>
      Object.keys(spec).length
        ? untilUnlocked(signal, () => client.engine.vms.update(id, spec, { signal, nextRun: true }))
        : client.engine.vms.get(id, { signal, allContent: true, nextRun: true }),
    );
    // A running VM whose host is no longer allowed moves now, rather than at its next start.
    const migrated =
      vm &&
      (await attempt(diags, { ...ctx, action: `migrating VM "${state.name}" (${id}) to an allowed host` }, () =>
        migrateIntoPlacement(client.engine, id, placementChanged(plan, state), signal),
      ));
    return vm ? settle(plan, vmFromEngine(migrated ?? vm, state)) : state;
  },

  async delete({ state, client, diags, signal }) {
    const id = asId<VmId>(state.id);
    await removeObject(diags, { action: `deleting VM "${state.name}" (${id})`, signal, op: 'delete' }, () =>
      deleteVm(client.engine, id, signal),
    );
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    return { id, template_disk_attachment_override: [] };
  },
});

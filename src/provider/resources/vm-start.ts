/**
 * `ovirt_vm_start`: the power state of a VM. Create and update bring the VM to `status` and wait
 * for it; read reports the VM's real state, so a VM stopped behind Terraform's back shows as a
 * change back to `up` (in place, not a replacement); destroy stops the VM.
 */
import type { OvirtClient, Vm, VmId } from '../../ovirt';
import { OvirtError } from '../../ovirt/errors';
import { asId } from '../../ovirt/ids';
import { attr, schema, oneOf, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, UUID_PATTERN } from '../common';
import { attempt, readObject, reqOpts, untilUnlocked, waitOpts } from '../ops';
import { badImportId, isNotFound, type AttributeHints } from '../errors';
import { stopVm } from './vm';

const HINTS: AttributeHints = [[/bootable disk|Cannot run VM/i, 'vm_id']];

const vmStartSchema = schema({
  attributes: {
    id: idAttribute('Same as `vm_id`.'),
    vm_id: attr.string({
      required: true,
      forceNew: true,
      description: 'The VM to power on (or keep off).',
      validators: [isUuid],
    }),
    status: attr.string({
      optional: true,
      computed: true,
      default: 'up',
      description:
        "Desired power state: `up` (default) or `down`. Read reports the VM's real state (`up`, `down`, or a transient engine status), so a VM powered off outside Terraform plans a start again.",
      validators: [oneOf('up', 'down')],
    }),
    stop_behavior: attr.string({
      optional: true,
      computed: true,
      default: 'shutdown',
      description:
        'How to power the VM off (on destroy or `status = "down"`): `shutdown` (graceful, then forced after 2 minutes) or `stop` (immediate power off).',
      validators: [oneOf('shutdown', 'stop')],
    }),
    force_stop: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description: 'Power off even while the VM is in a backup or a snapshot operation.',
    }),
    use_initialization: attr.bool({
      optional: true,
      computed: true,
      default: false,
      description:
        "Ask the engine to apply the VM's stored initialization (cloud-init or Ignition) on this start, even if the VM ran before.",
    }),
  },
});

type VmStartState = StateOf<typeof vmStartSchema>;

/** Engine statuses that mean "running or about to be". */
const UPISH = new Set(['up', 'powering_up', 'wait_for_launch', 'reboot_in_progress', 'migrating']);
/** Engine statuses that mean "off or about to be". */
const DOWNISH = new Set(['down', 'powering_down']);

/** The power state Terraform compares with `status`. */
function powerState(vm: Vm): string {
  const status = vm.status ?? 'unknown';
  return UPISH.has(status) ? 'up' : DOWNISH.has(status) ? 'down' : status;
}

function stopOptions(settings: { stop_behavior: string | null; force_stop: boolean | null }) {
  return { graceful: settings.stop_behavior !== 'stop', force: settings.force_stop === true };
}

async function bringTo(api: OvirtClient, desired: VmStartState, signal: AbortSignal): Promise<void> {
  const id = asId<VmId>(desired.vm_id);
  if (desired.status === 'down') {
    await stopVm(api, id, signal, stopOptions(desired));
    return;
  }
  await untilUnlocked(signal, () =>
    api.vms.start(id, { signal, useInitialization: desired.use_initialization ? true : undefined }),
  ).catch((err: unknown) => {
    // Already running (started outside Terraform, or a retried start): the wait below confirms it.
    if (!(OvirtError.is(err, 'conflict') && /is running/i.test(`${err.detail ?? ''} ${err.message}`))) throw err;
  });
  await api.vms.waitForStatus(id, 'up', waitOpts(signal));
}

/** The `ovirt_vm_start` resource. */
export const vmStartResource = defineResource({
  typeName: 'ovirt_vm_start',
  description: 'Powers a VM on (or keeps it off) and waits for the state. Destroying it powers the VM off.',
  schema: vmStartSchema,
  timeouts: { create: '20m', update: '20m', delete: '20m' },

  async create({ plan, client, diags, signal }) {
    const desired: VmStartState = { ...plan, id: plan.vm_id };
    await attempt(
      diags,
      { action: `powering VM ${desired.vm_id} ${desired.status}`, hints: HINTS, signal, op: 'create' },
      () => bringTo(client.engine, desired, signal),
    );
    return diags.hasError() ? null : desired;
  },

  async read({ state, client, diags, signal }) {
    const vm = await readObject(diags, { action: `reading VM ${state.vm_id}`, signal, op: 'read' }, () =>
      client.engine.vms.get(asId<VmId>(state.vm_id), reqOpts(signal)),
    );
    return vm === undefined ? state : vm && { ...state, id: state.vm_id, status: powerState(vm) };
  },

  async update({ plan, state, client, diags, signal }) {
    const desired: VmStartState = { ...plan, id: state.id };
    if (desired.status !== state.status) {
      await attempt(
        diags,
        { action: `powering VM ${desired.vm_id} ${desired.status}`, hints: HINTS, signal, op: 'update' },
        () => bringTo(client.engine, desired, signal),
      );
    }
    return diags.hasError() ? state : desired;
  },

  async delete({ state, client, diags, signal }) {
    const id = asId<VmId>(state.vm_id);
    await attempt(diags, { action: `powering VM ${id} off`, signal, op: 'delete' }, async () => {
      const vm = await client.engine.vms.get(id, reqOpts(signal)).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (!vm || vm.status === 'down') return;
      await stopVm(client.engine, id, signal, stopOptions(state));
    });
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    return { id, vm_id: id, status: null, stop_behavior: 'shutdown', force_stop: false, use_initialization: false };
  },
});

/**
 * `ovirt_nic`: a VM network interface. Name, vNIC profile, interface model and MAC are read back
 * and updated in place; the MAC is always known after apply.
 */
import type { Nic, NicId, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, useStateForUnknown, schema, oneOf, matches, type ApplyPlanOf, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, isUuid, parentIdAttribute, settle, str, splitId, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [
  [/MAC/i, 'mac'],
  [/name|interface is already in use/i, 'name'],
  [/profile|network/i, 'vnic_profile_id'],
  [/VM/i, 'vm_id'],
];

const nicSchema = schema({
  attributes: {
    id: idAttribute('The NIC id.'),
    vm_id: parentIdAttribute('The VM the NIC belongs to. Changing it replaces the NIC.'),
    name: attr.string({
      required: true,
      description: 'NIC name, unique within the VM (e.g. `nic1`). Updated in place.',
    }),
    vnic_profile_id: attr.string({
      required: true,
      description: 'vNIC profile (network and its settings) the NIC connects to. Updated in place.',
      validators: [isUuid],
    }),
    interface: attr.string({
      optional: true,
      computed: true,
      default: 'virtio',
      description:
        'Device model: `virtio` (default), `e1000`, `e1000e`, `rtl8139`, `rtl8139_virtio`, `spapr_vlan` or `pci_passthrough`. Updated in place.',
      validators: [oneOf('virtio', 'e1000', 'e1000e', 'rtl8139', 'rtl8139_virtio', 'spapr_vlan', 'pci_passthrough')],
    }),
    mac: attr.string({
      optional: true,
      computed: true,
      planModifiers: [useStateForUnknown()],
      description:
        "MAC address. When unset the engine assigns one from the cluster's MAC pool; it is always known after apply (use it for per-MAC boot entries). Updated in place.",
      validators: [matches(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'a MAC address such as 56:6f:1a:2b:00:01')],
    }),
  },
});

type NicState = StateOf<typeof nicSchema>;

function fromEngine(nic: Nic, vmId: string): NicState {
  return {
    id: nic.id,
    vm_id: vmId,
    name: nic.name ?? '',
    vnic_profile_id: nic.vnic_profile?.id ?? '',
    interface: nic.interface ?? 'virtio',
    mac: nic.mac?.address ?? null,
  };
}

function body(plan: ApplyPlanOf<typeof nicSchema>) {
  const mac = str(plan.mac);
  return {
    name: plan.name,
    interface: str(plan.interface),
    vnic_profile: { id: str(plan.vnic_profile_id) },
    ...(mac ? { mac: { address: mac } } : {}),
  };
}

/** Case-insensitive MAC comparison: keep the configured spelling when the engine lower-cases it. */
function keepMacSpelling(state: NicState, plan: Record<string, unknown>): NicState {
  const mac = str(plan.mac);
  return mac && state.mac && mac.toLowerCase() === state.mac.toLowerCase() ? { ...state, mac: mac } : state;
}

/** The `ovirt_nic` resource. */
export const nicResource = defineResource({
  typeName: 'ovirt_nic',
  description: 'A network interface of a VM.',
  schema: nicSchema,
  timeouts: { create: '10m', read: '5m', update: '10m', delete: '10m' },

  async create({ plan, client, diags, signal }) {
    const vm = asId<VmId>(plan.vm_id);
    const ctx = { action: `adding NIC "${str(plan.name)}" to VM ${vm}`, hints: HINTS, signal, op: 'create' as const };
    const nic = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () => client.engine.vmNics.create(vm, body(plan), reqOpts(signal))),
    );
    return nic ? settle(plan, keepMacSpelling(fromEngine(nic, vm), plan)) : null;
  },

  async read({ state, client, diags, signal }) {
    const nic = await readObject(
      diags,
      { action: `reading NIC ${state.id} of VM ${state.vm_id}`, signal, op: 'read' },
      async () =>
        client.refreshReads.nic(state.vm_id, state.id) ??
        client.engine.vmNics.get(asId<VmId>(state.vm_id), asId<NicId>(state.id), reqOpts(signal)),
    );
    return nic === undefined ? state : nic && keepMacSpelling(fromEngine(nic, state.vm_id), state);
  },

  async update({ plan, state, client, diags, signal }) {
    const ctx = {
      action: `updating NIC ${state.id} of VM ${state.vm_id}`,
      hints: HINTS,
      signal,
      op: 'update' as const,
    };
    const nic = await attempt(diags, ctx, () =>
      untilUnlocked(signal, () =>
        client.engine.vmNics.update(asId<VmId>(state.vm_id), asId<NicId>(state.id), body(plan), reqOpts(signal)),
      ),
    );
    return nic ? settle(plan, keepMacSpelling(fromEngine(nic, state.vm_id), plan)) : state;
  },

  async delete({ state, client, diags, signal }) {
    const ctx = { action: `removing NIC ${state.id} from VM ${state.vm_id}`, signal, op: 'delete' as const };
    await removeObject(diags, ctx, () =>
      untilUnlocked(signal, () =>
        client.engine.vmNics.remove(asId<VmId>(state.vm_id), asId<NicId>(state.id), reqOpts(signal)),
      ),
    );
  },

  async importState({ id, diags }) {
    const [vmId, nicId] = splitId(id, 2) ?? [];
    if (!vmId || !nicId || ![vmId, nicId].every((p) => UUID_PATTERN.test(p)))
      return badImportId(diags, id, '`<vm_id>/<nic_id>`');
    return { id: nicId, vm_id: vmId };
  },
});

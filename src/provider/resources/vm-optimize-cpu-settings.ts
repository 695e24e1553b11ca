/**
 * `ovirt_vm_optimize_cpu_settings`: CPU auto-pinning of one VM. Create asks the engine to pin the
 * VM's vCPUs from the host topology of its cluster (`autopincpuandnumanodes` with
 * `optimize_cpu_settings` true); destroy sends false, which clears that pinning.
 */
import type { Vm, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, schema, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, parentIdAttribute, UUID_PATTERN } from '../common';
import { attempt, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [[/VM|Host/i, 'vm_id']];

const optimizeSchema = schema({
  attributes: {
    id: idAttribute('The VM id (also the import id).'),
    vm_id: parentIdAttribute('The VM whose CPUs are auto-pinned. Changing it replaces the resource.'),
    cpu_pinning_policy: attr.string({
      computed: true,
      description: "The VM's CPU pinning policy as the engine reports it after pinning.",
    }),
    cpu_pinning: attr.string({
      computed: true,
      description:
        "The resulting pinning in the engine's notation, `vcpu#cpu_set` pairs joined by `_` (e.g. `0#0_1#1`); empty when nothing is pinned.",
    }),
  },
});

type OptimizeState = StateOf<typeof optimizeSchema>;

/** The state of the resource for `vm` as the engine reports it. */
function stateOf(vm: Vm): OptimizeState {
  const pins = vm.cpu?.cpu_tune?.vcpu_pins ?? [];
  return {
    id: vm.id,
    vm_id: vm.id,
    cpu_pinning_policy: vm.cpu_pinning_policy ?? 'none',
    cpu_pinning: pins.map((pin) => `${pin.vcpu ?? 0}#${pin.cpu_set ?? ''}`).join('_'),
  };
}

/** The `ovirt_vm_optimize_cpu_settings` resource. */
export const vmOptimizeCpuSettingsResource = defineResource({
  typeName: 'ovirt_vm_optimize_cpu_settings',
  description:
    "Auto-pins the CPUs of one VM from the host topology of its cluster (the engine's `autopincpuandnumanodes` action with `optimize_cpu_settings`). Destroying the resource clears that pinning. Leave `cpu_pinning` of the `ovirt_vm` unset while this resource pins it (it then reads this pinning back with no diff); a VM that sets both would be re-pinned by hand on every apply.",
  schema: optimizeSchema,
  timeouts: { create: '5m', read: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    const vm = asId<VmId>(plan.vm_id);
    const ctx = { action: `auto-pinning the CPUs of VM ${vm}`, hints: HINTS, signal, op: 'create' as const };
    const done = await attempt(diags, ctx, async () => {
      await untilUnlocked(signal, () => client.engine.vms.autoPinCpuAndNumaNodes(vm, true, reqOpts(signal)));
      return client.engine.vms.get(vm, reqOpts(signal));
    });
    return done ? stateOf(done) : null;
  },

  async read({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    const found = await readObject(diags, { action: `reading VM ${vm}`, signal, op: 'read' }, () =>
      client.engine.vms.get(vm, reqOpts(signal)),
    );
    return found === undefined ? state : found && stateOf(found);
  },

  async delete({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    await removeObject(diags, { action: `clearing the CPU pinning of VM ${vm}`, signal, op: 'delete' }, () =>
      untilUnlocked(signal, () => client.engine.vms.autoPinCpuAndNumaNodes(vm, false, reqOpts(signal))),
    );
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    return { id, vm_id: id, cpu_pinning_policy: null, cpu_pinning: null };
  },
});

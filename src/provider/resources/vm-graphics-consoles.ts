/**
 * `ovirt_vm_graphics_consoles`: the set of graphics consoles (SPICE, VNC) of one VM. A console the
 * configuration does not list, including one added outside Terraform, is drift and is removed on
 * apply; no `console` block at all makes the VM headless. The engine has no update of a console,
 * so converging is removing and adding.
 */
import type { GraphicsConsole, GraphicsConsoleId, OvirtClient, VmId } from '../../ovirt';
import { GRAPHICS_PROTOCOLS, type GraphicsProtocol } from '../../ovirt/graphics-protocols';
import { asId } from '../../ovirt/ids';
import { attr, block, oneOf, schema, type ApplyPlanOf, type Diagnostics, type StateOf } from '../../tfplugin';
import { defineResource } from '../define';
import { idAttribute, parentIdAttribute, UUID_PATTERN } from '../common';
import { convergeOrList, readObject, removeObject, reqOpts, untilUnlocked } from '../ops';
import { badImportId, type AttributeHints } from '../errors';

const HINTS: AttributeHints = [
  [/Graphics|console|protocol/i, 'console'],
  [/VM/i, 'vm_id'],
];

const consolesSchema = schema({
  attributes: {
    id: idAttribute('The VM id (also the import id).'),
    vm_id: parentIdAttribute('The VM whose graphics consoles this resource owns. Changing it replaces the resource.'),
  },
  blocks: {
    console: block.set(
      {
        attributes: {
          protocol: attr.string({
            required: true,
            description: `The console protocol: ${GRAPHICS_PROTOCOLS.map((p) => `\`${p}\``).join(', ')}.`,
            validators: [oneOf(...GRAPHICS_PROTOCOLS)],
          }),
        },
      },
      {
        description:
          'One graphics console of the VM. No `console` block removes them all (a headless VM). A change takes effect at the next start of a running VM.',
      },
    ),
  },
});

type ConsolesState = StateOf<typeof consolesSchema>;

function stateOf(vmId: string, list: GraphicsConsole[]): ConsolesState {
  const protocols = [...new Set(list.map((console) => console.protocol ?? ''))].sort();
  return { id: vmId, vm_id: vmId, console: protocols.map((protocol) => ({ protocol })) };
}

/** A protocol the engine knows (the schema refuses any other at plan time). */
const isProtocol = (value: string): value is GraphicsProtocol =>
  (GRAPHICS_PROTOCOLS as readonly string[]).includes(value);

/** Removes the consoles `want` does not list and adds the missing ones; returns what the engine has then. */
async function converge(api: OvirtClient, vm: VmId, want: string[], signal: AbortSignal): Promise<GraphicsConsole[]> {
  const consoles = api.graphicsConsoles;
  const have = await consoles.list(vm, reqOpts(signal));
  for (const console of have.filter((existing) => !want.includes(existing.protocol ?? ''))) {
    await untilUnlocked(signal, () => consoles.remove(vm, asId<GraphicsConsoleId>(console.id), reqOpts(signal)));
  }
  const present = new Set(have.map((existing) => existing.protocol));
  for (const protocol of want.filter((wanted) => !present.has(wanted)).filter(isProtocol)) {
    await untilUnlocked(signal, () => consoles.add(vm, protocol, reqOpts(signal)));
  }
  return consoles.list(vm, reqOpts(signal));
}

/** Create and update: converge, and on a failure still record what the engine has. */
async function applyConsoles(
  plan: ApplyPlanOf<typeof consolesSchema>,
  client: { engine: OvirtClient },
  diags: Diagnostics,
  signal: AbortSignal,
  op: 'create' | 'update',
) {
  const vm = asId<VmId>(plan.vm_id);
  const ctx = { action: `setting the graphics consoles of VM ${vm}`, hints: HINTS, signal, op };
  const want = plan.console.map((row) => row.protocol);
  const now = await convergeOrList(
    diags,
    ctx,
    `listing the graphics consoles of VM ${vm}`,
    () => converge(client.engine, vm, want, signal),
    () => client.engine.graphicsConsoles.list(vm, reqOpts(signal)),
  );
  return now ? stateOf(vm, now) : null;
}

/** The `ovirt_vm_graphics_consoles` resource. */
export const vmGraphicsConsolesResource = defineResource({
  typeName: 'ovirt_vm_graphics_consoles',
  description:
    'All the graphics consoles (SPICE, VNC) of one VM. Consoles no `console` block lists, including ones added outside Terraform, show as drift and are removed on apply; without any `console` block the VM is headless. Destroying the resource removes the consoles it lists.',
  schema: consolesSchema,
  timeouts: { create: '5m', read: '5m', update: '5m', delete: '5m' },

  async create({ plan, client, diags, signal }) {
    return applyConsoles(plan, client, diags, signal, 'create');
  },

  async read({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    const list = await readObject(
      diags,
      { action: `reading the graphics consoles of VM ${vm}`, signal, op: 'read' },
      () => client.engine.graphicsConsoles.list(vm, reqOpts(signal)),
    );
    return list === undefined ? state : list && stateOf(vm, list);
  },

  async update({ plan, state, client, diags, signal }) {
    return (await applyConsoles(plan, client, diags, signal, 'update')) ?? state;
  },

  async delete({ state, client, diags, signal }) {
    const vm = asId<VmId>(state.vm_id);
    const listed = state.console.map((row) => row.protocol);
    await removeObject(
      diags,
      { action: `removing the graphics consoles of VM ${vm}`, signal, op: 'delete' },
      async () => {
        const have = await client.engine.graphicsConsoles.list(vm, reqOpts(signal));
        for (const console of have.filter((existing) => listed.includes(existing.protocol ?? ''))) {
          await untilUnlocked(signal, () =>
            client.engine.graphicsConsoles.remove(vm, asId<GraphicsConsoleId>(console.id), reqOpts(signal)),
          );
        }
      },
    );
  },

  async importState({ id, diags }) {
    if (!UUID_PATTERN.test(id)) return badImportId(diags, id, 'a VM id (a UUID)');
    return { id, vm_id: id };
  },
});

/** Graphics consoles of VMs and templates (ids are the hex-encoded protocol) and VM NIC plugging. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { entityHref } from '../engine/render';
import { Tree, str } from '../store/repr';
import { Ctx, Reply, Route, actionDone } from '../engine/handler';
import { Entity, Kind, ref } from '../store/store';

const PROTOCOLS = ['spice', 'vnc'];

function hexId(protocol: string): string {
  return Buffer.from(protocol, 'utf8').toString('hex');
}

/** The protocols of an object's consoles: set ones, or what its display type implies. */
export function consoleProtocols(e: Entity): string[] {
  const set = e.meta.consoles as string[] | undefined;
  if (set) return set;
  if (str(e.data, 'display.type') === 'spice') return ['spice', 'vnc'];
  return ['vnc'];
}

function owner(c: Ctx, kind: Kind): Entity {
  return c.sim.must(kind, c.params.p);
}

function view(e: Entity, protocol: string): Tree {
  const back = e.kind === 'vms' ? { vm: ref('vms', e.id) } : { template: ref('templates', e.id) };
  return { href: `${entityHref(e)}/graphicsconsoles/${hexId(protocol)}`, id: hexId(protocol), protocol, ...back };
}

function routes(kind: 'vms' | 'templates'): Route[] {
  const base = `${kind}/{p}/graphicsconsoles`;
  return [
    {
      method: 'GET',
      pattern: base,
      handler: (c): Reply => {
        const e = owner(c, kind);
        return { root: 'graphics_consoles', body: { graphics_console: consoleProtocols(e).map((p) => view(e, p)) } };
      },
    },
    {
      method: 'GET',
      pattern: `${base}/{id}`,
      opaque: ['id'],
      handler: (c): Reply => {
        const e = owner(c, kind);
        const p = consoleProtocols(e).find((x) => hexId(x) === c.params.id);
        if (!p) throw new EngineFault(404, '');
        return { root: 'graphics_console', body: view(e, p) };
      },
    },
    {
      method: 'POST',
      pattern: base,
      root: 'graphics_console',
      service: 'graphics_consoles/methods/add',
      handler: (c): Reply => {
        const e = owner(c, kind);
        const protocol = str(c.body, 'protocol');
        if (!protocol) throw incomplete('GraphicsConsole', 'protocol');
        if (!PROTOCOLS.includes(protocol)) {
          throw new EngineFault(
            400,
            'Invalid Enum value',
            `${protocol} is not a member of GraphicsType. Possible values are: ${PROTOCOLS.join(', ')}`,
          );
        }
        const cur = consoleProtocols(e);
        if (cur.includes(protocol))
          throw opFailed(
            409,
            `Cannot add Graphics Device. Graphics device of the given type is already attached to the VM.`,
          );
        e.meta.consoles = [...cur, protocol];
        c.sim.onChange();
        return { status: 201, root: 'graphics_console', body: view(e, protocol) };
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/{id}`,
      opaque: ['id'],
      handler: (c): Reply => {
        const e = owner(c, kind);
        const cur = consoleProtocols(e);
        if (!cur.some((x) => hexId(x) === c.params.id)) throw new EngineFault(404, '');
        e.meta.consoles = cur.filter((x) => hexId(x) !== c.params.id);
        c.sim.onChange();
        return actionDone();
      },
    },
  ];
}

function plug(c: Ctx, plugged: boolean): Reply {
  const nic = c.sim.must('nics', c.params.id, c.sim.must('vms', c.params.vm).id);
  nic.data.plugged = plugged;
  c.sim.onChange();
  return actionDone();
}

/** Routes of graphics consoles and NIC (de)activation. */
export const consoleRoutes: Route[] = [
  ...routes('vms'),
  ...routes('templates'),
  {
    method: 'POST',
    pattern: 'vms/{vm}/nics/{id}/activate',
    root: 'action',
    service: 'vm_nic/methods/activate',
    handler: (c) => plug(c, true),
  },
  {
    method: 'POST',
    pattern: 'vms/{vm}/nics/{id}/deactivate',
    root: 'action',
    service: 'vm_nic/methods/deactivate',
    handler: (c) => plug(c, false),
  },
];

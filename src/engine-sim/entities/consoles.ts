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
export function consoleProtocols(entity: Entity): string[] {
  const set = entity.meta.consoles as string[] | undefined;
  if (set) return set;
  if (str(entity.data, 'display.type') === 'spice') return ['spice', 'vnc'];
  return ['vnc'];
}

function owner(ctx: Ctx, kind: Kind): Entity {
  return ctx.sim.must(kind, ctx.params.p);
}

function view(entity: Entity, protocol: string): Tree {
  const back = entity.kind === 'vms' ? { vm: ref('vms', entity.id) } : { template: ref('templates', entity.id) };
  return { href: `${entityHref(entity)}/graphicsconsoles/${hexId(protocol)}`, id: hexId(protocol), protocol, ...back };
}

export function consoleRoutes(kind: 'vms' | 'templates'): Route[] {
  const base = `${kind}/{p}/graphicsconsoles`;
  return [
    {
      method: 'GET',
      pattern: base,
      handler: (ctx): Reply => {
        const entity = owner(ctx, kind);
        return {
          root: 'graphics_consoles',
          body: { graphics_console: consoleProtocols(entity).map((p) => view(entity, p)) },
        };
      },
    },
    {
      method: 'GET',
      pattern: `${base}/{id}`,
      opaque: ['id'],
      handler: (ctx): Reply => {
        const entity = owner(ctx, kind);
        const part = consoleProtocols(entity).find((x) => hexId(x) === ctx.params.id);
        if (!part) throw new EngineFault(404, '');
        return { root: 'graphics_console', body: view(entity, part) };
      },
    },
    {
      method: 'POST',
      pattern: base,
      root: 'graphics_console',
      service: 'graphics_consoles/methods/add',
      handler: (ctx): Reply => {
        const entity = owner(ctx, kind);
        const protocol = str(ctx.body, 'protocol');
        if (!protocol) throw incomplete('GraphicsConsole', 'protocol');
        if (!PROTOCOLS.includes(protocol)) {
          throw new EngineFault(
            400,
            'Invalid Enum value',
            `${protocol} is not a member of GraphicsType. Possible values are: ${PROTOCOLS.join(', ')}`,
          );
        }
        const cur = consoleProtocols(entity);
        if (cur.includes(protocol))
          throw opFailed(
            409,
            `Cannot add Graphics Device. Graphics device of the given type is already attached to the VM.`,
          );
        entity.meta.consoles = [...cur, protocol];
        ctx.sim.onChange();
        return { status: 201, root: 'graphics_console', body: view(entity, protocol) };
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/{id}`,
      opaque: ['id'],
      handler: (ctx): Reply => {
        const entity = owner(ctx, kind);
        const cur = consoleProtocols(entity);
        if (!cur.some((x) => hexId(x) === ctx.params.id)) throw new EngineFault(404, '');
        entity.meta.consoles = cur.filter((x) => hexId(x) !== ctx.params.id);
        ctx.sim.onChange();
        return actionDone();
      },
    },
  ];
}

function plug(ctx: Ctx, plugged: boolean): Reply {
  const nic = ctx.sim.must('nics', ctx.params.id, ctx.sim.must('vms', ctx.params.vm).id);
  nic.data.plugged = plugged;
  ctx.sim.onChange();
  return actionDone();
}

/** `POST /vms/{vm}/nics/{id}/activate`. */
export function activateVmsNics(ctx: Ctx): Reply {
  return plug(ctx, true);
}

/** `POST /vms/{vm}/nics/{id}/deactivate`. */
export function deactivateVmsNics(ctx: Ctx): Reply {
  return plug(ctx, false);
}

/** `/vms/{id}/graphicsconsoles`: a VM's SPICE and VNC consoles. */
import { graphicsConsoleSchema, type GraphicsConsole } from '../models/graphics-console';
import type { GraphicsConsoleId, VmId } from '../ids';
import type { RequestOptions } from '../request-options';
import type { GraphicsProtocol } from '../graphics-protocols';
import { ChildCollection, type Api } from './base';

export { GRAPHICS_PROTOCOLS, type GraphicsProtocol } from '../graphics-protocols';

/** List, get, add (by protocol) and remove a VM's graphics consoles; the engine has no update. */
export class VmGraphicsConsolesService extends ChildCollection<typeof graphicsConsoleSchema, VmId, GraphicsConsoleId> {
  constructor(api: Api) {
    super(api, (vm) => ({
      path: `/vms/${encodeURIComponent(vm)}/graphicsconsoles`,
      plural: 'graphics_consoles',
      element: 'graphics_console',
      schema: graphicsConsoleSchema,
      searchable: false,
    }));
  }

  /** Adds a console of the protocol (looked up by protocol after an ambiguous failure). */
  add(vm: VmId, protocol: GraphicsProtocol, opts?: RequestOptions): Promise<GraphicsConsole> {
    return this.api.create(this.shape(vm), { protocol }, opts, undefined, async () =>
      (await this.list(vm, opts)).find((console) => console.protocol === protocol),
    );
  }
}

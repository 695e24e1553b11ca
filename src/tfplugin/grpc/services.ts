/**
 * gRPC routes built from the generated descriptors, with our own protobuf codec (no .proto
 * parsing at run time), for tfplugin6.Provider and the go-plugin services.
 */
import { SERVICES } from '../protocol/descriptors.generated';
import { decodeMessage, encodeMessage, type ServiceHandlers, type ServiceName } from '../protocol/wire';
import type { Logger } from '../log';
import type { Route, RouteHandler } from './h2';

type RouteHandlers = Partial<Record<string, RouteHandler>>;

/** Handlers wrapped by {@link logged}, ready for {@link addRoutes}. */
export class LoggedHandlers {
  constructor(readonly handlers: RouteHandlers) {}
}

/** The route table's view of a service's handlers: message types erased. Sound because each
 *  route decodes its method's input type, the type the handler declares. */
function erased<S extends ServiceName>(handlers: Partial<ServiceHandlers<S>>): RouteHandlers {
  return handlers as RouteHandlers;
}

/** Adds routes for the named service; `wireName` overrides the name on the wire. Methods
 *  without a handler are left out (answered UNIMPLEMENTED); streaming methods send an empty stream. */
export function addRoutes<S extends ServiceName>(
  routes: Map<string, Route>,
  service: S,
  handlers: Partial<ServiceHandlers<S>> | LoggedHandlers,
  wireName: string = service,
): void {
  const table = handlers instanceof LoggedHandlers ? handlers.handlers : erased(handlers);
  for (const method of SERVICES[service]) {
    const handler = table[method.name];
    if (!handler && !method.stream) continue;
    routes.set(`/${wireName}/${method.name}`, {
      decode: (bytes) => decodeMessage(method.input, bytes),
      encode: (message) => encodeMessage(method.output, message),
      handler,
      empty: method.stream,
    });
  }
}

/** Wraps tfplugin6.Provider handlers with logging (RPC and type names, timings; never values). */
export function logged(rpcs: ServiceHandlers<'tfplugin6.Provider'>, log: Logger): LoggedHandlers {
  const out: RouteHandlers = {};
  for (const [name, rpc] of Object.entries(erased(rpcs))) {
    if (!rpc) continue;
    out[name] = async (req) => {
      const started = performance.now();
      try {
        const res = await rpc(req);
        log.debug(`${name} done`, {
          tf_rpc: name,
          tf_resource_type: 'type_name' in req ? req.type_name : undefined,
          ms: Math.round(performance.now() - started),
          uptime_ms: Math.round(performance.now()),
        });
        return res;
      } catch (err) {
        log.error(`${name} failed`, { tf_rpc: name, error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    };
  }
  return new LoggedHandlers(out);
}

/**
 * gRPC routes built from the generated descriptors, with our own protobuf codec (no .proto
 * parsing at run time), for tfplugin6.Provider and the go-plugin services.
 */
import { SERVICES } from '../protocol/descriptors.generated';
import { decode, encode, type Msg } from '../protocol/wire';
import type { Logger } from '../log';
import type { RpcHandler } from '../server';
import type { Route } from './h2';

/** Adds routes for the named service; `wireName` overrides the name on the wire. Methods
 *  without a handler are left out (answered UNIMPLEMENTED); streaming methods send an empty stream. */
export function addRoutes(
  routes: Map<string, Route>,
  service: string,
  handlers: Record<string, RpcHandler>,
  wireName = service,
): void {
  for (const m of SERVICES[service]) {
    const handler = handlers[m.name];
    if (!handler && !m.stream) continue;
    routes.set(`/${wireName}/${m.name}`, {
      decode: (b) => decode(m.input, b),
      encode: (v) => encode(m.output, v),
      handler,
      empty: m.stream,
    });
  }
}

/** Wraps tfplugin6.Provider handlers with logging (RPC and type names, timings; never values). */
export function logged(rpcs: Record<string, RpcHandler>, log: Logger): Record<string, RpcHandler> {
  const out: Record<string, RpcHandler> = {};
  for (const [name, fn] of Object.entries(rpcs)) {
    out[name] = async (req: Msg) => {
      const started = performance.now();
      try {
        const res = await fn(req);
        log.debug(`${name} done`, {
          tf_rpc: name,
          tf_resource_type: req.type_name,
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
  return out;
}

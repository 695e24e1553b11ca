/**
 * gRPC service definitions built from the generated descriptors, with our own protobuf codec as
 * the serializer (no .proto parsing at run time), and the go-plugin services.
 */
import type * as grpc from '@grpc/grpc-js';
import { SERVICES } from '../protocol/descriptors.generated';
import { decode, encode, type Msg } from '../protocol/wire';
import type { Logger } from '../log';
import type { RpcHandler } from '../server';

/** Builds a grpc-js service definition for the named service; `path` overrides the wire name. */
export function serviceDefinition(service: string, wireName = service): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<Msg, Msg>> = {};
  for (const m of SERVICES[service]) {
    def[m.name] = {
      path: `/${wireName}/${m.name}`,
      requestStream: false,
      responseStream: m.stream,
      requestSerialize: (v: Msg) => encode(m.input, v),
      requestDeserialize: (b: Buffer) => decode(m.input, b),
      responseSerialize: (v: Msg) => encode(m.output, v),
      responseDeserialize: (b: Buffer) => decode(m.output, b),
    };
  }
  return def;
}

/** Unary handlers for tfplugin6.Provider that log each call (type names and timings only). */
export function providerHandlers(rpcs: Record<string, RpcHandler>, log: Logger): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, fn] of Object.entries(rpcs)) {
    impl[name] = (call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      const started = performance.now();
      Promise.resolve()
        .then(() => fn(call.request))
        .then(
          (res) => {
            log.debug(`${name} done`, { tf_rpc: name, tf_resource_type: call.request.type_name, ms: Math.round(performance.now() - started), uptime_ms: Math.round(performance.now()) });
            cb(null, res);
          },
          (err: unknown) => {
            log.error(`${name} failed`, { tf_rpc: name, error: err instanceof Error ? err.message : String(err) });
            cb({ code: 13, details: err instanceof Error ? err.message : String(err) } as grpc.ServiceError);
          },
        );
    };
  }
  return impl;
}

/**
 * A minimal gRPC server on node:http2: unary calls, plus server-streaming calls answered with
 * an empty stream (GRPCStdio: nothing is ever written to our stdout after the handshake). It replaces @grpc/grpc-js in the provider process because
 * grpc-js costs ~60 ms to load, paid by each of the several processes Terraform starts per
 * command (bench/provider-startup). Wire format: each message is a 5-byte prefix (compressed
 * flag, big-endian length) plus protobuf bytes; the status travels in trailers.
 */
import * as http2 from 'node:http2';

/** A served method: protobuf codec plus handler; `empty` methods (server streams) answer with a
 *  stream that ends at once with OK, which go-plugin reads as a clean EOF. */
export interface Route {
  decode(bytes: Buffer): object;
  encode(message: object): Buffer;
  handler?: RouteHandler;
  empty?: boolean;
}

/** A handler as a route holds it: the message types erased (the route's codec knows them). */
export type RouteHandler = (req: object) => Promise<object> | object;

/** TLS material: our certificate and key, and the only client certificate accepted. */
export interface TlsConfig {
  key: string;
  cert: string;
  clientCa: string;
}

const GRPC = 'application/grpc';
/** Sessions may buffer large messages (big configs and states); Node's default is 10 MB. */
const SESSION_MEMORY_MB = 512;

function frame(body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

function fail(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.headersSent || stream.destroyed) return;
  stream.respond(
    { ':status': 200, 'content-type': GRPC, 'grpc-status': String(code), 'grpc-message': encodeURIComponent(message) },
    { endStream: true },
  );
}

function serveUnary(stream: http2.ServerHttp2Stream, route: Route, body: Buffer): void {
  if (body.length < 5 || body[0] !== 0) return fail(stream, 12, 'compressed or empty messages are not supported');
  const len = body.readUInt32BE(1);
  Promise.resolve()
    .then(() => route.handler!(route.decode(body.subarray(5, 5 + len))))
    .then((res) => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': GRPC }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame(route.encode(res)));
    })
    .catch((err: unknown) => fail(stream, 13, err instanceof Error ? err.message : String(err)));
}

/** Creates the server (TLS with a required, verified client certificate, or plaintext); `route`
 *  finds the route of a method path such as `/tfplugin6.Provider/GetProviderSchema`. */
export function createGrpcServer(route: (method: string) => Route | undefined, tls?: TlsConfig): http2.Http2Server {
  const options = { maxSessionMemory: SESSION_MEMORY_MB };
  const server: http2.Http2Server = tls
    ? http2.createSecureServer({
        ...options,
        key: tls.key,
        cert: tls.cert,
        ca: tls.clientCa,
        requestCert: true,
        rejectUnauthorized: true,
      })
    : http2.createServer(options);
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // a peer reset is not our failure
    const method = String(headers[':path']);
    const found = route(method);
    if (!found) return fail(stream, 12, `unknown method ${method}`);
    if (found.empty) {
      stream.respond({ ':status': 200, 'content-type': GRPC }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => serveUnary(stream, found, Buffer.concat(chunks)));
  });
  return server;
}

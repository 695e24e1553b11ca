/**
 * `serve(provider)`: the provider executable's whole life. Checks the go-plugin magic cookie,
 * builds AutoMTLS credentials (our certificate; Terraform's client certificate required and
 * verified), listens on a unix socket (TCP on 127.0.0.1 as fallback), prints the handshake line
 * on stdout (nothing else ever goes there), and exits when Terraform calls Shutdown.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Http2Server, Http2Session } from 'node:http2';
import { createLogger, type Logger } from '../log';
import type { AnyProvider, ProviderDefinition } from '../schema/define';
import type { BlockSchema } from '../schema/types';
import { encodeMessage } from '../protocol/wire';
import { createProviderServer } from '../server';
import { generateServerCertificate } from './cert';
import { createGrpcServer, type Route, type TlsConfig } from './h2';
import { addRoutes, logged } from './services';

/** go-plugin's magic cookie for Terraform providers (a UX check, not security). */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/**
 * The provider to serve, or a function that loads it. A function is called once, after the server
 * listens and before the first connection is served: the caller prints the handshake line first, so
 * the provider's modules load while Terraform reads the line and connects, not before. With
 * {@link ServeOptions.schema}, it is called at the first Provider RPC other than GetProviderSchema.
 */
export type ProviderSource = ProviderDefinition<BlockSchema, any> | (() => ProviderDefinition<BlockSchema, any>);

/** Options of {@link serve} and {@link startServer}. */
export interface ServeOptions {
  env?: NodeJS.ProcessEnv;
  /** Serve without TLS (reattach/debug mode and in-process tests). */
  insecure?: boolean;
  /** Called after Shutdown; defaults to exiting the process. */
  onShutdown?: () => void;
  log?: Logger;
  /**
   * The encoded GetProviderSchema response, computed at build time ({@link encodeProviderSchema}).
   * Given, the provider's declarations load at the first other Provider RPC instead: the process
   * Terraform starts only to read the schema never loads them.
   */
  schema?: Buffer;
}

/** A running provider server. */
export interface RunningServer {
  /** `unix` or `tcp`. */
  network: 'unix' | 'tcp';
  /** Socket path or host:port. */
  address: string;
  /** The certificate field of the handshake line ('' when insecure). */
  certField: string;
  /** The go-plugin handshake line, with its newline. */
  handshake: string;
  /** Stops the server now. */
  stop(): void;
}

function listen(server: Http2Server, target: string | { port: number; host: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'string' ? address : `${address?.address}:${address?.port}`);
    };
    if (typeof target === 'string') server.listen(target, done);
    else server.listen(target.port, target.host, done);
  });
}

function tlsConfig(env: NodeJS.ProcessEnv, insecure: boolean): { tls?: TlsConfig; certField: string } {
  const clientCert = env.PLUGIN_CLIENT_CERT;
  if (insecure || !clientCert) return { certField: '' };
  const cert = generateServerCertificate();
  return {
    tls: { key: cert.keyPem, cert: cert.certPem, clientCa: clientCert },
    certField: cert.der.toString('base64').replace(/=+$/, ''),
  };
}

const PROVIDER_SERVICE = '/tfplugin6.Provider/';
const SCHEMA_METHOD = `${PROVIDER_SERVICE}GetProviderSchema`;

/** A provider's GetProviderSchema response as protobuf bytes, for {@link ServeOptions.schema}. */
export function encodeProviderSchema(definition: ProviderDefinition<BlockSchema, any>): Buffer {
  const { rpcs } = createProviderServer(
    definition as AnyProvider,
    createLogger(() => undefined),
  );
  return encodeMessage('tfplugin6.GetProviderSchema.Response', rpcs.GetProviderSchema({}) as object);
}

/** Serves the precomputed schema bytes as they are (the request is empty). */
function precomputedSchemaRoute(schema: Buffer, log: Logger): Route {
  return {
    decode: () => ({}),
    encode: () => schema,
    handler: () => {
      log.debug('GetProviderSchema done', { tf_rpc: 'GetProviderSchema', precomputed: true });
      return {};
    },
  };
}

/** Starts the gRPC server for a provider and resolves once it listens. */
export async function startServer(provider: ProviderSource, opts: ServeOptions = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger();
  const routes = new Map<string, Route>();
  let socketDir = '';
  const sessions = new Set<Http2Session>();
  const { tls, certField } = tlsConfig(env, Boolean(opts.insecure));
  let loaded = false;
  const loadProvider = () => {
    if (loaded) return;
    loaded = true;
    const definition = typeof provider === 'function' ? provider() : provider;
    addRoutes(routes, 'tfplugin6.Provider', logged(createProviderServer(definition as AnyProvider, log).rpcs, log));
  };
  const schemaRoute = opts.schema && precomputedSchemaRoute(opts.schema, log);
  const route = (method: string): Route | undefined => {
    if (schemaRoute && method === SCHEMA_METHOD) return schemaRoute;
    if (!loaded && method.startsWith(PROVIDER_SERVICE)) loadProvider();
    return routes.get(method);
  };
  const server = createGrpcServer(route, tls);
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const stop = () => {
    server.close();
    for (const s of sessions) s.destroy();
    if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
  };
  // With a precomputed schema, the first Provider RPC that needs the declarations loads them (`route`).
  if (!schemaRoute && typeof provider === 'function') {
    // Whichever comes first: the next turn of the event loop (after the caller's handshake line) or
    // a connection. Streams come after their session, so no RPC finds the routes missing.
    server.once('session', loadProvider);
  } else if (!schemaRoute) loadProvider();
  addRoutes(routes, 'plugin.GRPCController', {
    Shutdown: () => {
      setImmediate(() => {
        stop();
        (opts.onShutdown ?? (() => process.exit(0)))();
      });
      return {};
    },
  });
  // Nothing is ever written to our stdout after the handshake, so the stdio stream is empty.
  addRoutes(routes, 'plugin.GRPCStdio', {});
  addRoutes(routes, 'plugin.Health', { Check: () => ({ status: 1 }) }, 'grpc.health.v1.Health');
  let network: 'unix' | 'tcp' = 'unix';
  let address: string;
  try {
    socketDir = fs.mkdtempSync(path.join(env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), 'plugin'));
    address = await listen(server, path.join(socketDir, 'sock'));
  } catch (err) {
    log.warn('unix socket unavailable, using TCP on 127.0.0.1', { error: (err as Error).message });
    if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
    socketDir = '';
    network = 'tcp';
    address = await listen(server, { port: 0, host: '127.0.0.1' });
  }
  const handshake = `1|6|${network}|${address}|grpc|${certField}\n`;
  if (!loaded && !schemaRoute) setImmediate(loadProvider);
  return { network, address, certField, handshake, stop };
}

/**
 * Runs a provider as a Terraform plugin: the provider executable's entry point calls this.
 * Resolves to the exit code when the process should exit early (bad cookie or versions).
 */
export async function serve(provider: ProviderSource, opts: ServeOptions = {}): Promise<number | undefined> {
  const env = opts.env ?? process.env;
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\n' +
        'Please execute the program that consumes these plugins, which will\n' +
        'load any plugins automatically (here: terraform, with this provider installed by `ovirt-cdktf install-provider`).\n',
    );
    return 1;
  }
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',').map((v) => v.trim());
  if (!versions.includes('6')) {
    process.stderr.write(
      `This provider speaks plugin protocol 6 only; Terraform offered ${versions.join(',')}. Use Terraform 1.0 or later.\n`,
    );
    return 1;
  }
  // Ctrl-C reaches the whole process group; Terraform cancels through StopProvider instead.
  process.on('SIGINT', () => undefined);
  const running = await startServer(provider, opts);
  // A plain kill (not Terraform's Shutdown) should still remove the socket directory.
  process.once('SIGTERM', () => {
    running.stop();
    process.exit(0);
  });
  process.stdout.write(running.handshake);
  (opts.log ?? createLogger()).debug('serving', {
    network: running.network,
    startup_ms: Math.round(performance.now()),
  });
  return undefined;
}

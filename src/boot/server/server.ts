/**
 * Starting and stopping a boot server in-process: `startBootServer({ port: 0, dataDir, token })`
 * resolves to `{ url, stop() }`. The CLI `ovirt-cdktf boot-server` is a thin wrapper around it.
 */
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LiveView } from './live';
import { batchedSink, timestamped } from './log';
import type { MachineLimits } from './machines';
import type { RouteContext } from './context';
import { handler } from './routes';
import { BootService } from './service';
import { PgStore } from './pg-store';
import { FileStore, type Store } from './store';

/** Options of a boot server. */
export interface BootServerOptions {
  /** TCP port; 0 picks a free one. @default 8080 */
  port?: number;
  /** Listen address. @default '127.0.0.1' */
  host?: string;
  /** Folder of the filesystem store (entries/, state/) and default assets folder. Required unless `store` is given. */
  dataDir?: string;
  /** Another store (e.g. MemoryStore) instead of the filesystem one. */
  store?: Store;
  /** A `postgres://` URL: the PostgreSQL store, shared by replicas, instead of the filesystem one. */
  storeUrl?: string;
  /** Folder served at `/assets/`. @default `<dataDir>/assets` */
  assetsDir?: string;
  /** Admin bearer token; without one the admin API is disabled. It opens the live view (`/ui`) too. */
  token?: string;
  /** Token of the read-only live view (`/ui`); without it and without an admin token the view is disabled. */
  viewerToken?: string;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Base URL machines reach the server at (for `{{ignition_url}}`). @default the listening URL */
  publicUrl?: string;
  /** Largest admin request body in bytes. @default 32 MiB */
  maxBodyBytes?: number;
  /** Log one line per boot request (entry, machine, source, status; never contents or tokens). @default true */
  logRequests?: boolean;
  /** Where log lines go (each starts with an ISO timestamp). @default stderr, batched per event-loop turn */
  log?: (line: string) => void;
  /** Bounds of the machine state (spoofed MACs cannot grow it further). @default 10,000 per entry, 100,000 in total */
  machineLimits?: MachineLimits;
}

/** A running boot server. */
export interface RunningBootServer {
  /** The URL it listens at, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The service behind it (catalog, machine state, metrics). */
  service: BootService;
  /** Stops listening, closes connections and saves pending machine state. */
  stop(): Promise<void>;
}

/** Starts a boot server; resolves once it listens. */
export async function startBootServer(opts: BootServerOptions): Promise<RunningBootServer> {
  const sink = opts.log ? { log: opts.log, flush: () => undefined } : batchedSink(process.stderr, 'boot-server: ');
  const log = timestamped(sink.log);
  const store =
    opts.store ??
    (opts.storeUrl
      ? await PgStore.open(opts.storeUrl, { log })
      : opts.dataDir
        ? new FileStore(opts.dataDir, log)
        : undefined);
  if (!store) throw new Error('boot server needs a dataDir, a store or a storeUrl');
  const host = opts.host ?? '127.0.0.1';
  const service = new BootService(store, (opts.publicUrl ?? '').replace(/\/+$/, ''), log, opts.machineLimits);
  await service.load();
  const ctx: RouteContext = {
    service,
    assetsDir: opts.assetsDir ?? (opts.dataDir ? join(opts.dataDir, 'assets') : undefined),
    adminToken: opts.token || undefined,
    viewerToken: opts.viewerToken || undefined,
    live: new LiveView(service),
    maxBodyBytes: opts.maxBodyBytes ?? 32 * 1024 * 1024,
    log,
    logRequests: opts.logRequests ?? true,
  };
  const listener = handler(ctx);
  // Small answers go out at once (no Nagle delay) on keep-alive connections.
  const server: Server = opts.tls
    ? createHttps({ cert: opts.tls.cert, key: opts.tls.key, noDelay: true }, listener)
    : createHttp({ noDelay: true }, listener);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? 'https' : 'http'}://${shownHost}:${addr.port}`;
  if (!opts.publicUrl) service.setBaseUrl(url);
  log(
    `listening at ${url} with ${service.catalog.size} entries; admin API ${ctx.adminToken ? 'enabled' : 'disabled (no token)'}; ` +
      `live view ${ctx.adminToken || ctx.viewerToken ? `at ${url}/ui` : 'disabled (no token)'}`,
  );
  return {
    url,
    service,
    stop: async () => {
      ctx.live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await service.machines.flush().catch(() => undefined); // already logged; nothing more to do at stop
      await store.close?.();
      sink.flush();
    },
  };
}

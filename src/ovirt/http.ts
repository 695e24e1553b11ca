/**
 * One HTTP exchange over the client's keep-alive agent: per-attempt timeout, caller's AbortSignal,
 * bounded body size. Transport failures become OvirtErrors; HTTP statuses are left to the caller.
 *
 * Built on node:http(s), not undici: undici parses HTTP with a WebAssembly build of llhttp that V8
 * compiles (and re-optimises on a background thread that process exit waits for) in every provider
 * process, ~0.3-1 s of CPU per process on a busy 2-core machine (bench/plan); node's own parser is native.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { OvirtError, callerAbortError, identifyTransportError } from './errors';

/** TLS and pool settings of {@link HttpPool}. */
export interface PoolSettings {
  origin: string;
  caFile?: string;
  caPem?: string;
  insecure?: boolean;
  maxConnections: number;
}

/** A request at the socket level. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute path with query, e.g. `/ovirt-engine/api/vms?search=...`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBodyBytes: number;
  /** For error messages: `GET /vms/123`. */
  endpoint: string;
  correlationId?: string;
}

/** A response with its body read as text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * For a 3xx answer: where it pointed, for the error message (`, redirected to <Location>, not followed`).
 * The pool never follows redirects, so credentials only ever go to the configured origin.
 */
export function redirectText(res: RawResponse): string {
  if (res.status < 300 || res.status >= 400) return '';
  const location = res.headers.location;
  const where = Array.isArray(location) ? location[0] : location;
  return where ? ` (a redirect to ${where}, not followed)` : ' (a redirect, not followed)';
}

/** Builds the `connect` TLS options: a given CA replaces system trust (pinning); insecure only if asked. */
export function tlsOptions(settings: Omit<PoolSettings, 'origin' | 'maxConnections'>): {
  ca?: string;
  rejectUnauthorized: boolean;
} {
  const ca = settings.caPem ?? (settings.caFile ? readFileSync(settings.caFile, 'utf8') : undefined);
  return { ...(ca ? { ca } : {}), rejectUnauthorized: settings.insecure !== true };
}

/** The keep-alive connection pool to one engine origin. */
export class HttpPool {
  private readonly agent: http.Agent;
  private readonly origin: URL;
  private closed = false;

  constructor(settings: PoolSettings) {
    this.origin = new URL(settings.origin);
    const opts = { keepAlive: true, maxSockets: settings.maxConnections, scheduling: 'lifo' as const };
    this.agent =
      this.origin.protocol === 'https:' ? new https.Agent({ ...opts, ...tlsOptions(settings) }) : new http.Agent(opts);
  }

  /** Sends one request and reads the whole body (bounded). Never retries. */
  async send(req: RawRequest): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(Math.max(1, req.timeoutMs));
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      if (this.closed) throw new Error('the connection pool is closed');
      return await this.exchange(req, signal);
    } catch (err) {
      if (OvirtError.is(err)) throw err;
      throw this.transportError(err, req, timeout);
    }
  }

  private exchange(req: RawRequest, signal: AbortSignal): Promise<RawResponse> {
    const mod = this.origin.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const request = mod.request(
        {
          protocol: this.origin.protocol,
          hostname: this.origin.hostname.replace(/^\[|\]$/g, ''),
          port: this.origin.port,
          method: req.method,
          path: req.path,
          headers,
          agent: this.agent,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > req.maxBodyBytes) {
              res.destroy();
              reject(
                new OvirtError({
                  code: 'parse',
                  endpoint: req.endpoint,
                  correlationId: req.correlationId,
                  httpStatus: res.statusCode,
                  message: `${req.endpoint}: response body exceeds the limit of ${req.maxBodyBytes} bytes`,
                }),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(req.body);
    });
  }

  private transportError(err: unknown, req: RawRequest, timeout: AbortSignal): OvirtError {
    const at = { endpoint: req.endpoint, correlationId: req.correlationId, cause: err };
    // The caller's signal (Ctrl-C, or its operation timeout) says which limit applied.
    if (req.signal?.aborted) return callerAbortError(req.signal, at);
    const code = timeout.aborted ? 'timeout' : identifyTransportError(err);
    const why =
      code === 'timeout'
        ? `timed out after ${req.timeoutMs} ms`
        : code === 'aborted'
          ? 'aborted'
          : `${code === 'tls' ? 'TLS verification failed' : 'connection failed'}: ${(err as Error)?.message ?? String(err)}`;
    return new OvirtError({
      code,
      ...at,
      message: `${req.endpoint}: ${why}${req.correlationId ? ` (correlation id ${req.correlationId})` : ''}`,
    });
  }

  /** Closes idle connections and refuses new requests. */
  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }
}

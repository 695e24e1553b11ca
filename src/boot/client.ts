/**
 * `BootAdminClient`: the boot server's admin API (`/api/v1/entries`) from the outside, as the
 * provider's `ovirt_boot_entry` resource uses it. HTTPS with TLS verification (an optional CA PEM
 * adds a trust root), a bearer token, JSON bodies; server refusals become BootErrors with the
 * server's reason. On node:http(s), like the engine client: a provider process should not load
 * and compile undici (and its WebAssembly HTTP parser) for a few admin calls.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { BootEntry, BootEntrySpec } from './entry';
import { BootError } from './errors';

/** How to reach a boot server's admin API. */
export interface BootAdminClientOptions {
  /** Base URL of the boot server, e.g. `https://boot.example:8443` (a path prefix is kept). */
  url: string;
  /** The admin bearer token. */
  token: string;
  /** PEM CA certificate(s) to trust for an https URL; when given they replace the system roots. */
  caPem?: string;
  /** Per-request timeout in milliseconds, headers and body included. @default 30000 */
  timeoutMs?: number;
  /** Largest answer body read, in bytes. @default 16 MiB */
  maxBodyBytes?: number;
}

/** Per-call options: the caller's cancellation and deadline (as the engine client takes them). */
export interface BootCallOptions {
  /** Cancels the request when aborted (Ctrl-C, or an operation timeout carried as the reason). */
  signal?: AbortSignal;
  /** Absolute deadline (epoch ms) that bounds the request. */
  deadline?: number;
}

/** A client for the boot server's admin API. */
export class BootAdminClient {
  private readonly base: string;
  private readonly token: string;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(opts: BootAdminClientOptions) {
    const url = new URL(opts.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new BootError('invalid_request', `boot server url must be http(s), got "${url.protocol}"`);
    }
    if (!opts.token) throw new BootError('invalid_request', 'boot server admin token is empty');
    this.base = url.href.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30000;
    this.maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024 * 1024;
    this.agent =
      url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ...(opts.caPem ? { ca: opts.caPem } : {}) })
        : new http.Agent({ keepAlive: true });
  }

  /** All entries, sorted by name. */
  async list(opts?: BootCallOptions): Promise<BootEntry[]> {
    const body = (await this.call('GET', '', opts)) as { entries: BootEntry[] };
    return body.entries;
  }

  /** One entry, or undefined when the server has none by that name. */
  async get(name: string, opts?: BootCallOptions): Promise<BootEntry | undefined> {
    return (await this.call('GET', `/${encodeURIComponent(name)}`, opts, undefined, true)) as BootEntry | undefined;
  }

  /**
   * Creates or replaces an entry; the answer carries the generated token when one is required.
   * With `createOnly` the server refuses (412) an entry that exists, in the same step as the write:
   * of two writers creating one name, exactly one succeeds.
   */
  async put(spec: BootEntrySpec, opts?: BootCallOptions & { createOnly?: boolean }): Promise<BootEntry> {
    const headers = opts?.createOnly ? { 'if-none-match': '*' } : undefined;
    return (await this.call('PUT', `/${encodeURIComponent(spec.name)}`, opts, spec, false, headers)) as BootEntry;
  }

  /** Deletes an entry; resolves false when it did not exist. */
  async delete(name: string, opts?: BootCallOptions): Promise<boolean> {
    return (await this.call('DELETE', `/${encodeURIComponent(name)}`, opts, undefined, true)) !== undefined;
  }

  /** Forgets the per-machine boot state of an entry (a one-shot machine installs again). */
  async resetState(name: string, opts?: BootCallOptions): Promise<void> {
    await this.call('DELETE', `/${encodeURIComponent(name)}/state`, opts);
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    this.agent.destroy();
  }

  private async call(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    opts: BootCallOptions = {},
    body?: unknown,
    notFoundIsUndefined = false,
    extraHeaders?: Record<string, string>,
  ): Promise<unknown> {
    const url = `${this.base}/api/v1/entries${path}`;
    const endpoint = `boot server ${method} ${path || '/'}`;
    const limitMs = Math.max(
      1,
      Math.min(this.timeoutMs, opts.deadline === undefined ? Infinity : opts.deadline - Date.now()),
    );
    const timeout = AbortSignal.timeout(limitMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let status: number;
    let location: unknown;
    let text: string;
    try {
      ({ status, location, text } = await this.exchange(
        method,
        url,
        body === undefined ? undefined : JSON.stringify(body),
        signal,
        endpoint,
        extraHeaders,
      ));
    } catch (err) {
      if (BootError.is(err)) throw err;
      const why = opts.signal?.aborted
        ? `stopped: ${reasonText(opts.signal.reason)}`
        : timeout.aborted
          ? `timed out after ${limitMs} ms`
          : (err as Error).message;
      throw new BootError('unavailable', `${endpoint}: ${why}`, { cause: err });
    }
    if (status === 404 && notFoundIsUndefined) return undefined;
    if (status < 200 || status >= 300) {
      let reason = text;
      try {
        reason = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        /* not JSON */
      }
      // A redirect is never followed: the admin token goes to the configured server only.
      const where = status < 400 && location ? ` (a redirect to ${String(location)}, not followed)` : '';
      throw new BootError('admin_http', `${endpoint} answered ${status}${where}${reason ? `: ${reason}` : ''}`, {
        status,
      });
    }
    return text ? JSON.parse(text) : {};
  }

  /** One request; the answer body is read up to `maxBodyBytes`, then the connection is dropped. */
  private exchange(
    method: string,
    url: string,
    body: string | undefined,
    signal: AbortSignal,
    endpoint: string,
    extraHeaders?: Record<string, string>,
  ): Promise<{ status: number; location: unknown; text: string }> {
    const mod = url.startsWith('https:') ? https : http;
    const headers: Record<string, string | number> = {
      ...extraHeaders,
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined)
      Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBodyBytes) {
            res.destroy();
            reject(
              new BootError('too_large', `${endpoint}: the answer exceeds the limit of ${this.maxBodyBytes} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** An abort reason as text: its message (e.g. which operation timeout passed), else the value. */
function reasonText(reason: unknown): string {
  const message = (reason as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : String(reason);
}

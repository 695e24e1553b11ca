/**
 * `BootAdminClient`: the boot server's admin API (`/api/v1/entries`) from the outside, as the
 * provider's `ovirt_boot_entry` resource uses it. HTTPS with TLS verification (an optional CA PEM
 * adds a trust root), a bearer token, JSON bodies; server refusals become BootErrors with the
 * server's reason.
 */
import { Agent, request } from 'undici';
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
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(opts: BootAdminClientOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new BootError('invalid_request', `boot server url must be http(s), got "${u.protocol}"`);
    }
    if (!opts.token) throw new BootError('invalid_request', 'boot server admin token is empty');
    this.base = u.href.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30000;
    this.maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024 * 1024;
    this.agent = new Agent({ connect: opts.caPem ? { ca: opts.caPem } : {} });
  }

  /** All entries, sorted by name. */
  async list(opts?: BootCallOptions): Promise<BootEntry[]> {
    const body = await this.call('GET', '', opts) as { entries: BootEntry[] };
    return body.entries;
  }

  /** One entry, or undefined when the server has none by that name. */
  async get(name: string, opts?: BootCallOptions): Promise<BootEntry | undefined> {
    return await this.call('GET', `/${encodeURIComponent(name)}`, opts, undefined, true) as BootEntry | undefined;
  }

  /** Creates or replaces an entry; the answer carries the generated token when one is required. */
  async put(spec: BootEntrySpec, opts?: BootCallOptions): Promise<BootEntry> {
    return await this.call('PUT', `/${encodeURIComponent(spec.name)}`, opts, spec) as BootEntry;
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
    await this.agent.close();
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', path: string, opts: BootCallOptions = {}, body?: unknown,
    notFoundIsUndefined = false): Promise<unknown> {
    const url = `${this.base}/api/v1/entries${path}`;
    const endpoint = `boot server ${method} ${path || '/'}`;
    const limitMs = Math.max(1, Math.min(this.timeoutMs, opts.deadline === undefined ? Infinity : opts.deadline - Date.now()));
    const timeout = AbortSignal.timeout(limitMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let status: number;
    let location: unknown;
    let text: string;
    try {
      const res = await request(url, {
        method,
        dispatcher: this.agent,
        signal,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.statusCode;
      location = res.headers.location;
      text = await readBounded(res.body, this.maxBodyBytes, endpoint);
    } catch (err) {
      if (BootError.is(err)) throw err;
      const why = opts.signal?.aborted ? `stopped: ${reasonText(opts.signal.reason)}`
        : timeout.aborted ? `timed out after ${limitMs} ms` : (err as Error).message;
      throw new BootError('unavailable', `${endpoint}: ${why}`, { cause: err });
    }
    if (status === 404 && notFoundIsUndefined) return undefined;
    if (status < 200 || status >= 300) {
      let reason = text;
      try { reason = (JSON.parse(text) as { error?: string }).error ?? text; } catch { /* not JSON */ }
      // A redirect is never followed: the admin token goes to the configured server only.
      const where = status < 400 && location ? ` (a redirect to ${String(location)}, not followed)` : '';
      throw new BootError('admin_http', `${endpoint} answered ${status}${where}${reason ? `: ${reason}` : ''}`, { status });
    }
    return text ? JSON.parse(text) : {};
  }
}

/** Reads a body as text, giving up (and dropping the connection) past `max` bytes. */
async function readBounded(stream: AsyncIterable<Buffer> & { destroy(): void }, max: number, endpoint: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw new BootError('too_large', `${endpoint}: the answer exceeds the limit of ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An abort reason as text: its message (e.g. which operation timeout passed), else the value. */
function reasonText(reason: unknown): string {
  const message = (reason as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : String(reason);
}

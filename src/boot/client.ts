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
  /** Per-request timeout in milliseconds. @default 30000 */
  timeoutMs?: number;
}

/** A client for the boot server's admin API. */
export class BootAdminClient {
  private readonly base: string;
  private readonly token: string;
  private readonly agent: Agent;

  constructor(opts: BootAdminClientOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new BootError('invalid_request', `boot server url must be http(s), got "${u.protocol}"`);
    }
    if (!opts.token) throw new BootError('invalid_request', 'boot server admin token is empty');
    this.base = u.href.replace(/\/+$/, '');
    this.token = opts.token;
    const timeout = opts.timeoutMs ?? 30000;
    this.agent = new Agent({
      connect: opts.caPem ? { ca: opts.caPem } : {},
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  }

  /** All entries, sorted by name. */
  async list(): Promise<BootEntry[]> {
    const body = await this.call('GET', '') as { entries: BootEntry[] };
    return body.entries;
  }

  /** One entry, or undefined when the server has none by that name. */
  async get(name: string): Promise<BootEntry | undefined> {
    return await this.call('GET', `/${encodeURIComponent(name)}`, undefined, true) as BootEntry | undefined;
  }

  /** Creates or replaces an entry; the answer carries the generated token when one is required. */
  async put(spec: BootEntrySpec): Promise<BootEntry> {
    return await this.call('PUT', `/${encodeURIComponent(spec.name)}`, spec) as BootEntry;
  }

  /** Deletes an entry; resolves false when it did not exist. */
  async delete(name: string): Promise<boolean> {
    return (await this.call('DELETE', `/${encodeURIComponent(name)}`, undefined, true)) !== undefined;
  }

  /** Forgets the per-machine boot state of an entry (a one-shot machine installs again). */
  async resetState(name: string): Promise<void> {
    await this.call('DELETE', `/${encodeURIComponent(name)}/state`);
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown,
    notFoundIsUndefined = false): Promise<unknown> {
    const url = `${this.base}/api/v1/entries${path}`;
    let res;
    try {
      res = await request(url, {
        method,
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new BootError('unavailable', `boot server ${method} ${url}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.body.text();
    if (res.statusCode === 404 && notFoundIsUndefined) return undefined;
    if (res.statusCode >= 400) {
      let reason = text;
      try { reason = (JSON.parse(text) as { error?: string }).error ?? text; } catch { /* not JSON */ }
      throw new BootError('admin_http', `boot server ${method} ${path || '/'} answered ${res.statusCode}: ${reason}`,
        { status: res.statusCode });
    }
    return text ? JSON.parse(text) : {};
  }
}

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
  /** Per-request timeout in milliseconds. @default 30000 */
  timeoutMs?: number;
}

/** A client for the boot server's admin API. */
export class BootAdminClient {
  private readonly base: string;
  private readonly token: string;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(opts: BootAdminClientOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new BootError('invalid_request', `boot server url must be http(s), got "${u.protocol}"`);
    }
    if (!opts.token) throw new BootError('invalid_request', 'boot server admin token is empty');
    this.base = u.href.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30000;
    this.agent = u.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, ...(opts.caPem ? { ca: opts.caPem } : {}) })
      : new http.Agent({ keepAlive: true });
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
    this.agent.destroy();
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown,
    notFoundIsUndefined = false): Promise<unknown> {
    const url = `${this.base}/api/v1/entries${path}`;
    let res: { statusCode: number; text: string };
    try {
      res = await this.exchange(method, url, body === undefined ? undefined : JSON.stringify(body));
    } catch (err) {
      throw new BootError('unavailable', `boot server ${method} ${url}: ${(err as Error).message}`, { cause: err });
    }
    const text = res.text;
    if (res.statusCode === 404 && notFoundIsUndefined) return undefined;
    if (res.statusCode >= 400) {
      let reason = text;
      try { reason = (JSON.parse(text) as { error?: string }).error ?? text; } catch { /* not JSON */ }
      throw new BootError('admin_http', `boot server ${method} ${path || '/'} answered ${res.statusCode}: ${reason}`,
        { status: res.statusCode });
    }
    return text ? JSON.parse(text) : {};
  }

  private exchange(method: string, url: string, body: string | undefined): Promise<{ statusCode: number; text: string }> {
    const mod = url.startsWith('https:') ? https : http;
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agent, signal: AbortSignal.timeout(this.timeoutMs) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

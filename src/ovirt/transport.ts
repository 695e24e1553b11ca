/**
 * API requests: base path, headers (`Version: 4`, `Correlation-Id`, auth), format negotiation,
 * re-login on 401, fault parsing into typed errors, and retries of what is safe to retry.
 */
import { randomUUID } from 'node:crypto';
import { abortable, backoffDelay, sleep, type BackoffSettings } from './backoff';
import { encodeBody, parseBody, type WireFormat } from './codec';
import { OvirtError, identify, withCorrelationId } from './errors';
import type { Authenticator } from './auth';
import { redirectText, type HttpPool, type RawResponse } from './http';
import type { RequestOptions } from './request-options';

/** Minimal logger (stderr-bound; the client never writes to stdout). Secrets are never passed to it. */
export interface Logger {
  debug?(msg: string, fields?: Record<string, unknown>): void;
  warn?(msg: string, fields?: Record<string, unknown>): void;
}

/** Settings of {@link Transport}. */
export interface TransportSettings extends BackoffSettings {
  apiPath: string;
  format: WireFormat;
  timeoutMs: number;
  maxBodyBytes: number;
  maxAttempts: number;
  correlationIdPrefix: string;
  logger?: Logger;
}

/** What may be retried: `safe` = any retryable failure; `unexecuted` = only failures proving nothing happened. */
export type RetryPolicy = 'safe' | 'unexecuted';

/** An API call, relative to the API base path. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Root element name and content of the body. */
  body?: { element: string; value: object };
  retry: RetryPolicy;
  opts?: RequestOptions;
}

/** A parsed answer. */
export interface ApiAnswer {
  status: number;
  tree: unknown;
  format: WireFormat;
  correlationId: string;
  endpoint: string;
}

const UNEXECUTED = new Set(['locked', 'in_progress', 'unavailable']);

/** Sends API calls. One instance per client. */
export class Transport {
  constructor(
    private readonly http: HttpPool,
    private readonly auth: Authenticator,
    readonly settings: TransportSettings,
  ) {}

  /** Performs the call with retries; throws an OvirtError for any non-2xx answer (a 3xx included: never followed). */
  async call(apiCall: ApiCall): Promise<ApiAnswer> {
    const correlationId = sanitizeCorrelationId(apiCall.opts?.correlationId) ?? this.newCorrelationId();
    // The API root's own path is '' below the API; name it as requested rather than leave it blank.
    const endpoint = `${apiCall.method} ${apiCall.path || this.settings.apiPath}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(apiCall, endpoint, correlationId);
      } catch (err) {
        if (!OvirtError.is(err) || !this.shouldRetry(err, apiCall.retry, attempt)) throw err;
        const delay = backoffDelay(attempt, this.settings);
        const deadline = apiCall.opts?.deadline;
        if (deadline !== undefined && Date.now() + delay >= deadline) throw err;
        this.settings.logger?.debug?.('ovirt: retrying', { endpoint, code: err.code, attempt, delay, correlationId });
        await sleep(delay, apiCall.opts?.signal, endpoint);
      }
    }
  }

  private shouldRetry(err: OvirtError, policy: RetryPolicy, attempt: number): boolean {
    if (attempt >= this.settings.maxAttempts || !err.retryable) return false;
    return policy === 'safe' || UNEXECUTED.has(err.code);
  }

  private newCorrelationId(): string {
    return (this.settings.correlationIdPrefix + randomUUID()).slice(0, 36);
  }

  private async once(apiCall: ApiCall, endpoint: string, correlationId: string): Promise<ApiAnswer> {
    const deadline = apiCall.opts?.deadline;
    const remaining =
      deadline === undefined ? this.settings.timeoutMs : Math.min(this.settings.timeoutMs, deadline - Date.now());
    if (remaining <= 0) {
      throw new OvirtError({
        code: 'timeout',
        endpoint,
        correlationId,
        message: `${endpoint}: deadline passed (correlation id ${correlationId})`,
      });
    }
    const path = this.settings.apiPath + apiCall.path + queryString(apiCall.query);
    const mime = this.settings.format === 'json' ? 'application/json' : 'application/xml';
    const headers: Record<string, string> = { accept: mime, version: '4', 'correlation-id': correlationId };
    const body = apiCall.body ? encodeBody(apiCall.body.element, apiCall.body.value, this.settings.format) : undefined;
    if (body !== undefined) headers['content-type'] = mime;
    const send = async () => {
      // The login is shared by all callers: one caller's abort stops its own wait, not the login.
      const authorization = await abortable(this.auth.header(), apiCall.opts?.signal, { endpoint, correlationId });
      const res = await this.http.send({
        method: apiCall.method,
        path,
        headers: { ...headers, authorization },
        body,
        timeoutMs: remaining,
        signal: apiCall.opts?.signal,
        maxBodyBytes: this.settings.maxBodyBytes,
        endpoint,
        correlationId,
      });
      return { res, authorization };
    };
    const started = Date.now();
    const first = await send();
    const res = first.res.status === 401 && this.auth.invalidate(first.authorization) ? (await send()).res : first.res;
    this.settings.logger?.debug?.('ovirt: request', {
      endpoint,
      status: res.status,
      ms: Date.now() - started,
      correlationId,
    });
    const format = responseFormat(res, this.settings.format);
    if (res.status < 200 || res.status >= 300) throw faultError(res, format, endpoint, correlationId);
    let tree: unknown;
    try {
      tree = res.text.trim() === '' ? undefined : parseBody(res.text, format, endpoint);
    } catch (e) {
      throw OvirtError.is(e) ? withCorrelationId(e, correlationId) : e;
    }
    return { status: res.status, tree, format, correlationId, endpoint };
  }
}

/** The engine keeps `[0-9a-zA-Z_-]` and at most 36 characters; do the same so errors show what it logs. */
function sanitizeCorrelationId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const clean = id.replace(/[^0-9a-zA-Z_-]/g, '').slice(0, 36);
  return clean === '' ? undefined : clean;
}

function queryString(query: ApiCall['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const encoded = params.toString();
  return encoded ? '?' + encoded : '';
}

function responseFormat(res: RawResponse, fallback: WireFormat): WireFormat {
  const ct = String(res.headers['content-type'] ?? '');
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  return fallback;
}

/** Reads `<fault>` or `<action><fault/></action>` (XML or JSON) out of an error body, if any. */
export function extractFault(tree: unknown, format: WireFormat): { reason?: string; detail?: string } {
  if (typeof tree !== 'object' || tree === null) return {};
  let node = tree as Record<string, unknown>;
  if (format === 'xml') node = (node.fault ?? node.action ?? {}) as Record<string, unknown>;
  if (typeof node.fault === 'object' && node.fault !== null) node = node.fault as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { reason: str(node.reason), detail: str(node.detail) };
}

function faultError(res: RawResponse, format: WireFormat, endpoint: string, correlationId: string): OvirtError {
  let fault: { reason?: string; detail?: string } = {};
  const ct = String(res.headers['content-type'] ?? '');
  if (res.text.trim() !== '' && /xml|json/.test(ct)) {
    try {
      fault = extractFault(parseBody(res.text, format, endpoint), format);
    } catch {
      fault = {};
    }
  }
  const code = identify(res.status, fault.reason, fault.detail);
  const text = fault.reason !== undefined ? `: ${fault.reason}${fault.detail ? ` ${fault.detail}` : ''}` : '';
  return new OvirtError({
    code,
    httpStatus: res.status,
    endpoint,
    correlationId,
    ...fault,
    message: `${endpoint} failed with HTTP ${res.status}${redirectText(res)}${text} (correlation id ${correlationId})`,
  });
}

/**
 * The imageio data plane of an upload: pick a reachable endpoint (the host's `transfer_url`, else
 * the engine's `proxy_url`) with OPTIONS, then PUT ranges streamed from the file and PATCH flush.
 */
import { createReadStream } from 'node:fs';
import { Pool } from 'undici';
import { OvirtError, identifyTransportError, type OvirtErrorCode } from '../errors';
import { tlsOptions } from '../http';

/** TLS settings for the imageio endpoints (the engine's CA signs the hosts' certificates too). */
export interface ImageioTls {
  caFile?: string;
  caPem?: string;
  insecure?: boolean;
}

/** An endpoint that answered OPTIONS, with what it can do. */
export interface ImageioTarget {
  url: string;
  /** Parallel writers the server allows (1 when it does not say). */
  maxWriters: number;
  features: string[];
  pool: Pool;
  path: string;
}

const OPTIONS_TIMEOUT_MS = 10_000;
const READ_CHUNK = 1024 * 1024;

function statusError(status: number, text: string, endpoint: string): OvirtError {
  const code: OvirtErrorCode =
    status === 503
      ? 'unavailable'
      : status >= 500
        ? 'server'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not_found'
            : 'bad_request';
  return new OvirtError({
    code,
    httpStatus: status,
    endpoint,
    message: `${endpoint} failed with HTTP ${status}${text ? `: ${text.trim().slice(0, 300)}` : ''}`,
  });
}

function transportError(err: unknown, endpoint: string, signal?: AbortSignal): OvirtError {
  if (OvirtError.is(err)) return err;
  const code = signal?.aborted ? 'aborted' : identifyTransportError(err);
  return new OvirtError({
    code,
    endpoint,
    cause: err,
    message: `${endpoint}: ${code === 'aborted' ? 'aborted by the caller' : `connection failed: ${(err as Error)?.message ?? String(err)}`}`,
  });
}

async function options(
  url: string,
  tls: ImageioTls,
  connections: number,
  signal?: AbortSignal,
): Promise<ImageioTarget> {
  const parsed = new URL(url);
  const pool = new Pool(parsed.origin, { connections, connect: tlsOptions(tls), pipelining: 1 });
  const endpoint = `OPTIONS ${url}`;
  try {
    const timeout = AbortSignal.timeout(OPTIONS_TIMEOUT_MS);
    const res = await pool.request({
      method: 'OPTIONS',
      path: parsed.pathname,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw statusError(res.statusCode, text, endpoint);
    let body: { features?: unknown; max_writers?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    const features = Array.isArray(body.features)
      ? body.features.filter((f): f is string => typeof f === 'string')
      : [];
    const maxWriters = typeof body.max_writers === 'number' && body.max_writers >= 1 ? Math.floor(body.max_writers) : 1;
    return { url, maxWriters, features, pool, path: parsed.pathname };
  } catch (err) {
    await pool.destroy();
    throw transportError(err, endpoint, signal);
  }
}

/**
 * The first of `urls` that answers OPTIONS (the host's daemon first: it avoids a hop through the
 * engine). `onSkip` hears why an endpoint was skipped. Throws the last failure when none answers.
 */
export async function openTarget(
  urls: string[],
  tls: ImageioTls,
  connections: number,
  signal?: AbortSignal,
  onSkip?: (url: string, why: OvirtError) => void,
): Promise<ImageioTarget> {
  let last: OvirtError | undefined;
  for (const url of urls) {
    try {
      return await options(url, tls, connections, signal);
    } catch (err) {
      last = err as OvirtError;
      if (signal?.aborted) throw last;
      onSkip?.(url, last);
    }
  }
  throw (
    last ??
    new OvirtError({
      code: 'invalid_argument',
      message: 'the image transfer has neither a transfer_url nor a proxy_url',
    })
  );
}

/** PUTs bytes [start, start+length) of `file` at the same offset of the image, streamed. */
export async function putRange(
  target: ImageioTarget,
  file: string,
  start: number,
  length: number,
  signal?: AbortSignal,
): Promise<void> {
  const end = start + length - 1;
  const endpoint = `PUT ${target.url} bytes ${start}-${end}`;
  const body = createReadStream(file, { start, end, highWaterMark: READ_CHUNK });
  try {
    const res = await target.pool.request({
      method: 'PUT',
      path: `${target.path}?flush=n`,
      body,
      signal,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(length),
        'content-range': `bytes ${start}-${end}/*`,
      },
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw statusError(res.statusCode, text, endpoint);
  } catch (e) {
    throw transportError(e, endpoint, signal);
  } finally {
    body.destroy();
  }
}

/** Asks the server to flush what it wrote to storage (when it has the `flush` feature). */
export async function flushTarget(target: ImageioTarget, signal?: AbortSignal): Promise<void> {
  if (!target.features.includes('flush')) return;
  const endpoint = `PATCH ${target.url} flush`;
  try {
    const res = await target.pool.request({
      method: 'PATCH',
      path: target.path,
      body: JSON.stringify({ op: 'flush' }),
      headers: { 'content-type': 'application/json' },
      signal,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw statusError(res.statusCode, text, endpoint);
  } catch (e) {
    throw transportError(e, endpoint, signal);
  }
}

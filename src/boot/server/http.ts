/** Small HTTP helpers of the boot server: answers, errors with a reason, bounded bodies, queries. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/** Compares secrets in constant time, even when their lengths differ (the digests have one length). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer` header, or undefined without one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  // The scheme name is case-insensitive (RFC 9110 section 11.1): `bearer` is as good as `Bearer`.
  return /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** Sends a body with a content type (HEAD sends the headers only). */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': type, 'content-length': buf.length, ...headers });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

/** A fixed 200 answer built once: the body and its raw header list (`[name, value, ...]`). */
export interface Prepared {
  readonly body: Buffer;
  readonly headers: readonly string[];
}

/** Builds a prepared answer; the header list is what `writeHead` takes without building an object per request. */
export function prepare(type: string, body: Buffer, headers: Record<string, string> = {}): Prepared {
  const list = ['content-type', type, 'content-length', String(body.length)];
  for (const [k, v] of Object.entries(headers)) list.push(k, v);
  return { body, headers: list };
}

/** Sends a prepared answer with status 200 (HEAD sends the headers only). */
export function sendPrepared(req: IncomingMessage, res: ServerResponse, answer: Prepared): void {
  res.writeHead(200, answer.headers as string[]);
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}

/** Sends JSON. */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  send(req, res, status, 'application/json', JSON.stringify(value) + '\n', { 'cache-control': 'no-store' });
}

/** Sends an error as `{"error": reason, "code": code}` with the error's status. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: BootError): void {
  sendJson(req, res, err.status, { error: err.message, code: err.code });
}

/** Reads a request body of at most `limit` bytes; a larger one is refused with 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) {
      reject(new BootError('too_large', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`));
      req.resume();
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        // Keep reading (and dropping) the rest rather than destroying the socket: a reset would
        // discard the 413 before the client reads it. The server's request timeout bounds this.
        chunks = [];
        reject(new BootError('too_large', `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that goes away mid-upload is worth one log line, not a stack trace.
    req.on('error', (err) => reject(new BootError('invalid_request', `the upload was aborted: ${err.message}`)));
  });
}

/** Splits a request target into path and query parameters (first value of each key wins). */
export function parseTarget(url: string): { path: string; query: Map<string, string> } {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const query = new Map<string, string>();
  if (mark >= 0) {
    for (const pair of url.slice(mark + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
      const value = safeDecode(eq < 0 ? '' : pair.slice(eq + 1));
      if (key === undefined || value === undefined)
        throw new BootError('invalid_request', 'malformed percent-encoding in the query string');
      if (!query.has(key)) query.set(key, value);
    }
  }
  return { path, query };
}

function safeDecode(encoded: string): string | undefined {
  if (!encoded.includes('%') && !encoded.includes('+')) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * One request header by its lower-case name, read from the raw list: Node builds `req.headers`
 * (every header, names lower-cased) on first use, which a boot answer needing only the user agent
 * should not pay for on every request.
 */
export function rawHeader(req: IncomingMessage, lowerName: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}

/** The client address, without the IPv4-mapped IPv6 prefix. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

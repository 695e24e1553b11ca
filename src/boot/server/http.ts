/** Small HTTP helpers of the boot server: answers, errors with a reason, bounded bodies, queries. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';

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
export function sendPrepared(req: IncomingMessage, res: ServerResponse, p: Prepared): void {
  res.writeHead(200, p.headers as string[]);
  res.end(req.method === 'HEAD' ? undefined : p.body);
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
    req.on('data', (c: Buffer) => {
      if (size > limit) return;
      size += c.length;
      if (size > limit) {
        // Keep reading (and dropping) the rest rather than destroying the socket: a reset would
        // discard the 413 before the client reads it. The server's request timeout bounds this.
        chunks = [];
        reject(new BootError('too_large', `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    // A client that goes away mid-upload is worth one log line, not a stack trace.
    req.on('error', (err) => reject(new BootError('invalid_request', `the upload was aborted: ${err.message}`)));
  });
}

/** Splits a request target into path and query parameters (first value of each key wins). */
export function parseTarget(url: string): { path: string; query: Map<string, string> } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const k = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
      const v = safeDecode(eq < 0 ? '' : pair.slice(eq + 1));
      if (k === undefined || v === undefined)
        throw new BootError('invalid_request', 'malformed percent-encoding in the query string');
      if (!query.has(k)) query.set(k, v);
    }
  }
  return { path, query };
}

function safeDecode(s: string): string | undefined {
  if (!s.includes('%') && !s.includes('+')) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The client address, without the IPv4-mapped IPv6 prefix. */
export function clientAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

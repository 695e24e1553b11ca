/**
 * The admin API `/api/v1/entries[/<name>[/state]]`: list, get, put, delete, reset machine state.
 * Bearer token compared in constant time; without a configured token the API is off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';
import { readBody, sendJson } from './http';
import type { RouteContext } from './context';
import type { BootService, WriteConditions } from './service';

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorize(ctx: RouteContext, req: IncomingMessage): void {
  if (!ctx.adminToken) throw new BootError('forbidden', 'the admin API is disabled: start the server with a token');
  // The scheme name is case-insensitive (RFC 9110 section 11.1): `bearer` is as good as `Bearer`.
  const m = /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
  // Comparing digests keeps the comparison constant-time even when the lengths differ.
  if (!m || !timingSafeEqual(digest(m[1]!), digest(ctx.adminToken))) {
    throw new BootError('unauthorized', 'missing or wrong bearer token');
  }
}

async function jsonBody(ctx: RouteContext, req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/.test(type))
    throw new BootError('invalid_request', `content-type must be application/json, got "${type}"`);
  const body = await readBody(req, ctx.maxBodyBytes);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BootError('invalid_request', `body is not JSON: ${(err as Error).message}`);
  }
}

function decodeName(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BootError('invalid_request', 'malformed percent-encoding in the entry name');
  }
}

function conditions(req: IncomingMessage): WriteConditions {
  const h = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);
  return { ifMatch: h(req.headers['if-match']), ifNoneMatch: h(req.headers['if-none-match']) };
}

function sendEntry(req: IncomingMessage, res: ServerResponse, svc: BootService, name: string, status: number): void {
  res.setHeader('etag', svc.etag(name)!);
  sendJson(req, res, status, svc.view(name));
}

/** Handles one admin request; resolves to the event it was (for the log line). */
export async function handleAdmin(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<string> {
  authorize(ctx, req);
  const m = /^\/api\/v1\/entries(?:\/([^/]+)(\/state)?)?\/?$/.exec(path);
  if (!m) throw new BootError('not_found', `no admin route ${path.slice(0, 80)}`);
  const name = m[1] === undefined ? undefined : decodeName(m[1]);
  const svc = ctx.service;
  const method = req.method ?? 'GET';
  if (name === undefined) {
    if (method !== 'GET') throw new BootError('method_not_allowed', `${method} is not allowed on /api/v1/entries`);
    sendJson(req, res, 200, { entries: svc.catalog.names().map((n) => svc.view(n)) });
    return 'admin_list';
  }
  if (m[2]) {
    if (method !== 'DELETE')
      throw new BootError('method_not_allowed', `${method} is not allowed on the state of an entry`);
    await svc.resetMachines(name);
    sendEntry(req, res, svc, name, 200);
    return 'admin_reset';
  }
  if (method === 'GET' || method === 'HEAD') {
    if (!svc.view(name)) throw new BootError('not_found', `no entry named "${name}"`);
    sendEntry(req, res, svc, name, 200);
    return 'admin_get';
  }
  if (method === 'PUT') {
    const { entry, created, etag } = await svc.put(name, await jsonBody(ctx, req), conditions(req));
    res.setHeader('etag', etag);
    sendJson(req, res, created ? 201 : 200, entry);
    return created ? 'admin_create' : 'admin_update';
  }
  if (method === 'DELETE') {
    if (!(await svc.delete(name, conditions(req)))) throw new BootError('not_found', `no entry named "${name}"`);
    sendJson(req, res, 200, { deleted: name });
    return 'admin_delete';
  }
  throw new BootError('method_not_allowed', `${method} is not allowed on an entry`);
}

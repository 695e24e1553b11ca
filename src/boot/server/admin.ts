/**
 * The admin API `/api/v1/entries[/<name>[/state]]`: list, get, put, delete, reset machine state.
 * Bearer token compared in constant time; without a configured token the API is off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';
import { bearerToken, readBody, sameSecret, sendJson } from './http';
import type { RouteContext } from './context';
import type { BootService, WriteConditions } from './service';

function authorize(ctx: RouteContext, req: IncomingMessage): void {
  if (!ctx.adminToken) throw new BootError('forbidden', 'the admin API is disabled: start the server with a token');
  const token = bearerToken(req);
  if (token === undefined || !sameSecret(token, ctx.adminToken)) {
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

function decodeName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new BootError('invalid_request', 'malformed percent-encoding in the entry name');
  }
}

function conditions(req: IncomingMessage): WriteConditions {
  const joined = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);
  return { ifMatch: joined(req.headers['if-match']), ifNoneMatch: joined(req.headers['if-none-match']) };
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
  const match = /^\/api\/v1\/entries(?:\/([^/]+)(\/state)?)?\/?$/.exec(path);
  if (!match) throw new BootError('not_found', `no admin route ${path.slice(0, 80)}`);
  const name = match[1] === undefined ? undefined : decodeName(match[1]);
  const svc = ctx.service;
  const method = req.method ?? 'GET';
  if (name === undefined) {
    if (method !== 'GET') throw new BootError('method_not_allowed', `${method} is not allowed on /api/v1/entries`);
    sendJson(req, res, 200, { entries: svc.catalog.names().map((n) => svc.view(n)) });
    return 'admin_list';
  }
  if (match[2]) {
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

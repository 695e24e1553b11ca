/**
 * The admin API `/api/v1/entries[/<name>[/state]]`: list, get, put, delete, reset machine state.
 * Bearer token compared in constant time; without a configured token the API is off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';
import { readBody, sendJson } from './http';
import type { RouteContext } from './routes';

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorize(ctx: RouteContext, req: IncomingMessage): void {
  if (!ctx.adminToken) throw new BootError('forbidden', 'the admin API is disabled: start the server with a token');
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  // Comparing digests keeps the comparison constant-time even when the lengths differ.
  if (!m || !timingSafeEqual(digest(m[1]!), digest(ctx.adminToken))) {
    throw new BootError('unauthorized', 'missing or wrong bearer token');
  }
}

async function jsonBody(ctx: RouteContext, req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/.test(type)) throw new BootError('invalid_request', `content-type must be application/json, got "${type}"`);
  const body = await readBody(req, ctx.maxBodyBytes);
  try { return JSON.parse(body.toString('utf8')); } catch (err) {
    throw new BootError('invalid_request', `body is not JSON: ${(err as Error).message}`);
  }
}

function decodeName(s: string): string {
  try { return decodeURIComponent(s); } catch { throw new BootError('invalid_request', 'malformed percent-encoding in the entry name'); }
}

/** Handles one admin request. */
export async function handleAdmin(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  authorize(ctx, req);
  const m = /^\/api\/v1\/entries(?:\/([^/]+)(\/state)?)?\/?$/.exec(path);
  if (!m) throw new BootError('not_found', `no admin route ${path.slice(0, 80)}`);
  const name = m[1] === undefined ? undefined : decodeName(m[1]);
  const svc = ctx.service;
  const method = req.method ?? 'GET';
  if (name === undefined) {
    if (method !== 'GET') throw new BootError('method_not_allowed', `${method} is not allowed on /api/v1/entries`);
    sendJson(req, res, 200, { entries: svc.catalog.names().map((n) => svc.view(n)) });
    return;
  }
  if (m[2]) {
    if (method !== 'DELETE') throw new BootError('method_not_allowed', `${method} is not allowed on the state of an entry`);
    await svc.resetMachines(name);
    sendJson(req, res, 200, svc.view(name));
    return;
  }
  if (method === 'GET') {
    const view = svc.view(name);
    if (!view) throw new BootError('not_found', `no entry named "${name}"`);
    sendJson(req, res, 200, view);
  } else if (method === 'PUT') {
    const { entry, created } = await svc.put(name, await jsonBody(ctx, req));
    sendJson(req, res, created ? 201 : 200, entry);
  } else if (method === 'DELETE') {
    if (!(await svc.delete(name))) throw new BootError('not_found', `no entry named "${name}"`);
    sendJson(req, res, 200, { deleted: name });
  } else {
    throw new BootError('method_not_allowed', `${method} is not allowed on an entry`);
  }
}

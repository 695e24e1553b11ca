/**
 * The test-only admin endpoint under `/ovirt-engine/__sim/`, authenticated with the simulator's
 * credentials (Basic or a bearer token). JSON in and out; see `SimControl` for the semantics.
 */
import { SimControl } from './control';
import { SimError } from '../errors';
import { Tree } from '../store/repr';

/** The admin endpoint's path prefix. */
export const ADMIN_BASE = '/ovirt-engine/__sim';

/** A JSON answer of the admin endpoint. */
export interface AdminReply {
  status: number;
  body: unknown;
}

function jsonBody(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimError('BAD_OPTIONS', 'body is not valid JSON');
  }
}

/**
 * Handles `METHOD /ovirt-engine/__sim/<rest>`:
 * GET objects/{kind}[/{id}][?parent=], PATCH objects/{kind}/{id} (JSON merge into data),
 * DELETE objects/{kind}/{id}, GET|PUT faults, GET locks, POST|DELETE locks/{id},
 * GET|DELETE counters, POST tokens/expire, POST tokens/revoke ({token}?), PUT tokens/ttl ({ms}), POST tick.
 */
export function handleAdmin(
  ctl: SimControl,
  method: string,
  rest: string,
  query: URLSearchParams,
  text: string,
): AdminReply {
  const seg = rest.split('/').filter(Boolean);
  // `route` below counts the segments, so a case that names them has them.
  const [, first = '', second = ''] = seg;
  const parent = query.get('parent') ?? undefined;
  const route = `${method} ${seg[0] ?? ''}${seg.length > 1 ? '/*' : ''}${seg.length > 2 ? '/*' : ''}`;
  try {
    switch (route) {
      case 'GET objects/*':
        return { status: 200, body: ctl.list(first) };
      case 'GET objects/*/*': {
        const entity = ctl.get(first, second, parent);
        return entity ? { status: 200, body: entity } : { status: 404, body: { error: `no ${first} ${second}` } };
      }
      case 'PATCH objects/*/*':
        return { status: 200, body: ctl.mutate(first, second, (jsonBody(text) ?? {}) as Tree, parent) };
      case 'DELETE objects/*/*':
        return ctl.remove(first, second, parent)
          ? { status: 200, body: {} }
          : { status: 404, body: { error: 'not found' } };
      case 'GET faults':
        return { status: 200, body: ctl.getFaults() };
      case 'PUT faults': {
        const body = jsonBody(text);
        return { status: 200, body: ctl.setFaults(body ?? {}) };
      }
      case 'GET locks':
        return { status: 200, body: ctl.lockedIds() };
      case 'POST locks/*':
        ctl.lock(first);
        return { status: 200, body: ctl.lockedIds() };
      case 'DELETE locks/*':
        ctl.unlock(first);
        return { status: 200, body: ctl.lockedIds() };
      case 'GET counters':
        return { status: 200, body: ctl.counters() };
      case 'DELETE counters':
        ctl.resetCounters();
        return { status: 200, body: {} };
      case 'POST tokens/*': {
        if (first === 'expire') return { status: 200, body: { expired: ctl.expireTokens() } };
        if (first === 'revoke')
          return {
            status: 200,
            body: { revoked: ctl.revokeTokens((jsonBody(text) as { token?: string } | undefined)?.token) },
          };
        break;
      }
      case 'PUT tokens/*': {
        if (first !== 'ttl') break;
        const ms = (jsonBody(text) as { ms?: unknown } | undefined)?.ms;
        if (ms !== undefined && ms !== null && (typeof ms !== 'number' || ms < 0))
          return { status: 400, body: { error: 'ms must be a number >= 0 or null' } };
        ctl.setTokenTtl(typeof ms === 'number' ? ms : undefined);
        return { status: 200, body: {} };
      }
      case 'POST tick':
        ctl.tick();
        return { status: 200, body: {} };
      default:
        break;
    }
  } catch (err) {
    if (err instanceof SimError) return { status: 400, body: { error: err.message } };
    throw err;
  }
  return { status: 404, body: { error: `unknown admin request ${method} ${rest}` } };
}

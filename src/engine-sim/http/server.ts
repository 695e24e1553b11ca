/** The HTTP(S) front: SSO, PKI, admin and API paths; fault injection; counting; persistence hook. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_BASE, handleAdmin } from './admin';
import { handleApi } from './api';
import { REDIRECT_LOCATION } from '../engine/faults';
import { SimControl } from './control';
import { Sim } from '../engine/sim';
import { Sso } from './sso';
import { toXml } from '../store/repr';
import { pki } from './pki';

const UNAUTHORIZED_HTML = '<html><head><title>Error</title></head><body>Unauthorized</body></html>';
const MAX_BODY = 16 * 1024 * 1024;
/** Methods the engine answers without reading a body, so a body declared but never sent cannot stall them. */
const BODILESS = new Set(['GET', 'HEAD', 'DELETE']);

/** A request body that did not arrive in time: answered 408. */
class BodyTimeout extends Error {}
/** A request body over {@link MAX_BODY}: answered 413. */
class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => reject(new BodyTimeout(`the request body did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge(`request body over ${MAX_BODY} bytes`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { 'content-type': 'application/json' }, JSON.stringify(body) + '\n');
}

function correlationOf(req: IncomingMessage, query: URLSearchParams, sim: Sim): string {
  const given = String(req.headers['correlation-id'] ?? query.get('correlation_id') ?? '')
    .replace(/[^0-9a-zA-Z_-]/g, '')
    .slice(0, 36);
  return given || sim.newId();
}

/** What the listener needs. */
export interface FrontDeps {
  sim: Sim;
  sso: Sso;
  control: SimControl;
  caPem: string;
  log: (msg: string) => void;
  afterRequest: () => void;
  /** How long a declared request body may take to arrive. */
  bodyTimeoutMs: number;
}

/** The body of a request: none for GET/HEAD/DELETE (a declared one is discarded and the connection closed after the answer). */
function bodyOf(deps: FrontDeps, req: IncomingMessage, res: ServerResponse): Promise<string> {
  if (!BODILESS.has(req.method ?? 'GET')) return readBody(req, deps.bodyTimeoutMs);
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
    // The declared bytes may never come, or come late and be read as the next request: end the connection.
    res.setHeader('connection', 'close');
    req.resume();
  }
  return Promise.resolve('');
}

/** Refuses a request without reading its body, and closes the connection (the client may still be sending). */
function refuse(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  send(res, status, { ...headers, connection: 'close' }, body);
}

function faultXml(reason: string, detail: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<fault>\n    <reason>${reason}</reason>\n    <detail>${detail}</detail>\n</fault>\n`;
}

async function api(deps: FrontDeps, req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<void> {
  const { sim, sso } = deps;
  const spec = sim.faults;
  const delay = (spec.latencyMs ?? 0) + (spec.jitterMs ? sim.rng.next() * spec.jitterMs : 0);
  if (delay > 0) {
    sim.countFault('delayed');
    await new Promise((r) => setTimeout(r, delay));
  }
  if (spec.pReset && sim.rng.next() < spec.pReset) {
    sim.countFault('reset');
    req.socket.destroy();
    return;
  }
  if (spec.p503 && sim.rng.next() < spec.p503) {
    sim.countFault('503');
    send(
      res,
      503,
      { 'content-type': 'text/html' },
      '<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>',
    );
    return;
  }
  const redirect = req.method === 'GET' ? spec.pRedirect : Math.max(spec.pRedirect ?? 0, spec.pRedirectWrite ?? 0);
  if (redirect && sim.rng.next() < redirect) {
    sim.countFault('redirect');
    send(res, 302, { location: REDIRECT_LOCATION, 'content-type': 'text/html' }, '<html><body>Found</body></html>');
    return;
  }
  // Authenticated before the body is read: an anonymous client cannot make the simulator buffer anything.
  const auth = sso.authenticate(req);
  if (!auth.user) {
    refuse(
      res,
      401,
      { 'www-authenticate': 'Basic realm="RESTAPI"', 'content-type': 'text/html;charset=UTF-8' },
      UNAUTHORIZED_HTML,
    );
    return;
  }
  let segs: string[];
  try {
    segs = rest.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    refuse(
      res,
      400,
      { 'content-type': 'application/xml' },
      faultXml('Operation Failed', 'The request path is not valid percent-encoded UTF-8.'),
    );
    return;
  }
  const text = await bodyOf(deps, req, res);
  sim.scheduler.runDue();
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  const tail = segs.at(-1);
  if (tail !== undefined) {
    const [last = '', ...matrix] = tail.split(';');
    segs[segs.length - 1] = last;
    for (const m of matrix) {
      const [key = '', value] = m.split('=');
      query[key] = value ?? '';
    }
  }
  const allContent = req.headers['all-content'];
  if (typeof allContent === 'string' && query.all_content === undefined) query.all_content = allContent;
  const headers = { accept: req.headers.accept, 'content-type': req.headers['content-type'] };
  const origin = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  const answer = handleApi(
    sim,
    req.method ?? 'GET',
    segs,
    query,
    text,
    headers,
    correlationOf(req, url.searchParams, sim),
    origin,
  );
  if (auth.session) answer.headers['set-cookie'] = `JSESSIONID=${auth.session}; path=/ovirt-engine/api; HttpOnly`;
  send(res, answer.status, answer.headers, answer.body);
}

function sso(
  deps: FrontDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  text: string,
  logout: boolean,
): void {
  const params = new URLSearchParams(url.searchParams);
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  const reply = logout ? deps.sso.logout(params) : deps.sso.token(params, req.headers.accept);
  sendJson(res, reply.status, reply.body);
}

/** The request listener of one simulator. */
export function listener(deps: FrontDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const part = url.pathname;
      const apiMatch = /^\/ovirt-engine\/api(?:\/v4)?(\/.*)?$/.exec(part);
      if (apiMatch) await api(deps, req, res, url, apiMatch[1] ?? '');
      else if (part === '/ovirt-engine/sso/oauth/token') sso(deps, req, res, url, await bodyOf(deps, req, res), false);
      else if (part === '/ovirt-engine/services/sso-logout')
        sso(deps, req, res, url, await bodyOf(deps, req, res), true);
      else if (part === '/ovirt-engine/services/pki-resource' || part === '/ovirt-engine/ca.crt') {
        const answer = pki(part, url.searchParams, deps.caPem);
        send(res, answer.status, { 'content-type': answer.type }, answer.body);
      } else if (part.startsWith(ADMIN_BASE + '/')) {
        if (!deps.sso.authenticate(req).user)
          refuse(
            res,
            401,
            { 'content-type': 'application/json' },
            JSON.stringify({ error: 'admin endpoint needs the simulator credentials (Basic or Bearer)' }) + '\n',
          );
        else {
          const reply = handleAdmin(
            deps.control,
            req.method ?? 'GET',
            part.slice(ADMIN_BASE.length),
            url.searchParams,
            await bodyOf(deps, req, res),
          );
          sendJson(res, reply.status, reply.body);
        }
      } else send(res, 404, {}, '');
      deps.afterRequest();
    })().catch((err: unknown) => {
      if (err instanceof BodyTimeout) {
        res.setHeader('connection', 'close');
        send(
          res,
          408,
          { 'content-type': 'application/xml' },
          toXml('fault', { reason: 'Request Timeout', detail: err.message }),
        );
        return;
      }
      if (err instanceof BodyTooLarge && !res.headersSent) {
        refuse(
          res,
          413,
          { 'content-type': 'application/xml' },
          faultXml('Operation Failed', `The request body is larger than ${MAX_BODY} bytes.`),
        );
        return;
      }
      deps.log(
        `request ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      if (res.headersSent) res.destroy();
      else
        send(res, 500, { 'content-type': 'application/xml' }, faultXml('Operation Failed', 'Internal simulator error'));
    });
  };
}

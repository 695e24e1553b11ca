/** The HTTP(S) front: SSO, PKI, admin and API paths; fault injection; counting; persistence hook. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_BASE, handleAdmin } from './admin';
import { handleApi } from './api';
import { REDIRECT_LOCATION } from './faults';
import { SimControl } from './control';
import { Sim } from './sim';
import { Sso } from './sso';

const UNAUTHORIZED_HTML = '<html><head><title>Error</title></head><body>Unauthorized</body></html>';
const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
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
  const given = String(req.headers['correlation-id'] ?? query.get('correlation_id') ?? '').replace(/[^0-9a-zA-Z_-]/g, '').slice(0, 36);
  return given || sim.newId();
}

/** What the listener needs. */
export interface FrontDeps { sim: Sim; sso: Sso; control: SimControl; caPem: string; log: (msg: string) => void; afterRequest: () => void }

async function api(d: FrontDeps, req: IncomingMessage, res: ServerResponse, url: URL, rest: string, text: string): Promise<void> {
  const { sim, sso } = d;
  const f = sim.faults;
  const delay = (f.latencyMs ?? 0) + (f.jitterMs ? sim.rng.next() * f.jitterMs : 0);
  if (delay > 0) {
    sim.countFault('delayed');
    await new Promise((r) => setTimeout(r, delay));
  }
  if (f.pReset && sim.rng.next() < f.pReset) {
    sim.countFault('reset');
    req.socket.destroy();
    return;
  }
  if (f.p503 && sim.rng.next() < f.p503) {
    sim.countFault('503');
    send(res, 503, { 'content-type': 'text/html' }, '<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>');
    return;
  }
  const redirect = req.method === 'GET' ? f.pRedirect : Math.max(f.pRedirect ?? 0, f.pRedirectWrite ?? 0);
  if (redirect && sim.rng.next() < redirect) {
    sim.countFault('redirect');
    send(res, 302, { location: REDIRECT_LOCATION, 'content-type': 'text/html' }, '<html><body>Found</body></html>');
    return;
  }
  const auth = sso.authenticate(req);
  if (!auth.user) {
    send(res, 401, { 'www-authenticate': 'Basic realm="RESTAPI"', 'content-type': 'text/html;charset=UTF-8' }, UNAUTHORIZED_HTML);
    return;
  }
  sim.scheduler.runDue();
  const segs = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  if (segs.length) {
    const [last, ...matrix] = segs[segs.length - 1].split(';');
    segs[segs.length - 1] = last;
    for (const m of matrix) { const [k, v] = m.split('='); query[k] = v ?? ''; }
  }
  const allContent = req.headers['all-content'];
  if (typeof allContent === 'string' && query.all_content === undefined) query.all_content = allContent;
  const headers = { accept: req.headers.accept, 'content-type': req.headers['content-type'] };
  const origin = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  const a = handleApi(sim, req.method ?? 'GET', segs, query, text, headers, correlationOf(req, url.searchParams, sim), origin);
  if (auth.session) a.headers['set-cookie'] = `JSESSIONID=${auth.session}; path=/ovirt-engine/api; HttpOnly`;
  send(res, a.status, a.headers, a.body);
}

function sso(d: FrontDeps, req: IncomingMessage, res: ServerResponse, url: URL, text: string, logout: boolean): void {
  const params = new URLSearchParams(url.searchParams);
  for (const [k, v] of new URLSearchParams(text)) params.set(k, v);
  const r = logout ? d.sso.logout(params) : d.sso.token(params, req.headers.accept);
  sendJson(res, r.status, r.body);
}

/** The request listener of one simulator. */
export function listener(d: FrontDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const p = url.pathname;
      const text = await readBody(req);
      const apiMatch = /^\/ovirt-engine\/api(?:\/v4)?(\/.*)?$/.exec(p);
      if (apiMatch) await api(d, req, res, url, apiMatch[1] ?? '', text);
      else if (p === '/ovirt-engine/sso/oauth/token') sso(d, req, res, url, text, false);
      else if (p === '/ovirt-engine/services/sso-logout') sso(d, req, res, url, text, true);
      else if (p === '/ovirt-engine/services/pki-resource') send(res, 200, { 'content-type': 'application/x-x509-ca-cert' }, d.caPem);
      else if (p.startsWith(ADMIN_BASE + '/')) {
        if (!d.sso.authenticate(req).user) sendJson(res, 401, { error: 'admin endpoint needs the simulator credentials (Basic or Bearer)' });
        else {
          const r = handleAdmin(d.control, req.method ?? 'GET', p.slice(ADMIN_BASE.length), url.searchParams, text);
          sendJson(res, r.status, r.body);
        }
      } else send(res, 404, {}, '');
      d.afterRequest();
    })().catch((err: unknown) => {
      d.log(`request ${req.method} ${req.url} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/xml' },
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<fault>\n    <reason>Operation Failed</reason>\n    <detail>Internal simulator error</detail>\n</fault>\n');
      else res.destroy();
    });
  };
}

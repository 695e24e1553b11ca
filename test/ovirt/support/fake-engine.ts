/**
 * A scriptable HTTPS server that answers like the engine where these tests need it: SSO token and
 * logout endpoints with real error shapes, bearer checks, and per-test API route handlers.
 * Deliberately tiny: the full engine simulator lives in src/engine-sim and is tested on its own.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './tls';

/** What a route handler sees. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What a route handler answers. `delayMs` holds the answer back (timeouts); `destroy` drops the socket. */
export interface Answer {
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  destroy?: boolean;
}

export type Route = (req: SeenRequest) => Answer | Promise<Answer>;

/** Test engine state and controls. */
export interface FakeEngine {
  url: string;
  origin: string;
  /** Every API request (not SSO), in order. */
  requests: SeenRequest[];
  logins: number;
  logouts: string[];
  /** Valid tokens; delete one to simulate expiry. */
  tokens: Set<string>;
  /** API routes by `METHOD /path` (path below /ovirt-engine/api, no query). Fallback: `*`. */
  routes: Map<string, Route>;
  password: string;
  /** What `/services/pki-resource` serves. */
  caPem: string;
  /** Holds SSO answers back (a slow login). */
  ssoDelayMs: number;
  /** Replaces every SSO answer (a proxy redirecting the login). */
  ssoAnswer?: Answer;
  close(): Promise<void>;
}

export const XML = 'application/xml;charset=UTF-8';

/** `<fault>` body. */
export function faultXml(reason: string, detail: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<fault>\n    <reason>${reason}</reason>\n    <detail>${detail}</detail>\n</fault>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sso(engine: FakeEngine, seen: SeenRequest): Answer {
  const form = new URLSearchParams(seen.body);
  if (seen.path.endsWith('/services/pki-resource')) {
    const ok = seen.query.get('resource') === 'ca-certificate' && seen.query.get('format') === 'X509-PEM-CA';
    return ok
      ? { status: 200, body: engine.caPem, contentType: 'application/x-x509-ca-cert' }
      : { status: 400, body: 'Resource is invalid', contentType: 'text/plain' };
  }
  if (seen.path.endsWith('/services/sso-logout')) {
    engine.logouts.push(form.get('token') ?? '');
    engine.tokens.delete(form.get('token') ?? '');
    return { status: 200, body: '{}', contentType: 'application/json' };
  }
  engine.logins++;
  if (form.get('password') !== engine.password || form.get('scope') !== 'ovirt-app-api') {
    const user = form.get('username') ?? '';
    return {
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error_code: 'access_denied',
        error: `Cannot authenticate user '${user}': The username or password is incorrect..`,
      }),
    };
  }
  const token = `tok-${engine.logins}-${Math.random().toString(36).slice(2)}`;
  engine.tokens.add(token);
  return {
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({
      access_token: token,
      scope: 'ovirt-app-api',
      exp: '9223372036854775807',
      token_type: 'bearer',
    }),
  };
}

function authorized(engine: FakeEngine, seen: SeenRequest): boolean {
  const header = seen.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return engine.tokens.has(header.slice(7));
  if (header.startsWith('Basic '))
    return Buffer.from(header.slice(6), 'base64').toString() === `admin@internal:${engine.password}`;
  return false;
}

async function dispatch(engine: FakeEngine, seen: SeenRequest): Promise<Answer> {
  if (seen.path.startsWith('/ovirt-engine/sso/') || seen.path.startsWith('/ovirt-engine/services/'))
    return { ...(engine.ssoAnswer ?? sso(engine, seen)), delayMs: engine.ssoDelayMs };
  const apiPath = seen.path.replace(/^\/ovirt-engine\/api/, '');
  const local = { ...seen, path: apiPath };
  engine.requests.push(local);
  if (!authorized(engine, seen)) {
    return {
      status: 401,
      contentType: 'text/html;charset=UTF-8',
      headers: { 'www-authenticate': 'Basic realm="RESTAPI"' },
      body: '<html><head><title>Error</title></head><body>Unauthorized</body></html>',
    };
  }
  const route = engine.routes.get(`${seen.method} ${apiPath}`) ?? engine.routes.get('*');
  if (!route) return { status: 404, body: '' };
  return route(local);
}

/** Starts the fake engine on 127.0.0.1 with a random port. */
export async function startFakeEngine(pki: TestPki): Promise<FakeEngine> {
  let server: Server | undefined;
  const engine: FakeEngine = {
    url: '',
    origin: '',
    requests: [],
    logins: 0,
    logouts: [],
    tokens: new Set(),
    routes: new Map(),
    password: 'secret',
    ssoDelayMs: 0,
    caPem: pki.caPem,
    close: () =>
      new Promise((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  };
  server = createServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
      };
      const answer = await dispatch(engine, seen);
      // unref: a held-back answer must not keep the test worker alive after the test.
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs).unref());
      if (answer.destroy) {
        req.socket.destroy();
        return;
      }
      const corr = String(req.headers['correlation-id'] ?? '');
      res.writeHead(answer.status ?? 200, {
        'content-type': answer.contentType ?? XML,
        'correlation-id': corr,
        ...answer.headers,
      });
      res.end(answer.body ?? '');
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  engine.origin = `https://127.0.0.1:${port}`;
  engine.url = `${engine.origin}/ovirt-engine/api`;
  return engine;
}

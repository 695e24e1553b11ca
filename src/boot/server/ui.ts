/**
 * The live view's routes: `/ui` (the page), `/ui/events` (its server-sent events), `/ui/session`
 * (the sign-in form posts the token there) and the page's own script and style sheet. Read-only,
 * behind the viewer token or the admin token: as a bearer header (scripts), or as a session
 * cookie set by the sign-in form. The cookie holds an HMAC of the token, never the token itself,
 * and a token never appears in a URL (so never in a log line or a browser's history).
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';
import { bearerToken, prepare, readBody, send, sameSecret, sendPrepared } from './http';
import type { Outcome, RouteContext } from './context';
import { UI_CSS, UI_PAGE, UI_SCRIPT, signInPage } from './ui-page';

const COOKIE = 'boot_ui';
/** No script, style, image or connection leaves the server; nothing may frame the page. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const SECURITY = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const HTML = 'text/html; charset=utf-8';
const PAGE = prepare(HTML, Buffer.from(UI_PAGE), { ...SECURITY, 'cache-control': 'no-store' });
const SCRIPT = prepare('text/javascript; charset=utf-8', Buffer.from(UI_SCRIPT), SECURITY);
const STYLE = prepare('text/css; charset=utf-8', Buffer.from(UI_CSS), SECURITY);

/** The cookie value a token signs in with. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('ovirt-cdktf boot-server live view').digest('base64url');
}

/** The tokens that open the view: the viewer token and the admin token. */
function tokens(ctx: RouteContext): string[] {
  return [ctx.viewerToken, ctx.adminToken].filter((t): t is string => Boolean(t));
}

function cookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Why the request may not see the view, or undefined when it may. */
function refusal(ctx: RouteContext, req: IncomingMessage): string | undefined {
  const valid = tokens(ctx);
  const bearer = bearerToken(req);
  if (bearer !== undefined) {
    return valid.some((t) => sameSecret(bearer, t)) ? undefined : 'wrong bearer token';
  }
  const session = cookie(req);
  if (session === undefined) return 'sign in with the viewer token or the admin token';
  return valid.some((t) => sameSecret(session, sessionValue(t)))
    ? undefined
    : 'the session is no longer valid (the token changed): sign in again';
}

function disabled(ctx: RouteContext): void {
  if (tokens(ctx).length === 0) {
    throw new BootError(
      'forbidden',
      'the live view is disabled: start the server with a viewer token or an admin token',
    );
  }
}

function denied(req: IncomingMessage, res: ServerResponse, reason: string): Outcome {
  send(req, res, 401, HTML, signInPage(reason), {
    ...SECURITY,
    'cache-control': 'no-store',
    'www-authenticate': 'Bearer realm="boot-server live view"',
  });
  return { route: 'ui_refused', event: 'ui_refused', detail: `reason="${reason}"` };
}

/** `POST /ui/session` with `token=...` (the sign-in form): sets the session cookie and goes to the page. */
async function signIn(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<Outcome> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/.test(type)) {
    throw new BootError(
      'invalid_request',
      `content-type must be application/x-www-form-urlencoded, got "${type.slice(0, 80)}"`,
    );
  }
  const token = new URLSearchParams((await readBody(req, 4096)).toString('utf8')).get('token')?.trim() ?? '';
  const match = tokens(ctx).find((t) => sameSecret(token, t));
  if (!match) return denied(req, res, token ? 'wrong token' : 'no token given');
  const secure = 'encrypted' in req.socket ? '; Secure' : '';
  res.writeHead(303, {
    location: '/ui',
    'set-cookie': `${COOKIE}=${sessionValue(match)}; Path=/ui; HttpOnly; SameSite=Strict${secure}`,
    'cache-control': 'no-store',
    'content-length': 0,
  });
  res.end();
  return { route: 'ui', event: 'ui_signed_in' };
}

/** Routes a request under `/ui`. */
export function handleUi(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Outcome | Promise<Outcome> {
  // The script and style sheet hold no data: the sign-in page uses them too.
  if (path === '/ui/app.js' || path === '/ui/app.css') {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new BootError('method_not_allowed', `${req.method} is not allowed on ${path}`);
    sendPrepared(req, res, path === '/ui/app.js' ? SCRIPT : STYLE);
    return { route: 'ui' };
  }
  disabled(ctx);
  if (path === '/ui/session') {
    if (req.method !== 'POST')
      throw new BootError('method_not_allowed', `${req.method} is not allowed on /ui/session (POST the sign-in form)`);
    return signIn(ctx, req, res);
  }
  if (path !== '/ui' && path !== '/ui/events') throw new BootError('not_found', `no route for ${path.slice(0, 80)}`);
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new BootError('method_not_allowed', `${req.method} is not allowed on ${path}`);
  const reason = refusal(ctx, req);
  if (path === '/ui') {
    if (reason) return denied(req, res, reason);
    sendPrepared(req, res, PAGE);
    return { route: 'ui' };
  }
  if (reason) throw new BootError('unauthorized', `live view: ${reason}`);
  // An event stream only makes sense to a GET: a HEAD would hold a subscription it never reads.
  if (req.method !== 'GET') throw new BootError('method_not_allowed', `${req.method} is not allowed on /ui/events`);
  ctx.live.subscribe(res);
  return { route: 'ui', event: 'ui_events' };
}

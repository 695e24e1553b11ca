/** SSO like the engine: password-grant tokens, expiry and revocation, logout, HTTP Basic, sessions. */
import type { IncomingMessage } from 'node:http';
import { Clock, Random } from '../engine/clock';

/** Outcome of an SSO endpoint: status and JSON body. */
export interface SsoReply {
  status: number;
  body: Record<string, string>;
}

interface Token {
  user: string;
  expiresAt: number;
  revoked: boolean;
}

const LONG_MAX = '9223372036854775807';

/** Users, tokens and persistent-auth sessions of one simulator. */
export class Sso {
  private readonly tokens = new Map<string, Token>();
  private readonly sessions = new Map<string, string>();

  constructor(
    readonly users: Record<string, string>,
    private readonly clock: Clock,
    private readonly rng: Random,
    /** Token lifetime in ms; undefined = no expiry (the engine's usual Long.MAX_VALUE). */
    public tokenTtlMs?: number,
  ) {}

  /** `POST /ovirt-engine/sso/oauth/token`. */
  token(params: URLSearchParams, accept: string | undefined): SsoReply {
    const scope = params.get('scope') ?? '';
    const restScope = scope.includes('ovirt-app-api');
    const err = (code: string, msg: string): SsoReply => ({
      status: 400,
      body: restScope ? { error_code: code, error: msg } : { error: code, error_description: msg },
    });
    if (accept !== 'application/json') return err('invalid_request', "Missing parameter: 'Accept Header'");
    const grant = params.get('grant_type');
    if (grant !== 'password')
      return err('unsupported_grant_type', `The authorization grant type ${grant ?? ''} is not supported.`);
    if (!restScope) return err('invalid_scope', `The requested scope ${scope} is invalid.`);
    const user = params.get('username') ?? '';
    const password = params.get('password');
    if (!user || password === null)
      return err('invalid_request', `Missing parameter: '${!user ? 'username' : 'password'}'`);
    if (this.users[user] === undefined || this.users[user] !== password) {
      const [name, ...domain] = user.split('@');
      return err(
        'access_denied',
        `Cannot authenticate user '${name}@${domain.join('@')}': The username or password is incorrect..`,
      );
    }
    const access = Buffer.from(this.rng.hex(40), 'hex').toString('base64');
    const expiresAt = this.tokenTtlMs === undefined ? Number.MAX_SAFE_INTEGER : this.clock.now() + this.tokenTtlMs;
    this.tokens.set(access, { user, expiresAt, revoked: false });
    return {
      status: 200,
      body: {
        access_token: access,
        scope,
        exp: this.tokenTtlMs === undefined ? LONG_MAX : String(expiresAt),
        token_type: 'bearer',
      },
    };
  }

  /** `POST /ovirt-engine/services/sso-logout`: revokes the token. */
  logout(params: URLSearchParams): SsoReply {
    const token = this.tokens.get(params.get('token') ?? '');
    if (token) token.revoked = true;
    return { status: 200, body: {} };
  }

  /** The authenticated user of an API request, or undefined (401). Creates sessions on persistent-auth. */
  authenticate(req: IncomingMessage): { user?: string; session?: string } {
    const auth = req.headers.authorization ?? '';
    const prefer = String(req.headers.prefer ?? '');
    let user: string | undefined;
    if (/^bearer /i.test(auth)) {
      const token = this.tokens.get(auth.slice(7).trim());
      if (token && !token.revoked && token.expiresAt > this.clock.now()) user = token.user;
    } else if (/^basic /i.test(auth)) {
      const [unit = '', ...part] = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8').split(':');
      if (this.users[unit] !== undefined && this.users[unit] === part.join(':')) user = unit;
    } else {
      const match = /JSESSIONID=([^;]+)/.exec(String(req.headers.cookie ?? ''));
      if (match && prefer.includes('persistent-auth')) user = this.sessions.get(match[1]!);
      return { user };
    }
    if (user && prefer.includes('persistent-auth')) {
      const session = this.rng.hex(32);
      this.sessions.set(session, user);
      return { user, session };
    }
    return { user };
  }

  /** Makes every issued token expired (clients must log in again). */
  expireAll(): number {
    for (const t of this.tokens.values()) t.expiresAt = 0;
    return this.tokens.size;
  }

  /** Every token issued so far (tests check that none leaks into logs or recordings). */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** Revokes one token, or all when `token` is undefined; returns how many were revoked. */
  revoke(token?: string): number {
    let count = 0;
    for (const [k, t] of this.tokens)
      if (token === undefined || k === token) {
        t.revoked = true;
        count++;
      }
    this.sessions.clear();
    return count;
  }
}

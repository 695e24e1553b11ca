/**
 * Authentication: one SSO bearer token shared by all concurrent callers (a single login in flight),
 * invalidated and re-acquired once on a 401, revoked on close; or HTTP Basic.
 */
import { OvirtError } from './errors';
import { redirectText, type HttpPool } from './http';

/** How the client authenticates. */
export type AuthMode = 'sso' | 'basic';

/** Settings of {@link Authenticator}. */
export interface AuthSettings {
  mode: AuthMode;
  username: string;
  password: string;
  /** Path of the engine's SSO token endpoint, e.g. `/ovirt-engine/sso/oauth/token`. */
  tokenPath: string;
  /** Path of the engine's logout endpoint, e.g. `/ovirt-engine/services/sso-logout`. */
  logoutPath: string;
  timeoutMs: number;
}

const FORM = 'application/x-www-form-urlencoded';

/** Supplies the `Authorization` header value for API requests. */
export class Authenticator {
  private token?: Promise<string>;
  private current?: string;

  constructor(private readonly http: HttpPool, private readonly s: AuthSettings) {}

  /** The `Authorization` header value, logging in first when needed (one login for all callers). */
  async header(): Promise<string> {
    if (this.s.mode === 'basic') {
      return 'Basic ' + Buffer.from(`${this.s.username}:${this.s.password}`).toString('base64');
    }
    if (!this.token) {
      const p = this.login();
      this.token = p;
      p.then((t) => { this.current = t; }, () => { if (this.token === p) this.token = undefined; });
    }
    return 'Bearer ' + (await this.token);
  }

  /** Forgets the token that just got a 401 (unless another caller already replaced it). Returns true if a re-login is possible. */
  invalidate(usedHeader: string): boolean {
    if (this.s.mode === 'basic') return false;
    if (this.current !== undefined && usedHeader === 'Bearer ' + this.current) {
      this.token = undefined;
      this.current = undefined;
    }
    return true;
  }

  private async login(): Promise<string> {
    const endpoint = `POST ${this.s.tokenPath}`;
    const body = new URLSearchParams({
      grant_type: 'password', scope: 'ovirt-app-api', username: this.s.username, password: this.s.password,
    }).toString();
    const res = await this.http.send({
      method: 'POST', path: this.s.tokenPath, body, endpoint, timeoutMs: this.s.timeoutMs,
      headers: { 'content-type': FORM, accept: 'application/json' }, maxBodyBytes: 1 << 20,
    });
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(res.text);
      json = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (res.status === 200 && typeof json?.access_token === 'string') return json.access_token;
    if (res.status >= 300 && res.status < 400) {
      throw new OvirtError({ code: 'unexpected', httpStatus: res.status, endpoint, message: `${endpoint}: SSO login answered HTTP ${res.status}${redirectText(res)}` });
    }
    if (res.status >= 500) {
      throw new OvirtError({ code: 'server', httpStatus: res.status, endpoint, message: `${endpoint}: SSO login failed with HTTP ${res.status}` });
    }
    throw new OvirtError({
      code: 'auth', httpStatus: res.status, endpoint, ...ssoErrorText(json),
      message: `SSO authentication of "${this.s.username}" failed: ${describeSsoError(json, res.status)}`,
    });
  }

  /** Revokes the SSO token (best effort: a failed logout must not fail the caller's shutdown). */
  async logout(): Promise<void> {
    const token = this.current;
    this.token = undefined;
    this.current = undefined;
    if (this.s.mode !== 'sso' || token === undefined) return;
    try {
      await this.http.send({
        method: 'POST', path: this.s.logoutPath, endpoint: `POST ${this.s.logoutPath}`, timeoutMs: this.s.timeoutMs,
        body: new URLSearchParams({ scope: 'ovirt-app-api', token }).toString(),
        headers: { 'content-type': FORM, accept: 'application/json' }, maxBodyBytes: 1 << 20,
      });
    } catch {
      // The token expires on the engine anyway; nothing useful to do about a failed revoke.
    }
  }
}

/** The engine uses `{error_code, error}` for API-scope logins and `{error, error_description}` otherwise. */
function ssoErrorText(json: Record<string, unknown> | undefined): { reason?: string; detail?: string } {
  if (!json) return {};
  if (typeof json.error_code === 'string') return { reason: json.error_code, detail: String(json.error ?? '') };
  if (typeof json.error === 'string') return { reason: json.error, detail: String(json.error_description ?? '') };
  return {};
}

function describeSsoError(json: Record<string, unknown> | undefined, status: number): string {
  const { reason, detail } = ssoErrorText(json);
  if (reason) return `${reason}: ${detail}`;
  return `HTTP ${status} without an SSO error body`;
}

/**
 * Authentication: one SSO bearer token shared by all concurrent callers (a single login in flight),
 * optionally kept in a {@link TokenStore} for other processes, invalidated and re-acquired once on
 * a 401, revoked on close; or HTTP Basic.
 */
import { OvirtError } from './errors';
import { redirectText, type HttpPool } from './http';
import type { TokenStore } from './token-cache';

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

  constructor(
    private readonly http: HttpPool,
    private readonly settings: AuthSettings,
    private readonly store?: TokenStore,
  ) {}

  /** The `Authorization` header value, logging in first when needed (one login for all callers). */
  async header(): Promise<string> {
    if (this.settings.mode === 'basic') {
      return 'Basic ' + Buffer.from(`${this.settings.username}:${this.settings.password}`).toString('base64');
    }
    if (!this.token) {
      const cached = this.store?.get();
      const loading = cached !== undefined ? Promise.resolve(cached) : this.login();
      this.token = loading;
      loading.then(
        (t) => {
          this.current = t;
        },
        () => {
          if (this.token === loading) this.token = undefined;
        },
      );
    }
    return 'Bearer ' + (await this.token);
  }

  /** Forgets the token that just got a 401 (unless another caller already replaced it). Returns true if a re-login is possible. */
  invalidate(usedHeader: string): boolean {
    if (this.settings.mode === 'basic') return false;
    if (this.current !== undefined && usedHeader === 'Bearer ' + this.current) {
      this.store?.drop(this.current);
      this.token = undefined;
      this.current = undefined;
    }
    return true;
  }

  private async login(): Promise<string> {
    const endpoint = `POST ${this.settings.tokenPath}`;
    const body = new URLSearchParams({
      grant_type: 'password',
      scope: 'ovirt-app-api',
      username: this.settings.username,
      password: this.settings.password,
    }).toString();
    const res = await this.http.send({
      method: 'POST',
      path: this.settings.tokenPath,
      body,
      endpoint,
      timeoutMs: this.settings.timeoutMs,
      headers: { 'content-type': FORM, accept: 'application/json' },
      maxBodyBytes: 1 << 20,
    });
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(res.text);
      json = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (res.status === 200 && typeof json?.access_token === 'string') {
      this.store?.put(json.access_token, tokenExpiry(json, Date.now()));
      return json.access_token;
    }
    if (res.status >= 300 && res.status < 400) {
      throw new OvirtError({
        code: 'unexpected',
        httpStatus: res.status,
        endpoint,
        message: `${endpoint}: SSO login answered HTTP ${res.status}${redirectText(res)}`,
      });
    }
    if (res.status >= 500) {
      throw new OvirtError({
        code: 'server',
        httpStatus: res.status,
        endpoint,
        message: `${endpoint}: SSO login failed with HTTP ${res.status}`,
      });
    }
    throw new OvirtError({
      code: 'auth',
      httpStatus: res.status,
      endpoint,
      ...ssoErrorText(json),
      message: `SSO authentication of "${this.settings.username}" failed: ${describeSsoError(json, res.status)}`,
    });
  }

  /** Revokes the SSO token (best effort: a failed logout must not fail the caller's shutdown). */
  async logout(): Promise<void> {
    const token = this.current;
    this.token = undefined;
    this.current = undefined;
    if (this.settings.mode !== 'sso' || token === undefined) return;
    this.store?.drop(token);
    try {
      await this.http.send({
        method: 'POST',
        path: this.settings.logoutPath,
        endpoint: `POST ${this.settings.logoutPath}`,
        timeoutMs: this.settings.timeoutMs,
        body: new URLSearchParams({ scope: 'ovirt-app-api', token }).toString(),
        headers: { 'content-type': FORM, accept: 'application/json' },
        maxBodyBytes: 1 << 20,
      });
    } catch {
      // The token expires on the engine anyway; nothing useful to do about a failed revoke.
    }
  }
}

/**
 * When a token expires (epoch ms): OAuth's `expires_in` (seconds) when present, else the engine's
 * `exp` (epoch ms as a string; Long.MAX_VALUE when the session has no end).
 */
export function tokenExpiry(json: Record<string, unknown>, now: number): number {
  const inSeconds = Number(json.expires_in);
  if (json.expires_in !== undefined && Number.isFinite(inSeconds)) return now + inSeconds * 1000;
  const at = Number(json.exp);
  return json.exp !== undefined && Number.isFinite(at) ? at : Number.MAX_SAFE_INTEGER;
}

/** The engine uses `{error_code, error}` for API-scope logins and `{error, error_description}` otherwise. */
function ssoErrorText(json: Record<string, unknown> | undefined): { reason?: string; detail?: string } {
  if (!json) return {};
  // Engines end some texts with two periods ("… is incorrect.."); users see one.
  if (typeof json.error_code === 'string')
    return { reason: json.error_code, detail: String(json.error ?? '').replace(/\.\.$/, '.') };
  if (typeof json.error === 'string') return { reason: json.error, detail: String(json.error_description ?? '') };
  return {};
}

function describeSsoError(json: Record<string, unknown> | undefined, status: number): string {
  const { reason, detail } = ssoErrorText(json);
  if (reason) return `${reason}: ${detail}`;
  return `HTTP ${status} without an SSO error body`;
}

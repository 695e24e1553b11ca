/**
 * A per-user cache of SSO tokens shared by the processes of one user, so that a tool starting many
 * short-lived clients (Terraform starts the provider several times per command) logs in once, not
 * once per process. One file per engine and user, mode 0600 in a 0700 folder; a file that another
 * user owns or others could read is ignored. The password is not stored: a salted hash of it is,
 * so a client configured with another password does not get the token.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where a client keeps and finds its token. */
export interface TokenStore {
  /** A token that is not about to expire, or undefined. */
  get(): string | undefined;
  /** Keeps `token` until `expiresAt` (epoch ms). */
  put(token: string, expiresAt: number): void;
  /** Forgets `token` (after a 401 or a logout); another process's newer token stays. */
  drop(token: string): void;
}

/** Tokens younger than this are kept even when the engine gives no expiry: its default idle timeout is 30 minutes. */
export const MAX_TOKEN_AGE_MS = 30 * 60_000;
/** A token this close to its expiry is not handed out. */
const EXPIRY_MARGIN_MS = 60_000;

interface Entry {
  token: string;
  expiresAt: number;
  salt: string;
  check: string;
}

/** The OS's per-user cache folder: `$XDG_CACHE_HOME`, `~/Library/Caches` (macOS), `%LOCALAPPDATA%` (Windows), `~/.cache`. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return env.XDG_CACHE_HOME;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  return path.join(env.HOME || os.homedir(), '.cache');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A {@link TokenStore} in a file under `dir`, keyed by engine API URL and user name. */
export class FileTokenStore implements TokenStore {
  readonly file: string;

  constructor(
    dir: string,
    apiUrl: string,
    username: string,
    private readonly password: string,
    private readonly now = () => Date.now(),
  ) {
    this.file = path.join(dir, `${sha256(`${apiUrl}\n${username}`).slice(0, 32)}.json`);
  }

  get(): string | undefined {
    const entry = this.read();
    if (
      !entry ||
      entry.check !== sha256(entry.salt + this.password) ||
      entry.expiresAt - EXPIRY_MARGIN_MS <= this.now()
    )
      return undefined;
    return entry.token;
  }

  put(token: string, expiresAt: number): void {
    const salt = randomBytes(16).toString('hex');
    const entry: Entry = {
      token,
      expiresAt: Math.min(expiresAt, this.now() + MAX_TOKEN_AGE_MS),
      salt,
      check: sha256(salt + this.password),
    };
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only costs a login per process.
      fs.rmSync(tmp, { force: true });
    }
  }

  drop(token: string): void {
    if (this.read()?.token === token) fs.rmSync(this.file, { force: true });
  }

  private read(): Entry | undefined {
    try {
      const st = fs.statSync(this.file);
      // Never use a token file that another user owns or could read.
      if (process.platform !== 'win32' && ((st.mode & 0o077) !== 0 || st.uid !== process.getuid?.())) return undefined;
      const entry = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Entry>;
      if (
        typeof entry.token !== 'string' ||
        typeof entry.expiresAt !== 'number' ||
        typeof entry.salt !== 'string' ||
        typeof entry.check !== 'string'
      )
        return undefined;
      return entry as Entry;
    } catch {
      return undefined;
    }
  }
}

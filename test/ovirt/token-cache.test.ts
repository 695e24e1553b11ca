/**
 * The SSO token cache against the engine simulator: one login serves the next client (process) of
 * the same user and engine, the file is private, a 401 drops it, and other users, engines or
 * passwords never get it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { FileTokenStore, OvirtClient, userCacheDir } from '../../src/ovirt';
import { tokenExpiry } from '../../src/ovirt/auth';
import { MAX_TOKEN_AGE_MS } from '../../src/ovirt/token-cache';

let sim: EngineSim;
let dir: string;
beforeAll(async () => {
  sim = await startEngineSim({ delays: 'none', users: { 'admin@internal': 'pw-admin', 'alice@internal': 'pw-alice' } });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-cache-'));
  sim.control.revokeTokens();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const store = (user = 'admin@internal', password = 'pw-admin', url = sim.url) =>
  new FileTokenStore(path.join(dir, 'tokens'), url, user, password);

/** Connects a client (one "provider process") and closes its pool without revoking the token, as a killed process would. */
async function oneProcess(
  tokenStore: FileTokenStore,
  user = 'admin@internal',
  password = 'pw-admin',
): Promise<string[]> {
  const lines: string[] = [];
  const logger = {
    debug: (m: string, f?: Record<string, unknown>) => lines.push(m + JSON.stringify(f ?? {})),
    warn: (m: string) => lines.push(m),
  };
  const client = new OvirtClient({
    url: sim.url,
    username: user,
    password,
    caPem: sim.caPem,
    tokenStore: tokenStore,
    logger,
  });
  await client.apiRoot();
  await (client as unknown as { http: { close(): Promise<void> } }).http.close();
  return lines;
}

/** How many tokens the simulator has issued so far (revoking all of them counts them). */
const issued = () => sim.control.revokeTokens();

describe('FileTokenStore with the client', () => {
  it('logs in once for several processes of the same user and engine, in a private file', async () => {
    const before = issued();
    const logs = [...(await oneProcess(store())), ...(await oneProcess(store())), ...(await oneProcess(store()))];
    const tokens = store();
    const token = tokens.get();
    expect(issued() - before).toBe(1);
    expect(token).toEqual(expect.any(String));
    expect(fs.statSync(tokens.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(tokens.file)).mode & 0o777).toBe(0o700);
    const text = fs.readFileSync(tokens.file, 'utf8');
    expect(text).not.toContain('pw-admin');
    expect(path.basename(tokens.file)).not.toContain('admin');
    expect(logs.join('\n')).not.toContain(token as string);
  });

  it('drops the token on a 401 and caches the new one', async () => {
    await oneProcess(store());
    const first = store().get();
    sim.control.revokeTokens(first);
    await oneProcess(store());
    const second = store().get();
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
  });

  it('is not used by another user, another engine or another password', async () => {
    await oneProcess(store());
    expect(store('alice@internal', 'pw-alice').get()).toBeUndefined();
    expect(store('admin@internal', 'pw-admin', sim.url.replace('127.0.0.1', 'localhost')).get()).toBeUndefined();
    expect(store('admin@internal', 'wrong').get()).toBeUndefined();
    const before = issued();
    await oneProcess(store('alice@internal', 'pw-alice'), 'alice@internal', 'pw-alice');
    expect(issued() - before).toBe(1);
    const wrong = await oneProcess(store('admin@internal', 'wrong'), 'admin@internal', 'wrong').catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(/SSO authentication of "admin@internal" failed/);
  });

  it('ignores a token file that others could read', async () => {
    await oneProcess(store());
    fs.chmodSync(store().file, 0o644);
    expect(store().get()).toBeUndefined();
  });

  it('does not hand out a token about to expire', () => {
    let now = 1_000_000;
    const tokens = new FileTokenStore(path.join(dir, 'tokens'), sim.url, 'admin@internal', 'pw-admin', () => now);
    tokens.put('tok', now + 10 * 60_000);
    expect(tokens.get()).toBe('tok');
    now += 9.5 * 60_000;
    expect(tokens.get()).toBeUndefined();
    tokens.put('tok2', Number.MAX_SAFE_INTEGER);
    now += MAX_TOKEN_AGE_MS;
    expect(tokens.get()).toBeUndefined();
    tokens.drop('other');
    expect(fs.existsSync(tokens.file)).toBe(true);
    tokens.drop('tok2');
    expect(fs.existsSync(tokens.file)).toBe(false);
  });
});

describe('token expiry and cache folder', () => {
  it("takes expires_in (seconds) first, else the engine's exp (epoch ms)", () => {
    expect(tokenExpiry({ expires_in: 3600, exp: '5' }, 1000)).toBe(1000 + 3_600_000);
    expect(tokenExpiry({ expires_in: '60' }, 0)).toBe(60_000);
    expect(tokenExpiry({ exp: '1700000000000' }, 0)).toBe(1_700_000_000_000);
    expect(tokenExpiry({ exp: '9223372036854775807' }, 0)).toBeGreaterThan(Date.now() + 1e12);
    expect(tokenExpiry({}, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('uses XDG_CACHE_HOME when set to an absolute path, else the OS folder', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache');
    if (process.platform === 'linux')
      expect(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache');
  });
});

import { fetch } from 'undici';
import { ManualClock, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';

describe('engine-sim SSO', () => {
  let sim: EngineSim;
  let client: SimClient;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startEngineSim({ clock, tokenTtlMs: 60_000 });
    client = new SimClient(sim);
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it("issues a bearer token with the engine's four keys", async () => {
    const answer = await client.sso({
      grant_type: 'password',
      scope: 'ovirt-app-api',
      username: sim.username,
      password: sim.password,
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['access_token', 'exp', 'scope', 'token_type']);
    expect(answer.body.token_type).toBe('bearer');
    expect(typeof answer.body.exp).toBe('string');
  });

  it('answers bad credentials with 400 and the engine text', async () => {
    const answer = await client.sso({
      grant_type: 'password',
      scope: 'ovirt-app-api',
      username: 'admin@internal',
      password: 'wrong',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error_code: 'access_denied',
      error: "Cannot authenticate user 'admin@internal': The username or password is incorrect..",
    });
  });

  it('requires Accept: application/json and a known grant type', async () => {
    const form = { grant_type: 'password', scope: 'ovirt-app-api', username: sim.username, password: sim.password };
    expect((await client.sso(form, 'text/plain')).body.error).toBe("Missing parameter: 'Accept Header'");
    const answer = await client.sso({ ...form, grant_type: 'client_credentials' });
    expect([answer.status, answer.body.error_code]).toEqual([400, 'unsupported_grant_type']);
  });

  it('answers 401 with the Basic realm without credentials, and accepts Basic', async () => {
    const response = await fetch(sim.url + '/vms', { dispatcher: client.agent });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="RESTAPI"');
    const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
    const ok = await fetch(sim.url + '/vms', {
      dispatcher: client.agent,
      headers: { authorization: `Basic ${basic}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('correlation-id')).toBeTruthy();
  });

  it('expires tokens with time and on demand, so clients must log in again', async () => {
    await client.login();
    expect((await client.get('/vms')).status).toBe(200);
    clock.advance(61_000);
    expect((await client.get('/vms')).status).toBe(401);
    await client.login();
    expect((await client.get('/vms')).status).toBe(200);
    expect(sim.control.expireTokens()).toBeGreaterThan(0);
    expect((await client.get('/vms')).status).toBe(401);
  });

  it('revokes a token on sso-logout', async () => {
    await client.login();
    const response = await fetch(sim.url.replace(/\/api$/, '/services/sso-logout'), {
      method: 'POST',
      dispatcher: client.agent,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ scope: 'ovirt-app-api', token: client.token }).toString(),
    });
    expect([response.status, await response.json()]).toEqual([200, {}]);
    expect((await client.get('/vms')).status).toBe(401);
  });

  it('keeps a session with Prefer: persistent-auth', async () => {
    const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
    const response = await fetch(sim.url + '/clusters', {
      dispatcher: client.agent,
      headers: { authorization: `Basic ${basic}`, prefer: 'persistent-auth' },
    });
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^JSESSIONID=/);
    const again = await fetch(sim.url + '/clusters', {
      dispatcher: client.agent,
      headers: { cookie, prefer: 'persistent-auth' },
    });
    expect(again.status).toBe(200);
  });
});

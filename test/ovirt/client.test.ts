/** The client against a local HTTPS fake engine: auth, TLS, retries, timeouts, faults. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OvirtClient, OvirtError, asId, fetchEngineCa, type OvirtClientOptions, type VmId } from '../../src/ovirt';
import { faultXml, startFakeEngine, type FakeEngine } from './support/fake-engine';
import { makeTestPki, type TestPki } from './support/tls';
import { ACTION_OK, vmXml, vmsXml } from './support/bodies';
import { nth } from '../support/nth';

let pki: TestPki;
let engine: FakeEngine;
const clients: OvirtClient[] = [];

function client(extra: Partial<OvirtClientOptions> = {}): OvirtClient {
  const ovirtClient = new OvirtClient({
    url: engine.url,
    username: 'admin@internal',
    password: 'secret',
    caPem: pki.caPem,
    timeoutMs: 2000,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...extra,
  });
  clients.push(ovirtClient);
  return ovirtClient;
}

async function failure(call: Promise<unknown>): Promise<OvirtError> {
  try {
    await call;
  } catch (err) {
    if (OvirtError.is(err)) return err;
    throw err;
  }
  throw new Error('expected an OvirtError, got success');
}

const VM = asId<VmId>('11111111-1111-1111-1111-111111111111');

beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.cleanup());
beforeEach(async () => {
  engine = await startFakeEngine(pki);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await engine.close();
});

describe('authentication', () => {
  it('logs in once for many concurrent callers and reuses the bearer token', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a'), delayMs: 5 }));
    const ovirtClient = client();
    const vms = await Promise.all(Array.from({ length: 20 }, () => ovirtClient.vms.get(VM)));
    expect(vms.every((v) => v.name === 'a')).toBe(true);
    expect(engine.logins).toBe(1);
    const auths = new Set(engine.requests.map((r) => r.headers.authorization));
    expect(auths.size).toBe(1);
    expect([...auths][0]).toMatch(/^Bearer tok-1-/);
    expect(engine.requests.every((r) => r.headers.version === '4')).toBe(true);
  });

  it('logs in again once after a 401 (expired token) and retries the request', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a') }));
    const ovirtClient = client();
    await ovirtClient.vms.get(VM);
    engine.tokens.clear();
    const vm = await ovirtClient.vms.get(VM);
    expect(vm.id).toBe(VM);
    expect(engine.logins).toBe(2);
  });

  it('logs in exactly once more when many concurrent requests hit the expired token', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a'), delayMs: 5 }));
    const ovirtClient = client();
    await ovirtClient.vms.get(VM);
    engine.tokens.clear();
    await Promise.all(Array.from({ length: 10 }, () => ovirtClient.vms.get(VM)));
    expect(engine.logins).toBe(2);
  });

  it('lets a caller abort while the shared login is slow', async () => {
    // The login answers only after the test: the abort cannot have waited for it.
    engine.ssoDelayMs = 600_000;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    expect((await failure(client().vms.get(VM, { signal: ac.signal }))).code).toBe('aborted');
    expect(engine.requests).toEqual([]);
  });

  it('turns a refused password into an auth error with the engine text', async () => {
    const err = await failure(client({ password: 'wrong' }).vms.get(VM));
    expect(err.code).toBe('auth');
    expect(err.httpStatus).toBe(400);
    expect(err.reason).toBe('access_denied');
    expect(err.detail).toBe("Cannot authenticate user 'admin@internal': The username or password is incorrect."); // the engine's ".." shown with one period
    expect(err.message).not.toContain('wrong');
  });

  it('revokes the token on close', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a') }));
    const ovirtClient = new OvirtClient({
      url: engine.url,
      username: 'admin@internal',
      password: 'secret',
      caPem: pki.caPem,
    });
    await ovirtClient.vms.get(VM);
    const token = [...engine.tokens][0];
    await ovirtClient.close();
    expect(engine.logouts).toEqual([token]);
    expect(engine.tokens.size).toBe(0);
  });

  it('supports HTTP Basic and reports a 401 as auth when the password is wrong', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a') }));
    expect((await client({ auth: 'basic' }).vms.get(VM)).name).toBe('a');
    expect(engine.logins).toBe(0);
    const err = await failure(client({ auth: 'basic', password: 'nope' }).vms.get(VM));
    expect(err.code).toBe('auth');
    expect(err.httpStatus).toBe(401);
  });
});

describe('TLS', () => {
  beforeEach(() =>
    engine.routes.set('GET ', () => ({ body: '<api><product_info><name>oVirt Engine</name></product_info></api>' })),
  );

  it('accepts the self-signed CA when given as PEM or file', async () => {
    expect((await client().apiRoot()).product_info?.name).toBe('oVirt Engine');
    expect((await client({ caPem: undefined, caFile: pki.caFile }).apiRoot()).product_info?.name).toBe('oVirt Engine');
  });

  it('fetches the engine CA for pinning; the pinned CA then verifies the engine', async () => {
    const pem = await fetchEngineCa(engine.url);
    expect(pem).toBe(pki.caPem);
    expect((await client({ caPem: pem }).apiRoot()).product_info?.name).toBe('oVirt Engine');
  });

  it('rejects the server without the CA, and accepts it only with insecure', async () => {
    const err = await failure(client({ caPem: undefined }).apiRoot());
    expect(err.code).toBe('tls');
    expect(await client({ caPem: undefined, insecure: true }).apiRoot()).toBeDefined();
  });
});

describe('retries', () => {
  it('retries a GET after 503 and succeeds', async () => {
    let calls = 0;
    engine.routes.set(`GET /vms/${VM}`, () =>
      ++calls === 1 ? { status: 503, body: '', contentType: 'text/html' } : { body: vmXml(VM, 'a') },
    );
    expect((await client().vms.get(VM)).name).toBe('a');
    expect(calls).toBe(2);
  });

  it('retries an action refused with 409 "locked", then succeeds', async () => {
    let calls = 0;
    engine.routes.set(`POST /vms/${VM}/start`, () =>
      ++calls === 1
        ? {
            status: 409,
            body: faultXml('Operation Failed', '[Cannot run VM: VM is locked. Please try again in a few minutes.]'),
          }
        : { body: ACTION_OK },
    );
    await client().vms.start(VM, { useInitialization: true });
    expect(calls).toBe(2);
    expect(nth(engine.requests, 0).body).toContain('<use_initialization>true</use_initialization>');
  });

  it('does not retry a POST that timed out: it looks the VM up by name instead', async () => {
    let posts = 0;
    let created = false;
    engine.routes.set('POST /vms', () => {
      posts++;
      created = true;
      return { body: vmXml(VM, 'web'), status: 201, delayMs: 600 };
    });
    engine.routes.set('GET /vms', (request) => {
      expect(request.query.get('search')).toBe('name="web"');
      return { body: vmsXml(created ? [{ id: VM, name: 'web', status: 'image_locked' }] : []) };
    });
    const vm = await client({ timeoutMs: 200 }).vms.create({
      name: 'web',
      cluster: { name: 'Default' },
      template: { name: 'Blank' },
    });
    expect(vm.id).toBe(VM);
    expect(posts).toBe(1);
  });

  it('re-posts after an ambiguous failure only when the lookup finds nothing', async () => {
    let posts = 0;
    engine.routes.set('POST /vms', () => (++posts === 1 ? { destroy: true } : { status: 201, body: vmXml(VM, 'web') }));
    engine.routes.set('GET /vms', () => ({ body: vmsXml([]) }));
    const vm = await client().vms.create({ name: 'web', cluster: { name: 'Default' }, template: { name: 'Blank' } });
    expect(vm.name).toBe('web');
    expect(posts).toBe(2);
    expect(engine.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('gives up at the caller deadline', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ status: 503, body: '' }));
    const err = await failure(
      client({ retryBaseDelayMs: 50, retryMaxDelayMs: 50, maxAttempts: 100 }).vms.get(VM, {
        deadline: Date.now() + 300,
      }),
    );
    expect(['unavailable', 'timeout']).toContain(err.code);
    // Stopped by the deadline, long before the 100 attempts it was allowed.
    expect(engine.requests.length).toBeLessThan(100);
  });
});

describe('timeouts and abort', () => {
  it('times out a slow request', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a'), delayMs: 1000 }));
    const err = await failure(client({ timeoutMs: 100, maxAttempts: 1 }).vms.get(VM));
    expect(err.code).toBe('timeout');
    expect(err.endpoint).toBe(`GET /vms/${VM}`);
  });

  it("reports the timeout that applied: the caller's, not the client's own", async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a'), delayMs: 1000 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('the create timeout of 50ms passed', 'TimeoutError')), 50);
    const err = await failure(client({ timeoutMs: 60_000 }).vms.get(VM, { signal: ac.signal }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe(`GET /vms/${VM}: the create timeout of 50ms passed (correlation id ${err.correlationId})`);
  });

  it('aborts a request when the caller signal fires', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a'), delayMs: 1000 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await failure(client().vms.get(VM, { signal: ac.signal }));
    expect(err.code).toBe('aborted');
  });
});

describe('faults', () => {
  it('parses an XML fault with reason, detail, status and correlation id', async () => {
    engine.routes.set(`DELETE /vms/${VM}`, () => ({
      status: 409,
      body: faultXml('Operation Failed', '[Cannot remove VM. VM is running.]'),
    }));
    const err = await failure(client().vms.remove(VM, { correlationId: 'tf-delete-1' }));
    expect(err).toMatchObject({
      code: 'conflict',
      httpStatus: 409,
      reason: 'Operation Failed',
      detail: '[Cannot remove VM. VM is running.]',
      correlationId: 'tf-delete-1',
      endpoint: `DELETE /vms/${VM}`,
    });
    expect(nth(engine.requests, 0).headers['correlation-id']).toBe('tf-delete-1');
    expect(err.message).toContain('tf-delete-1');
  });

  it('parses a JSON fault and an action carrying a fault', async () => {
    engine.routes.set(`POST /vms/${VM}/stop`, () => ({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({
        fault: { reason: 'Operation Failed', detail: '[Cannot stop VM. VM is not running.]' },
        status: 'failed',
      }),
    }));
    engine.routes.set(`POST /vms/${VM}/shutdown`, () => ({
      status: 409,
      body: '<action><fault><reason>Operation Failed</reason><detail>[Cannot shutdown VM. Related operation is currently in progress. Please try again later.]</detail></fault><status>failed</status></action>',
    }));
    const ovirtClient = client({ format: 'json', maxAttempts: 1 });
    expect(await failure(ovirtClient.vms.stop(VM))).toMatchObject({
      code: 'conflict',
      detail: '[Cannot stop VM. VM is not running.]',
    });
    expect(await failure(ovirtClient.vms.shutdown(VM))).toMatchObject({
      code: 'in_progress',
      reason: 'Operation Failed',
    });
    expect(nth(engine.requests, 0).headers.accept).toBe('application/json');
  });

  it('maps 404 with an empty body to not_found, and tryGet to undefined', async () => {
    const ovirtClient = client();
    expect((await failure(ovirtClient.vms.get(VM))).code).toBe('not_found');
    expect(await ovirtClient.vms.tryGet(VM)).toBeUndefined();
  });

  it('names the endpoint when the body is truncated, and bounds the body size', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a').slice(0, 120) }));
    const err = await failure(client().vms.get(VM));
    expect(err.code).toBe('parse');
    expect(err.message).toContain(`GET /vms/${VM}`);
    expect(err.correlationId).toBeDefined();
    engine.routes.set('GET /vms', () => ({
      body: vmsXml(Array.from({ length: 200 }, (_, i) => ({ id: `id${i}`, name: `n${i}` }))),
    }));
    expect((await failure(client({ maxBodyBytes: 4096 }).vms.list())).message).toMatch(
      /exceeds the limit of 4096 bytes/,
    );
  });
});

describe('redirects (3xx) are errors, never followed', () => {
  let trap: Server;
  let trapUrl: string;
  const trapped: string[] = [];
  beforeEach(async () => {
    trapped.length = 0;
    trap = createServer((req, res) => {
      trapped.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/elsewhere`;
  });
  afterEach(async () => {
    trap.closeAllConnections();
    await new Promise((r) => trap.close(r));
  });
  const redirect = () => ({ status: 302, body: '', contentType: 'text/html', headers: { location: trapUrl } });

  it('a DELETE, a list and a POST action answered 302 fail with the status and the Location', async () => {
    engine.routes.set(`DELETE /vms/${VM}`, redirect);
    engine.routes.set('GET /clusters', redirect);
    engine.routes.set(`POST /vms/${VM}/start`, redirect);
    const ovirtClient = client({ maxAttempts: 1 });
    const expected = { code: 'unexpected', httpStatus: 302 };
    for (const call of [ovirtClient.vms.remove(VM), ovirtClient.clusters.list(), ovirtClient.vms.start(VM)]) {
      const err = await failure(call);
      expect(err).toMatchObject(expected);
      expect(err.message).toContain(`HTTP 302 (a redirect to ${trapUrl}, not followed)`);
    }
    expect(trapped).toEqual([]);
  });

  it('an SSO login answered 302 fails with the Location and sends nothing there', async () => {
    engine.ssoAnswer = redirect();
    const err = await failure(client({ maxAttempts: 1 }).vms.get(VM));
    expect(err).toMatchObject({ code: 'unexpected', httpStatus: 302 });
    expect(err.message).toContain(`HTTP 302 (a redirect to ${trapUrl}, not followed)`);
    expect(trapped).toEqual([]);
  });
});

describe('search by name', () => {
  it('quotes the name, keeps exact matches only and reports ambiguity', async () => {
    engine.routes.set('GET /vms', (request) => {
      expect(request.query.get('search')).toBe('name="my vm"');
      return {
        body: vmsXml([
          { id: 'a', name: 'my vm' },
          { id: 'b', name: 'MY VM' },
        ]),
      };
    });
    const ovirtClient = client();
    expect((await ovirtClient.vms.findByName('my vm'))?.id).toBe('a');
    engine.routes.set('GET /vms', () => ({
      body: vmsXml([
        { id: 'a', name: 'x"y' },
        { id: 'b', name: 'x"y' },
      ]),
    }));
    expect((await failure(ovirtClient.vms.findByName('x"y'))).code).toBe('multiple');
    expect(engine.requests.at(-1)?.query.get('search')).toBeNull();
  });
});

describe('logging', () => {
  it('logs requests with endpoint, status and correlation id, never the password or token', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'a') }));
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      warn: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
    };
    await client({ logger, insecure: true, correlationIdPrefix: 'pfx-' }).vms.get(VM);
    expect(lines[0]).toMatch(/TLS certificate verification is OFF/);
    expect(lines[1]).toMatch(
      new RegExp(`ovirt: request .*"endpoint":"GET /vms/${VM}","status":200.*"correlationId":"pfx-`),
    );
    const token = [...engine.tokens][0];
    expect(lines.join('\n')).not.toContain('secret');
    expect(lines.join('\n')).not.toContain(token);
  });
});

/**
 * `BootAdminClient` against misbehaving servers: a body dripping one byte at a time is cut off by
 * the caller's signal, deadline or the client's own timeout (saying which); an endless body is
 * cut off at the size limit; a redirect is an error naming the Location and nothing is sent there.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BootAdminClient } from '../../src/boot/client';
import { BootError } from '../../src/boot/errors';

const TOKEN = 'admin-client-token';

type Handler = (res: ServerResponse) => void;

/** A server on 127.0.0.1:0 answering every request with `handler`; `seen` lists the requests. */
async function serve(handler: Handler): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    handler(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** Sends a JSON body one space every 50 ms, never finishing. */
const drip: Handler = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 50);
  res.on('close', () => clearInterval(timer));
};

async function failure(call: Promise<unknown>): Promise<BootError> {
  const rejection = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!BootError.is(rejection)) throw new Error(`expected a BootError, got ${String(rejection)}`);
  return rejection;
}

describe('BootAdminClient bounds every request', () => {
  const servers: Server[] = [];
  const clients: BootAdminClient[] = [];
  const client = (url: string, extra: { timeoutMs?: number; maxBodyBytes?: number } = {}) => {
    const adminClient = new BootAdminClient({ url, token: TOKEN, ...extra });
    clients.push(adminClient);
    return adminClient;
  };
  const start = async (handler: Handler) => {
    const served = await serve(handler);
    servers.push(served.server);
    return served;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it("a dripping body stops when the caller's signal fires, with the signal's reason", async () => {
    const { url } = await start(drip);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new DOMException('the create timeout of 300ms passed', 'TimeoutError')), 300);
    const err = await failure(client(url).get('m0', { signal: ac.signal }));
    expect(err.message).toBe('boot server GET /m0: stopped: the create timeout of 300ms passed');
  }, 20_000);

  it("a dripping body stops at the deadline, and at the client's own timeout", async () => {
    const { url } = await start(drip);
    const byDeadline = await failure(client(url).list({ deadline: Date.now() + 300 }));
    expect(byDeadline.message).toMatch(/^boot server GET \/: timed out after \d+ ms$/);
    const byTimeout = await failure(client(url, { timeoutMs: 300 }).list());
    expect(byTimeout.message).toBe('boot server GET /: timed out after 300 ms');
  }, 20_000);

  it('an endless body is cut off at the size limit', async () => {
    const { url } = await start((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const err = await failure(client(url, { maxBodyBytes: 1024 * 1024 }).list());
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'too_large',
      message: 'boot server GET /: the answer exceeds the limit of 1048576 bytes',
    });
  }, 20_000);

  it('a redirect is an error naming the Location; the token goes nowhere else', async () => {
    const trap = await start((res) => res.end('{}'));
    const { url } = await start((res) => {
      res.writeHead(302, { location: `${trap.url}/elsewhere` });
      res.end();
    });
    const err = await failure(client(url).put({ name: 'm0', ipxe: { script: '#!ipxe\nexit' } }));
    expect({ code: err.code, status: err.status }).toEqual({ code: 'admin_http', status: 302 });
    expect(err.message).toBe(`boot server PUT /m0 answered 302 (a redirect to ${trap.url}/elsewhere, not followed)`);
    expect(trap.seen).toEqual([]);
  });
});

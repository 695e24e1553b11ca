/**
 * A request whose declared body never arrives (libgovirt sends `GET /ovirt-engine/api` with
 * `Content-Length: 17` and no body) is answered: GET/HEAD/DELETE at once, others with a 408 once the
 * body timeout passes. Raw sockets, because HTTP clients do not send such requests.
 */
import * as net from 'node:net';
import { startEngineSim, EngineSim } from '../../src/engine-sim';

/** Sends `head` (no body), returns everything the server writes until it closes the connection. */
function exchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let out = '';
    socket.on('data', (b) => {
      out += b.toString('utf8');
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('engine-sim: declared bodies that never come', () => {
  let sim: EngineSim;
  let basic: string;
  beforeAll(async () => {
    sim = await startEngineSim({ tls: false, bodyTimeoutMs: 300 });
    basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
  });
  afterAll(async () => {
    await sim.stop();
  });

  const head = (method: string, path: string, auth: boolean): string =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: 17\r\n` +
    `${auth ? `Authorization: Basic ${basic}\r\n` : ''}\r\n`;

  it('answers the Basic challenge and then the API root, closing each connection', async () => {
    const challenge = await exchange(sim.port, head('GET', '/ovirt-engine/api', false));
    expect(challenge).toMatch(/^HTTP\/1\.1 401 /);
    expect(challenge).toMatch(/www-authenticate: Basic realm="RESTAPI"/i);
    const root = await exchange(sim.port, head('GET', '/ovirt-engine/api', true));
    expect(root).toMatch(/^HTTP\/1\.1 200 /);
    expect(root).toMatch(/connection: close/i);
    expect(root).toContain('<product_info>');
  });

  it('answers DELETE without waiting for its body', async () => {
    const answer = await exchange(
      sim.port,
      head('DELETE', '/ovirt-engine/api/vms/5a1e0000-0000-4000-8000-000000000999', true),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('times out a POST body that never comes with a 408 fault', async () => {
    const answer = await exchange(sim.port, head('POST', '/ovirt-engine/api/vms', true));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('<reason>Request Timeout</reason>');
    expect(answer).toContain('the request body did not arrive within 300 ms');
  });

  it('still reads a body that arrives', async () => {
    const body = '<vm><name>x</name></vm>';
    const answer = await exchange(
      sim.port,
      `POST /ovirt-engine/api/vms HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/xml\r\n` +
        `Authorization: Basic ${basic}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Vm [cluster.id|name] required for add');
  });
});

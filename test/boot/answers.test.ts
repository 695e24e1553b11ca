/**
 * The prepared answers of the boot routes (header lists built once per entry): exact headers for
 * iPXE and for plain and gzipped Ignition, HEAD without a body, 304 on a matching ETag.
 */
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { MemoryStore } from '../../src/boot/server/store';

const TOKEN = 'answers-admin-token';
const MAC = '52:54:00:aa:bb:01';

describe('boot server answers', () => {
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  const ignition = new IgnitionBuilder('3.2.0').file('/etc/hostname', 'worker-1\n'.repeat(50)).build();

  beforeAll(async () => {
    srv = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => {} });
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
    await admin.put({
      name: 'worker-1',
      selectors: { macs: [MAC] },
      ipxe: { script: '#!ipxe\necho {{ignition_url}}' },
      ignition,
    });
  });
  afterAll(async () => {
    await admin.close();
    await srv.stop();
  });

  it('answers iPXE with its type and exact length', async () => {
    const res = await request(`${srv.url}/ipxe?mac=52-54-00-AA-BB-01`);
    const body = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(body));
    expect(body).toBe(`#!ipxe\necho ${srv.url}/ignition?entry=worker-1&mac=\${mac:hexhyp}&uuid=\${uuid}\n`);
  });

  it('answers Ignition plain or gzipped with the same ETag, Vary and no-store', async () => {
    const plain = await request(`${srv.url}/ignition?mac=${MAC}`, { headers: { 'accept-encoding': 'identity' } });
    const plainBody = Buffer.from(await plain.body.arrayBuffer());
    expect(plain.headers).toMatchObject({
      'content-type': 'application/vnd.coreos.ignition+json',
      vary: 'accept-encoding',
      'cache-control': 'no-store',
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plainBody.length);
    expect(plainBody.toString()).toBe(ignition);
    const zipped = await request(`${srv.url}/ignition?mac=${MAC}`, { headers: { 'accept-encoding': 'gzip, deflate' } });
    const zippedBody = Buffer.from(await zipped.body.arrayBuffer());
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zippedBody.length);
    expect(zippedBody.length).toBeLessThan(plainBody.length);
    expect(gunzipSync(zippedBody).toString()).toBe(ignition);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    expect(plain.headers.etag).toMatch(/^"[\w-]{27}"$/);
  });

  it('sends headers without a body to HEAD, and 304 to a matching If-None-Match', async () => {
    const head = await request(`${srv.url}/ignition?mac=${MAC}`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(ignition));
    expect((await head.body.arrayBuffer()).byteLength).toBe(0);
    const again = await request(`${srv.url}/ignition?mac=${MAC}`, {
      headers: { 'if-none-match': String(head.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    await again.body.dump();
    const state = (await admin.get('worker-1'))!.machines;
    // Only the two GETs that delivered the config count (not HEAD, not the 304).
    expect(state).toEqual([expect.objectContaining({ key: `mac:${MAC}`, ignition_fetches: 2 })]);
  });
});

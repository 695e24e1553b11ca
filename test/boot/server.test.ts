/**
 * The boot server end to end on port 0: iPXE chaining exactly as iPXE expands it, Ignition by
 * query and by token, one-shot, source binding, admin API, malformed input, assets, metrics.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { expandIpxe, ipxeMachine } from './ipxe-sim';

const TOKEN = 'test-admin-token';

function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(base);
    get({ host: parsed.hostname, port: parsed.port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
const MAC = '52:54:00:12:34:56';
const UUID = '4c4c4544-0044-3010-8052-b4c04f4e3732';

describe('boot server', () => {
  let dir: string;
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boot-srv-'));
    mkdirSync(join(dir, 'assets', 'fcos'), { recursive: true });
    writeFileSync(join(dir, 'assets', 'fcos', 'kernel'), Buffer.from(Array.from({ length: 1000 }, (_, i) => i & 255)));
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'assets', 'escape'));
    srv = await startBootServer({ port: 0, dataDir: dir, token: TOKEN, log: (l) => logs.push(l) });
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
  });
  afterAll(async () => {
    await admin.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ignition = new IgnitionBuilder('3.2.0')
    .file('/etc/hostname', 'master-0\n')
    .user('core', { sshAuthorizedKeys: ['ssh-ed25519 AAAA secret-key'] })
    .build();

  it('boots a machine: /boot.ipxe, the chained /ipxe, then the Ignition URL from the kernel args', async () => {
    await admin.put({
      name: 'master-0',
      role: 'master',
      selectors: { macs: [MAC] },
      one_shot: true,
      ipxe: {
        kernel: '/assets/fcos/kernel',
        initrd: ['/assets/fcos/initramfs'],
        args: ['ignition.firstboot', 'ignition.config.url={{ignition_url}}'],
      },
      ignition,
    });
    const machine = ipxeMachine({ mac: MAC, uuid: UUID, arch: 'x86_64' });
    const boot = await (await fetch(`${srv.url}/boot.ipxe`)).text();
    const chain = /^chain (?:--autofree )?(\S+)/m.exec(boot)![1]!;
    const chained = new URL(expandIpxe(chain, machine), `${srv.url}/boot.ipxe`);
    expect(chained.searchParams.get('mac')).toBe('52-54-00-12-34-56');
    const script = await (await fetch(chained)).text();
    expect(script).toMatch(
      /^#!ipxe\nkernel \/assets\/fcos\/kernel initrd=main ignition.firstboot ignition.config.url=\S+\ninitrd --name main \/assets\/fcos\/initramfs\nboot\n$/,
    );
    const ignUrl = expandIpxe(/ignition\.config\.url=(\S+)/.exec(script)![1]!, machine);
    const res = await request(ignUrl, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.coreos.ignition+json');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.body.arrayBuffer())).toString()).toBe(ignition);
    // One-shot: the same machine is now sent to its local disk.
    expect(await (await fetch(chained)).text()).toMatch(/\nexit\n$/);
    const state = (await admin.get('master-0'))!.machines;
    // The state says when the answer was a local boot, apart from the install answers.
    expect(state).toEqual([
      expect.objectContaining({
        key: `mac:${MAC}`,
        mac: MAC,
        uuid: UUID,
        source: '127.0.0.1',
        ipxe_fetches: 1,
        ignition_fetches: 1,
        local_boots: 1,
      }),
    ]);
    expect(state[0]!.first_ignition_at).toBeDefined();
    expect(state[0]!.last_local_boot_at).toBeDefined();
    // Ignition contents are never logged.
    expect(logs.join('\n')).not.toContain('secret-key');
  });

  it('resets machine state so a one-shot machine installs again', async () => {
    await admin.resetState('master-0');
    const text = await (await fetch(`${srv.url}/ipxe?mac=52-54-00-12-34-56`)).text();
    expect(text).toContain('kernel /assets/fcos/kernel');
  });

  it('serves token entries only at their token URL, and binds entries to source addresses', async () => {
    const entry = await admin.put({
      name: 'bootstrap',
      selectors: { macs: ['52:54:00:00:00:01'] },
      require_token: true,
      ignition,
    });
    expect([entry.ignition_path, (await admin.get('bootstrap'))!.token]).toEqual([
      `/ignition/${entry.token}`,
      entry.token,
    ]);
    expect((await fetch(`${srv.url}/ignition?mac=52:54:00:00:00:01`)).status).toBe(403);
    expect(await (await fetch(`${srv.url}${entry.ignition_path}`)).text()).toBe(ignition);
    expect((await fetch(`${srv.url}/ignition/wrong-token`)).status).toBe(404);
    const again = await admin.put({
      name: 'bootstrap',
      selectors: { macs: ['52:54:00:00:00:01'] },
      require_token: true,
      ignition,
    });
    expect(again.token).toBe(entry.token);
    await admin.put({
      name: 'far',
      selectors: { macs: ['52:54:00:00:00:02'] },
      allowed_sources: ['10.0.0.0/8'],
      ignition,
    });
    const denied = await fetch(`${srv.url}/ignition?mac=52:54:00:00:00:02`);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toContain('not served to 127.0.0.1');
  });

  it.each([
    ['/ipxe?mac=nonsense', 400, /is not a MAC/],
    ['/ipxe?uuid=xyz', 400, /is not a UUID/],
    ['/ipxe?mac=%zz', 400, /percent-encoding/],
    ['/ipxe?mac=52:54:00:99:99:99', 404, /no boot entry matches/],
    ['/nothing', 404, /no route/],
    ['/assets/../secret.txt', 403, /escapes/],
    ['/assets/%2e%2e/secret.txt', 403, /escapes/],
    ['/assets/escape', 403, /escapes/],
  ])('GET %s -> %d with a reason', async (path, status, reason) => {
    // node:http sends the path as written; URL parsers would resolve the `..` before sending.
    const res = await rawGet(srv.url, path);
    expect(res.status).toBe(status);
    expect((JSON.parse(res.body) as { error: string }).error).toMatch(reason);
  });

  it('serves assets with Range', async () => {
    const res = await request(`${srv.url}/assets/fcos/kernel`, { headers: { range: 'bytes=10-19' } });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-range']).toBe('bytes 10-19/1000');
    expect([...Buffer.from(await res.body.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const tail = await request(`${srv.url}/assets/fcos/kernel`, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await tail.body.arrayBuffer()).length).toBe(5);
    const bad = await request(`${srv.url}/assets/fcos/kernel`, { headers: { range: 'bytes=5000-' } });
    expect(bad.statusCode).toBe(416);
    await bad.body.dump();
  });

  it('guards the admin API', async () => {
    const noAuth = await request(`${srv.url}/api/v1/entries`);
    expect(noAuth.statusCode).toBe(401);
    await noAuth.body.dump();
    const wrong = new BootAdminClient({ url: srv.url, token: 'wrong' });
    await expect(wrong.list()).rejects.toThrow(/401: missing or wrong bearer token/);
    await wrong.close();
    await expect(
      admin.put({ name: 'bad', ignition: '{"ignition":{"version":"3.2.0"},"storage":{"files":[{"path":"rel"}]}}' }),
    ).rejects.toThrow(/400: ignition: \$\.storage\.files\.0\.path: path not absolute/);
    await expect(admin.put({ name: 'Bad Name' } as never)).rejects.toThrow(/400: name: must match/);
    await expect(admin.put({ name: 'x', ipxe: { kernel: 'k', args: ['a\nboot'] } })).rejects.toThrow(
      /400: .*control character/,
    );
    const big = await request(`${srv.url}/api/v1/entries/big`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', ignition: 'x'.repeat(33 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    await big.body.dump();
    expect(await admin.get('nope')).toBeUndefined();
    expect(await admin.delete('nope')).toBe(false);
  });

  it('lists, deletes and counts', async () => {
    expect((await admin.list()).map((e) => e.name)).toEqual(['bootstrap', 'far', 'master-0']);
    expect(await admin.delete('far')).toBe(true);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(metrics).toContain('boot_entry_fetches_total{entry="master-0",kind="ignition"} 1');
    expect(metrics).toContain('boot_entries 2');
    expect(await (await fetch(`${srv.url}/healthz`)).text()).toBe('ok\n');
  });
});

describe('boot server without a token', () => {
  it('keeps the admin API disabled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boot-notoken-'));
    const srv = await startBootServer({ port: 0, dataDir: dir, log: () => {} });
    try {
      const res = await request(`${srv.url}/api/v1/entries`, { headers: { authorization: 'Bearer ' } });
      expect(res.statusCode).toBe(403);
      expect(((await res.body.json()) as { error: string }).error).toMatch(/admin API is disabled/);
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

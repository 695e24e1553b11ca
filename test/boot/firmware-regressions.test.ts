/**
 * Regressions found with real iPXE firmware and hostile requests (issue 16, items 1-10): each test
 * follows the chain as iPXE expands it, on port 0, against a filesystem store.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import type { BootEntry, BootEntrySpec } from '../../src/boot/entry';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { localBootScript } from '../../src/boot/ipxe/builder';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { FileStore, MemoryStore } from '../../src/boot/server/store';
import { expandIpxe, ipxeMachine, type IpxeMachine } from './ipxe-sim';

const TOKEN = 'firmware-regression-admin-token';
const UUID = '4c4c4544-0044-3010-8052-b4c04f4e3732';
const ignition = new IgnitionBuilder('3.2.0').file('/etc/hostname', 'node\n').build();
const kernelArgs = {
  kernel: '/assets/kernel',
  initrd: ['/assets/initrd'],
  args: ['ignition.firstboot', 'ignition.config.url={{ignition_url}}'],
};

/** A GET (or other method) from a chosen loopback source address, as a machine with that lease would send it. */
function fetchFrom(
  url: string,
  opts: { source?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        localAddress: opts.source,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What iPXE does on a machine: /boot.ipxe, the chained script, and the Ignition URL in its kernel line. */
async function boot(
  base: string,
  machine: IpxeMachine,
  source?: string,
): Promise<{ script: string; ignitionUrl?: string }> {
  const chain = /^chain --autofree (\S+)/m.exec((await fetchFrom(`${base}/boot.ipxe`)).body)![1]!;
  const res = await fetchFrom(new URL(expandIpxe(chain, machine), `${base}/boot.ipxe`).href, { source });
  const arg = /ignition\.config\.url=(\S+)/.exec(res.body)?.[1];
  return { script: res.body, ignitionUrl: arg && expandIpxe(arg, machine) };
}

const machine = (mac: string, extra: Record<string, string> = {}) => {
  const simulated = ipxeMachine({ mac, uuid: UUID, arch: 'x86_64' });
  for (const [k, v] of Object.entries(extra)) simulated.settings.set(k, v);
  return simulated;
};

describe('boot server with real-firmware semantics', () => {
  let dir: string;
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  const logs: string[] = [];
  const put = (spec: BootEntrySpec): Promise<BootEntry> => admin.put(spec);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boot-fw-'));
    srv = await startBootServer({
      port: 0,
      dataDir: dir,
      token: TOKEN,
      log: (l) => logs.push(l),
      machineLimits: { perEntry: 40, total: 60 },
    });
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
  });
  afterAll(async () => {
    await admin.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('1: a label-selected entry serves its own Ignition, and exactly that entry', async () => {
    await put({ name: 'by-arch', selectors: { labels: { arch: 'x86_64' } }, ipxe: kernelArgs, ignition });
    const other = new IgnitionBuilder('3.2.0').file('/etc/other', 'x\n').build();
    await put({ name: 'by-mac', selectors: { macs: ['52:54:00:01:00:02'] }, ipxe: kernelArgs, ignition: other });
    // The first machine matches only by its label; the second by its MAC (more specific than the label).
    const { ignitionUrl } = await boot(srv.url, machine('52:54:00:01:00:01'));
    const res = await fetchFrom(ignitionUrl!);
    expect(res.status).toBe(200);
    expect(res.body).toBe(ignition);
    const mac2 = await boot(srv.url, machine('52:54:00:01:00:02'));
    expect((await fetchFrom(mac2.ignitionUrl!)).body).toBe(other);
    await admin.delete('by-arch');
    await admin.delete('by-mac');
  });

  it('2: a token entry records the Ignition fetch under the machine, not its address', async () => {
    await put({
      name: 'tok',
      ipxe: kernelArgs,
      ignition,
      one_shot: true,
      require_token: true,
      allowed_sources: ['127.0.0.0/8'],
    });
    const firstMachine = machine('52:54:00:02:00:01');
    const first = await boot(srv.url, firstMachine, '127.0.0.1');
    // The installer got another DHCP lease than iPXE.
    expect((await fetchFrom(first.ignitionUrl!, { source: '127.0.0.2' })).status).toBe(200);
    expect((await boot(srv.url, firstMachine, '127.0.0.1')).script).toMatch(/booting from local disk/);
    // A second machine behind the same address (NAT, relay) installs on its first boot.
    const second = await boot(srv.url, machine('52:54:00:02:00:02'), '127.0.0.2');
    expect(second.script).toMatch(/^kernel /m);
    const keys = (await admin.get('tok'))!.machines.map((m) => m.key);
    expect(keys).toEqual(['mac:52:54:00:02:00:01', 'mac:52:54:00:02:00:02']);
    await admin.delete('tok');
  });

  it('3: the token URL is never handed out to a MAC-only request from outside allowed_sources', async () => {
    await expect(put({ name: 'open-tok', ipxe: kernelArgs, ignition, require_token: true })).rejects.toThrow(
      /400: require_token: \{\{ignition_url\}\} in ipxe would hand the token URL/,
    );
    const entry = await put({
      name: 'far-tok',
      selectors: { macs: ['52:54:00:03:00:01'] },
      ipxe: kernelArgs,
      ignition,
      require_token: true,
      allowed_sources: ['10.0.0.0/8'],
    });
    const res = await fetchFrom(`${srv.url}/ipxe?mac=52-54-00-03-00-01`);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain(entry.token!);
    await admin.delete('far-tok');
  });

  it('4: neither HEAD nor a 304 counts as an Ignition fetch', async () => {
    await put({
      name: 'victim',
      selectors: { macs: ['52:54:00:04:00:01'] },
      ipxe: kernelArgs,
      ignition,
      one_shot: true,
    });
    const url = `${srv.url}/ignition?mac=52-54-00-04-00-01`;
    expect((await fetchFrom(url, { method: 'HEAD' })).status).toBe(200);
    const etag = String((await fetchFrom(url, { method: 'HEAD' })).headers['etag']);
    expect((await fetchFrom(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetchFrom(`${srv.url}/ipxe?mac=52-54-00-04-00-01`)).body).toMatch(/^kernel /m);
    expect((await admin.get('victim'))!.machines[0]).toMatchObject({ ignition_fetches: 0 });
    await admin.delete('victim');
  });

  it('5: spoofed MACs cannot grow the state past its bounds; finished machines stay; the state file is appended, not rewritten', async () => {
    await put({ name: 'default', ipxe: kernelArgs, ignition, one_shot: true });
    const done = machine('52:54:00:05:ff:ff');
    await fetchFrom((await boot(srv.url, done)).ignitionUrl!);
    const snapshot = statSync(join(dir, 'state', 'machines.json'));
    for (let i = 0; i < 150; i++)
      await fetchFrom(`${srv.url}/ipxe?mac=52-54-00-05-00-${(i & 255).toString(16).padStart(2, '0')}&x=${i}`);
    for (let i = 0; i < 150; i++)
      await fetchFrom(
        `${srv.url}/ipxe?mac=52-54-00-06-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}`,
      );
    await srv.service.machines.flush();
    const state = (await admin.get('default'))!.machines;
    expect(state.length).toBe(40);
    expect(srv.service.machines.size).toBeLessThanOrEqual(60);
    expect((await boot(srv.url, done)).script).toMatch(/booting from local disk/);
    expect(statSync(join(dir, 'state', 'machines.json')).mtimeMs).toBe(snapshot.mtimeMs);
    expect(readFileSync(join(dir, 'state', 'machines.journal'), 'utf8').split('\n').length).toBeGreaterThan(40);
    expect(await (await fetch(`${srv.url}/metrics`)).text()).toMatch(/^boot_machine_evictions_total [1-9]\d*$/m);
    await admin.delete('default');
  });

  it('5: when the state is full of installed machines, a one-shot Ignition is refused, not served unrecorded', async () => {
    // Spoofed MACs that fetched the Ignition are finished records, which are never evicted; serving a
    // new machine without a record would make it install again on every boot.
    const full = await startBootServer({
      port: 0,
      store: new MemoryStore(),
      token: TOKEN,
      log: () => undefined,
      machineLimits: { perEntry: 3, total: 10 },
    });
    try {
      const fullAdmin = new BootAdminClient({ url: full.url, token: TOKEN });
      await fullAdmin.put({ name: 'default', ipxe: kernelArgs, ignition, one_shot: true });
      await fullAdmin.close();
      const ignitionOf = (last: number) => fetchFrom(`${full.url}/ignition?mac=52-54-00-05-10-0${last}`);
      for (const last of [1, 2, 3]) expect((await ignitionOf(last)).status).toBe(200);
      const refused = await ignitionOf(4);
      expect({ status: refused.status, error: (JSON.parse(refused.body) as { error: string }).error }).toEqual({
        status: 503,
        error:
          'entry default: the machine state is full of installed machines, so this one-shot Ignition is not served: it could not be recorded',
      });
      expect(await (await fetch(`${full.url}/metrics`)).text()).toMatch(
        /^boot_refusals_total\{reason="state_full"\} 1$/m,
      );
    } finally {
      await full.stop();
    }
  });

  it('6: concurrent PUTs of one entry: one 201, one token, memory and disk agree, If-Match guards updates', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `race-${round}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, attempt) =>
          fetch(`${srv.url}/api/v1/entries/${name}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              name,
              role: `w${attempt}`,
              selectors: { macs: ['52:54:00:06:00:01'] },
              ipxe: { script: '#!ipxe\nexit' },
              ignition,
              require_token: true,
            }),
          }).then(async (r) => ({ status: r.status, entry: (await r.json()) as BootEntry })),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 200)).toHaveLength(19);
      expect(new Set(results.map((r) => r.entry.token)).size).toBe(1);
      const served = (await admin.get(name))!;
      const onDisk = JSON.parse(readFileSync(join(dir, 'entries', `${name}.json`), 'utf8')) as {
        spec: BootEntrySpec;
        token: string;
      };
      expect(onDisk.spec.role).toBe(served.role);
      expect(onDisk.token).toBe(served.token);
    }
    const res = await fetch(`${srv.url}/api/v1/entries/race-0`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const etag = res.headers.get('etag')!;
    const body = (await res.json()) as BootEntry;
    const update = (tag: string) =>
      fetch(`${srv.url}/api/v1/entries/race-0`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'if-match': tag },
        body: JSON.stringify({
          name: 'race-0',
          role: 'changed',
          selectors: body.selectors,
          ipxe: body.ipxe,
          ignition,
          require_token: true,
        }),
      });
    expect((await update(etag)).status).toBe(200);
    const stale = await update(etag);
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { error: string }).error).toMatch(/changed since ETag/);
    for (let round = 0; round < 5; round++) await admin.delete(`race-${round}`);
  });

  it('7: the one-shot transition is on disk before the Ignition config is answered', async () => {
    await put({
      name: 'crash',
      selectors: { macs: ['52:54:00:07:00:01'] },
      ipxe: kernelArgs,
      ignition,
      one_shot: true,
    });
    const { ignitionUrl } = await boot(srv.url, machine('52:54:00:07:00:01'));
    expect((await fetchFrom(ignitionUrl!)).status).toBe(200);
    // What a server started right now (after a crash) would load:
    const other = new FileStore(dir);
    const loaded = (await other.loadAll()).find((x) => x.entry.spec.name === 'crash')!;
    await other.close();
    expect(loaded.machines[0]).toMatchObject({ key: 'mac:52:54:00:07:00:01', ignition_fetches: 1 });
    await admin.delete('crash');
  });

  it('8: sanboot is a BIOS drive number: UEFI leaves to the firmware boot order first', () => {
    const lines = localBootScript('sanboot').split('\n');
    // iPXE runs `iseq ${platform} pcbios || exit`: on efi the exit comes before any sanboot.
    const guard = lines.findIndex((l) => l === 'iseq ${platform} pcbios || exit');
    expect(guard).toBeGreaterThan(0);
    expect(lines.findIndex((l) => l.startsWith('sanboot'))).toBeGreaterThan(guard);
  });

  it('9: a failed chain says which failure it was', async () => {
    await put({ name: 'kernel-gone', selectors: { macs: ['52:54:00:09:00:01'] }, ipxe: kernelArgs, ignition });
    await put({
      name: 'walled',
      selectors: { macs: ['52:54:00:09:00:02'] },
      ipxe: kernelArgs,
      ignition,
      allowed_sources: ['10.0.0.0/8'],
    });
    const chain = (await fetchFrom(`${srv.url}/boot.ipxe`)).body;
    const failed = /^chain --autofree (ipxe\/failed\S+)/m.exec(chain)![1]!;
    const why = async (mac: string) => {
      const failing = machine(mac);
      failing.settings.set('errno', '0x3e11623b');
      return (await fetchFrom(new URL(expandIpxe(failed, failing), `${srv.url}/boot.ipxe`).href)).body;
    };
    expect(await why('52:54:00:09:00:99')).toMatch(
      /^echo boot-server: no boot entry matches mac=52:54:00:09:00:99 .*\(HTTP 404\)$/m,
    );
    expect(await why('52:54:00:09:00:02')).toMatch(
      /^echo boot-server: entry walled is not served to 127\.0\.0\.1 \(HTTP 403\)$/m,
    );
    expect(await why('52:54:00:09:00:01')).toMatch(
      /^echo boot-server: entry kernel-gone answered .*failed with error 0x3e11623b \(a kernel or initrd download/m,
    );
    await admin.delete('kernel-gone');
    await admin.delete('walled');
  });

  it('10: label keys such as __proto__ are refused, not dropped', async () => {
    const res = await fetch(`${srv.url}/api/v1/entries/proto`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"name":"proto","selectors":{"labels":{"__proto__":"x"}},"ipxe":{"script":"#!ipxe\\nexit"}}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/selectors\.labels: key "__proto__"/);
    expect(await admin.get('proto')).toBeUndefined();
  });

  it('leaves no temporary files behind', () => {
    expect(readdirSync(join(dir, 'entries')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(dir, 'state')).sort()).toEqual(['machines.journal', 'machines.json']);
  });
});

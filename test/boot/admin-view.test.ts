/**
 * What an admin sees and how the server behaves when things go wrong: timestamped request log
 * lines without tokens, refusal metrics, the admin API's auth answers, an aborted upload, and a
 * full disk (the machine-state journal on /dev/full: the kernel's real ENOSPC).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { FileStore } from '../../src/boot/server/store';

const TOKEN = 'admin-view-test-token-0123';
const ignition = new IgnitionBuilder('3.2.0').file('/etc/motd', 'hi\n').build();
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

describe('boot server, seen by an admin', () => {
  let dir: string;
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  const logs: string[] = [];
  const since = (n: number) => logs.slice(n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boot-admin-'));
    srv = await startBootServer({ port: 0, dataDir: dir, token: TOKEN, log: (l) => logs.push(l) });
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
  });
  afterAll(async () => {
    await admin.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs one timestamped line per boot request, with machine, source and entry, never the token', async () => {
    const entry = await admin.put({
      name: 'w1',
      selectors: { macs: ['52:54:00:aa:00:01'] },
      ipxe: { script: '#!ipxe\nexit' },
      ignition,
      one_shot: true,
      require_token: true,
    });
    const logsBefore = logs.length;
    await fetch(`${srv.url}/boot.ipxe`);
    await fetch(`${srv.url}/ipxe?mac=52-54-00-aa-00-01&uuid=4c4c4544-0044-3010-8052-b4c04f4e3732`);
    await fetch(`${srv.url}${entry.ignition_path}?mac=52-54-00-aa-00-01`);
    await fetch(`${srv.url}/ipxe?mac=52-54-00-aa-00-01`);
    await fetch(`${srv.url}/ipxe?mac=52-54-00-aa-00-99`);
    await fetch(`${srv.url}/ignition/not-a-token`);
    const lines = since(logsBefore);
    for (const l of lines) expect(l).toMatch(TS);
    const body = lines.map((l) => l.replace(TS, ''));
    expect(body).toEqual([
      'chain GET /boot.ipxe 200 source=127.0.0.1',
      'ipxe GET /ipxe 200 entry=w1 mac=52:54:00:aa:00:01 uuid=4c4c4544-0044-3010-8052-b4c04f4e3732 source=127.0.0.1',
      'ignition GET /ignition/<token> 200 entry=w1 mac=52:54:00:aa:00:01 uuid=- source=127.0.0.1',
      'local_boot GET /ipxe 200 entry=w1 mac=52:54:00:aa:00:01 uuid=- source=127.0.0.1',
      'refused GET /ipxe 404 source=127.0.0.1 reason=unknown_machine error="no boot entry matches mac=52:54:00:aa:00:99 uuid=-"',
      'refused GET /ignition/<token> 404 source=127.0.0.1 reason=bad_token error="unknown Ignition token"',
    ]);
    expect(logs.join('\n')).not.toContain(entry.token!);
  });

  it('counts refusals and unknown machines by reason in /metrics', async () => {
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(metrics).toMatch(/^boot_refusals_total\{reason="unknown_machine"\} [1-9]/m);
    expect(metrics).toMatch(/^boot_refusals_total\{reason="bad_token"\} [1-9]/m);
    expect(metrics).toContain('boot_entry_fetches_total{entry="w1",kind="local_boot"} 1');
  });

  it('accepts a lowercase bearer scheme and answers 401 with WWW-Authenticate', async () => {
    expect((await fetch(`${srv.url}/api/v1/entries`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(
      200,
    );
    const denied = await fetch(`${srv.url}/api/v1/entries`, { headers: { authorization: 'Bearer wrong' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });

  it('logs an aborted upload as one line without a stack trace', async () => {
    const logsBefore = logs.length;
    const serverUrl = new URL(srv.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(serverUrl.port), serverUrl.hostname, () => {
        socket.write(
          `PUT /api/v1/entries/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
    });
    for (let i = 0; i < 50 && logs.length === logsBefore; i++) await new Promise((r) => setTimeout(r, 20));
    const lines = since(logsBefore);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PUT \/api\/v1\/entries\/x .*upload was aborted/);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });

  (existsSync('/dev/full') ? it : it.skip)(
    'answers 507 with the reason when the disk is full, and /healthz says so until saving works again',
    async () => {
      const full = mkdtempSync(join(tmpdir(), 'boot-full-'));
      const store = new FileStore(full);
      const server = await startBootServer({ port: 0, store, token: TOKEN, log: () => undefined });
      try {
        const adminClient = new BootAdminClient({ url: server.url, token: TOKEN });
        await adminClient.put({
          name: 'full',
          selectors: { macs: ['52:54:00:aa:00:02'] },
          ipxe: { script: '#!ipxe\nexit' },
          ignition,
          one_shot: true,
        });
        await adminClient.close();
        // Appends to the journal now hit the kernel's ENOSPC (the store reopens it on its next save).
        const journal = join(full, 'state', 'machines.journal');
        await store.close();
        unlinkSync(journal);
        symlinkSync('/dev/full', journal);
        const res = await fetch(`${server.url}/ignition?mac=52-54-00-aa-00-02`);
        expect(res.status).toBe(507);
        expect(((await res.json()) as { error: string }).error).toMatch(
          /could not save the machine state .*: the disk is full/,
        );
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.text()).toMatch(/machine state: could not save machine state: ENOSPC/);
        // Not served, so not installed: the machine still gets its install script.
        expect(await (await fetch(`${server.url}/ipxe?mac=52-54-00-aa-00-02`)).text()).toBe('#!ipxe\nexit\n');
        unlinkSync(journal);
        expect((await fetch(`${server.url}/ignition?mac=52-54-00-aa-00-02`)).status).toBe(200);
        expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');
        expect(readdirSync(join(full, 'entries'))).toEqual(['full.json']);
      } finally {
        await server.stop();
        rmSync(full, { recursive: true, force: true });
      }
    },
  );

  it('answers 507 when an entry does not fit on the disk, and leaves no temporary file', async () => {
    // A 64 KiB tmpfs gives the kernel's real ENOSPC on the entry's own write (mounting needs root).
    const small = mkdtempSync(join(tmpdir(), 'boot-small-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', small], { stdio: 'pipe' });
    } catch (err) {
      rmSync(small, { recursive: true, force: true });
      console.warn(`skipped: cannot mount a small tmpfs (${(err as Error).message.split('\n')[0]})`);
      return;
    }
    let server: RunningBootServer | undefined;
    try {
      server = await startBootServer({ port: 0, dataDir: small, token: TOKEN, log: () => undefined });
      const client = new BootAdminClient({ url: server.url, token: TOKEN });
      const big = new IgnitionBuilder('3.2.0').file('/etc/big', 'x'.repeat(200_000)).build();
      const put = (name: string, ign: string) =>
        client.put({
          name,
          selectors: { macs: ['52:54:00:aa:00:03'] },
          ipxe: { script: '#!ipxe\nexit' },
          ignition: ign,
        });
      await expect(put('big', big)).rejects.toThrow(/answered 507: could not store entry big: the disk is full$/);
      expect(readdirSync(join(small, 'entries'))).toEqual([]);
      expect(await client.get('big')).toBeUndefined();
      // The server goes on: a small entry still fits.
      expect((await put('small', ignition)).name).toBe('small');
      await client.close();
    } finally {
      await server?.stop();
      execFileSync('umount', [small]);
      rmSync(small, { recursive: true, force: true });
    }
  });
});

/**
 * The live view's event stream without a browser: what a snapshot holds (and never holds: Ignition,
 * tokens, scripts), a new snapshot after a boot request, the view disabled without tokens, and a
 * server that stops while a stream is open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import type { LiveSnapshot } from '../../src/boot/server/live';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { MemoryStore } from '../../src/boot/server/store';

const ADMIN = 'ui-events-admin-token-0123';
const VIEWER = 'ui-events-viewer-token-0123';
const SECRET = 'ignition-secret-content-0123';
const ignition = new IgnitionBuilder('3.2.0').file('/etc/secret', `${SECRET}\n`).build();

/** Reads `snapshot` events off an open `/ui/events` stream. */
function snapshots(res: Response): () => Promise<LiveSnapshot> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return async () => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^event: snapshot\ndata: (.*)$/m.exec(message);
        if (data) return JSON.parse(data[1]!) as LiveSnapshot;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += value;
    }
  };
}

describe('boot server live view events (/ui/events)', () => {
  let dir: string;
  let srv: RunningBootServer;
  let admin: BootAdminClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boot-ui-events-'));
    srv = await startBootServer({ port: 0, dataDir: dir, token: ADMIN, viewerToken: VIEWER, log: () => undefined });
    admin = new BootAdminClient({ url: srv.url, token: ADMIN });
    await admin.put({
      name: 'ocp-master-0',
      role: 'master',
      selectors: { macs: ['52:54:00:00:00:10'] },
      ipxe: { script: '#!ipxe\nchain {{ignition_url}}\n' },
      ignition,
      one_shot: true,
      require_token: true,
      allowed_sources: ['127.0.0.0/8'],
    });
  });

  afterAll(async () => {
    await admin?.close();
    await srv?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the view at once and again after a boot request, without Ignition, tokens or scripts', async () => {
    const controller = new AbortController();
    const res = await fetch(`${srv.url}/ui/events`, {
      headers: { authorization: `Bearer ${VIEWER}` },
      signal: controller.signal,
    });
    try {
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
      const next = snapshots(res);
      const first = await next();
      expect(first.groups.map((g) => [g.role, g.entries.map((e) => e.name)])).toEqual([
        ['bootstrap', []],
        ['master', ['ocp-master-0']],
        ['worker', []],
        ['other', []],
      ]);
      expect(first.groups[1]!.entries[0]!.machines).toEqual([
        { key: 'mac:52:54:00:00:00:10', mac: '52:54:00:00:00:10', waiting: true, one_shot_state: 'armed', refusals: 0 },
      ]);
      const { token } = (await admin.get('ocp-master-0'))!;
      const ipxe = await fetch(`${srv.url}/ipxe?mac=52:54:00:00:00:10`, { headers: { 'user-agent': 'iPXE/1.21.1' } });
      expect(ipxe.status).toBe(200);
      const after = await next();
      const machine = after.groups[1]!.entries[0]!.machines[0]!;
      expect(machine).toMatchObject({
        key: 'mac:52:54:00:00:00:10',
        source: '127.0.0.1',
        ipxe_fetches: 1,
        one_shot_state: 'armed',
        user_agent: 'iPXE/1.21.1',
      });
      expect(machine.first_ipxe_at).toBe(machine.last_seen_at);
      const text = JSON.stringify([first, after]);
      for (const secret of [SECRET, token!, '#!ipxe']) expect(text).not.toContain(secret);
    } finally {
      controller.abort();
    }
  });

  it('answers 403 with the reason when no token opens the view', async () => {
    const open = await startBootServer({ port: 0, store: new MemoryStore(), log: () => undefined });
    try {
      const res = await fetch(`${open.url}/ui`);
      expect([res.status, await res.json()]).toEqual([
        403,
        {
          code: 'forbidden',
          error: 'the live view is disabled: start the server with a viewer token or an admin token',
        },
      ]);
    } finally {
      await open.stop();
    }
  });

  it('ends open streams when the server stops', async () => {
    const other = await startBootServer({
      port: 0,
      store: new MemoryStore(),
      viewerToken: VIEWER,
      log: () => undefined,
    });
    const res = await fetch(`${other.url}/ui/events`, { headers: { authorization: `Bearer ${VIEWER}` } });
    const next = snapshots(res);
    await next();
    await other.stop();
    await expect(next()).rejects.toThrow();
  });
});

/**
 * The filesystem store across restarts: entries, tokens and machine state survive; a write a
 * crash interrupted (a leftover temporary file) never shows up as an entry.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { startBootServer } from '../../src/boot/server/server';

describe('restart survival', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'boot-restart-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps entries, tokens and one-shot state, and ignores interrupted writes', async () => {
    const ignition = new IgnitionBuilder('3.1.0').file('/etc/motd', 'hi\n').build();
    const first = await startBootServer({ port: 0, dataDir: dir, token: 't', log: () => {} });
    const admin = new BootAdminClient({ url: first.url, token: 't' });
    const put = await admin.put({
      name: 'w1',
      selectors: { macs: ['52:54:00:00:00:07'] },
      ipxe: { script: '#!ipxe\nexit' },
      ignition,
      one_shot: true,
      require_token: true,
    });
    await admin.close();
    expect((await fetch(`${first.url}${put.ignition_path}?mac=52-54-00-00-00-07`)).status).toBe(200);
    await first.stop();

    // A crash between writing and renaming leaves only a temporary file behind.
    writeFileSync(join(dir, 'entries', '.w2.json.abc123.tmp'), '{"spec":{"name":"w2"');
    const second = await startBootServer({ port: 0, dataDir: dir, token: 't', log: () => {} });
    try {
      const admin2 = new BootAdminClient({ url: second.url, token: 't' });
      const entries = await admin2.list();
      expect(entries.map((e) => e.name)).toEqual(['w1']);
      expect(entries[0]!.token).toBe(put.token);
      expect(entries[0]!.machines[0]).toMatchObject({ mac: '52:54:00:00:00:07', ignition_fetches: 1 });
      expect(await (await fetch(`${second.url}/ipxe?mac=52:54:00:00:00:07`)).text()).toMatch(/booting from local disk/);
      expect(await (await fetch(`${second.url}${put.ignition_path}`)).text()).toBe(ignition);
      expect(readdirSync(join(dir, 'entries'))).toEqual(['w1.json']);
      await admin2.close();
    } finally {
      await second.stop();
    }
  });
});

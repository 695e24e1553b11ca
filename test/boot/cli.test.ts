/** `ovirt-cdktf boot-server`: the JSON ready line, a generated token, and a clean stop on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '../..');

describe('boot-server command', () => {
  it('prints one ready line, generates a token into the data dir and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boot-cli-'));
    const child = spawn(process.execPath, ['-e',
      "require('ts-node').register({ transpileOnly: true }); require('./src/cli/main').main(process.argv.slice(1))",
      'boot-server', '--port', '0', '--data-dir', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout! }).once('line', res);
        child.once('exit', (code) => rej(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as { url: string; token_source: string };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.token_source).toBe(`generated:${join(dir, 'admin-token')}`);
      expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
      const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
      const res = await fetch(`${ready.url}/api/v1/entries`, { headers: { authorization: `Bearer ${token}` } });
      expect(await res.json()).toEqual({ entries: [] });
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

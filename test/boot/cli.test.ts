/** `ovirt-cdktf boot-server`: the JSON ready line, a generated token, a clean stop on SIGTERM, and weak token files. */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { adminToken } from '../../src/cli/boot-server';

const ROOT = resolve(__dirname, '../..');

describe('boot-server command', () => {
  it('prints one ready line, generates a token into the data dir and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boot-cli-'));
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('ts-node').register({ transpileOnly: true }); require('./src/cli/main').main(process.argv.slice(1))",
        'boot-server',
        '--port',
        '0',
        '--data-dir',
        dir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
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

describe('boot-server admin token', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'boot-token-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a token file with a short token', () => {
    writeFileSync(join(dir, 't'), 'x\n', { mode: 0o600 });
    expect(() => adminToken(new Map([['--token-file', join(dir, 't')]]), dir, () => undefined)).toThrow(
      `the admin token in token file ${join(dir, 't')} has 1 characters; use at least 16`,
    );
  });

  it('warns about a token file others can read', () => {
    writeFileSync(join(dir, 't'), 'a-long-enough-admin-token\n');
    chmodSync(join(dir, 't'), 0o644);
    const warnings: string[] = [];
    expect(adminToken(new Map([['--token-file', join(dir, 't')]]), dir, (l) => warnings.push(l)).token).toBe(
      'a-long-enough-admin-token',
    );
    expect(warnings).toEqual([`warning: token file ${join(dir, 't')} is readable by others (mode 644); chmod 600 it`]);
  });
});

/**
 * `ovirt-cdktf boot-server`: the JSON ready line, a generated token, the live view's token, a clean
 * stop on SIGTERM, and weak token files.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { adminToken, viewerToken } from '../../src/cli/boot-server';

const ROOT = resolve(__dirname, '../..');

describe('boot-server command', () => {
  it('prints one ready line, generates a token into the data dir, opens /ui to the viewer token and stops on SIGTERM', async () => {
    const viewer = 'cli-test-viewer-token-0123';
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
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OVIRT_BOOT_VIEWER_TOKEN: viewer } },
    );
    try {
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout! }).once('line', res);
        child.once('exit', (code) => rej(new Error(`exited ${code}`)));
      });
      const ready = JSON.parse(line) as { url: string; ui_url: string; token_source: string };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.ui_url).toBe(`${ready.url}/ui`);
      expect((await fetch(ready.ui_url)).status).toBe(401);
      expect((await fetch(ready.ui_url, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
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

  it('refuses a short viewer token, naming where it came from', () => {
    const before = process.env['OVIRT_BOOT_VIEWER_TOKEN'];
    process.env['OVIRT_BOOT_VIEWER_TOKEN'] = 'short';
    try {
      expect(() => viewerToken(new Map(), () => undefined)).toThrow(
        'the viewer token in OVIRT_BOOT_VIEWER_TOKEN has 5 characters; use at least 16',
      );
    } finally {
      if (before === undefined) delete process.env['OVIRT_BOOT_VIEWER_TOKEN'];
      else process.env['OVIRT_BOOT_VIEWER_TOKEN'] = before;
    }
    writeFileSync(join(dir, 'v'), 'a-long-enough-viewer-token\n', { mode: 0o600 });
    expect(viewerToken(new Map([['--viewer-token-file', join(dir, 'v')]]), () => undefined)).toBe(
      'a-long-enough-viewer-token',
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

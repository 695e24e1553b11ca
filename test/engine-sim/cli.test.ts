/** `ovirt-cdktf engine-sim` as a process: one JSON ready line, logs on stderr, clean stop on signals. */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, fetch } from 'undici';
import { assertDistCurrent } from '../support/dist';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/ovirt-cdktf.js');
const built = fs.existsSync(path.join(ROOT, 'dist/src/cli/engine-sim.js'));
if (!built) console.warn('engine-sim CLI tests: SKIPPED, dist/ is not built (run `npm run build`)');
const describeBuilt = built ? describe : describe.skip;
// Built but older than the sources: fail rather than test old code.
if (built) beforeAll(() => assertDistCurrent(ROOT));

interface Ready {
  url: string;
  username: string;
  password: string;
  caFile: string;
  adminUrl: string;
}

function start(args: string[]): Promise<{ child: ChildProcess; ready: Ready; stdout: () => string }> {
  const child = spawn(process.execPath, [BIN, 'engine-sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, ready: JSON.parse(out.slice(0, nl)) as Ready, stdout: () => out });
    });
    child.on('exit', (code) => reject(new Error(`engine-sim exited ${code}: ${err}`)));
  });
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

describeBuilt('ovirt-cdktf engine-sim', () => {
  it('prints one ready line, serves HTTPS with its CA file, and stops on SIGTERM', async () => {
    const { child, ready, stdout } = await start(['--delays', 'none', '--seed', '5']);
    expect(Object.keys(ready).sort()).toEqual(['adminUrl', 'caFile', 'password', 'url', 'username']);
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ovirt-engine\/api$/);
    const agent = new Agent({ connect: { ca: fs.readFileSync(ready.caFile, 'utf8') } });
    const basic = `Basic ${Buffer.from(`${ready.username}:${ready.password}`).toString('base64')}`;
    const response = await fetch(`${ready.url}/clusters`, { dispatcher: agent, headers: { authorization: basic } });
    expect(response.status).toBe(200);
    const counters = await (
      await fetch(`${ready.adminUrl}/counters`, { dispatcher: agent, headers: { authorization: basic } })
    ).json();
    expect(counters).toEqual({ 'GET /clusters': 1 });
    await agent.close();
    expect(await stopped(child, 'SIGTERM')).toBe(0);
    expect(stdout().trim().split('\n')).toHaveLength(1);
  });

  it('without openssl says to install it or use --no-tls', () => {
    const result = spawnSync(process.execPath, [BIN, 'engine-sim'], {
      env: { PATH: path.join(os.tmpdir(), 'no-such-dir') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
    expect(result.stderr).toContain(
      "openssl, which makes the simulator's CA and TLS certificate, is not on the PATH: install it (Debian/Ubuntu: apt-get install openssl) or serve plain HTTP with --no-tls",
    );
  });

  it('keeps state and CA across restarts with --state, and stops on SIGINT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-cli-'));
    try {
      const state = path.join(dir, 'sim.json');
      const first = await start(['--delays', 'none', '--state', state, '--password', 'pw']);
      const agent = new Agent({ connect: { ca: fs.readFileSync(first.ready.caFile, 'utf8') } });
      const auth = {
        authorization: `Basic ${Buffer.from('admin@internal:pw').toString('base64')}`,
        'content-type': 'application/xml',
      };
      const made = await fetch(`${first.ready.url}/tags`, {
        method: 'POST',
        dispatcher: agent,
        headers: auth,
        body: '<tag><name>kept</name></tag>',
      });
      expect(made.status).toBe(201);
      expect(await stopped(first.child, 'SIGINT')).toBe(0);
      const second = await start(['--delays', 'none', '--state', state, '--password', 'pw']);
      expect(second.ready.caFile).toBe(first.ready.caFile);
      const tags = await (
        await fetch(`${second.ready.url}/tags?search=name%3Dkept`, { dispatcher: agent, headers: auth })
      ).text();
      expect(tags).toContain('<name>kept</name>');
      await agent.close();
      expect(await stopped(second.child, 'SIGTERM')).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad option with exit code 2 and a message naming it', () => {
    const result = spawnSync(process.execPath, [BIN, 'engine-sim', '--delays', 'slow'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--delays must be none, fast or realistic');
    expect(result.stdout).toBe('');
    const faultsResult = spawnSync(process.execPath, [BIN, 'engine-sim', '--faults', '503=3'], { encoding: 'utf8' });
    expect(faultsResult.status).toBe(2);
    expect(faultsResult.stderr).toContain('a probability must be <= 1');
  });
});

/**
 * The demo's clear failures: a missing terraform and a busy port each end it at once with a
 * message that says what to do and a non-zero exit, before anything is started.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runDemo, tempDir } from './demo-run';

describe('ovirt-cdktf demo: clear failures', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('demo-err-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says terraform is missing when it is not on the PATH', async () => {
    // A PATH with node and nothing else (node and terraform may share a folder elsewhere).
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const result = await runDemo(dir, ['--destroy', '--engine-port', '0', '--boot-port', '0'], { PATH: bin });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/terraform was not found on the PATH\. Install Terraform/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(path.join(dir, '.ovirt-cdktf'))).toBe(false);
  });

  it('says openssl is missing when it is not on the PATH', async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
    fs.symlinkSync(terraform, path.join(bin, 'terraform'));
    const result = await runDemo(dir, ['--destroy', '--engine-port', '0', '--boot-port', '0'], { PATH: bin });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/terraform \S+ found on the PATH/);
    expect(result.stderr).toMatch(
      /openssl is needed for the simulator's TLS certificates and was not found on the PATH/,
    );
  });

  it.each([
    ['--boot-port', 'boot server'],
    ['--engine-port', 'engine simulator'],
  ])('names the busy port and the option to change it (%s)', async (flag, what) => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const other = flag === '--boot-port' ? '--engine-port' : '--boot-port';
      const result = await runDemo(dir, ['--destroy', flag, String(port), other, '0']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 (${what}) is already in use`);
      expect(result.stderr).toContain(`pick another port with ${flag} N`);
      expect(result.stdout).not.toMatch(/Starting the oVirt engine simulator/);
    } finally {
      busy.close();
    }
  });

  it('checks --app and a port clash between its two servers before starting anything', async () => {
    const app = await runDemo(dir, ['--destroy', '--engine-port', '0', '--boot-port', '0', '--app', 'no-such-app']);
    expect(app.code).toBe(1);
    expect(app.stderr).toContain(
      `the cdktf app ${path.join(dir, 'no-such-app', 'main.ts')} does not exist (pick another with --app DIR).`,
    );
    // A port held here: the clash is reported before the demo would find it busy.
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as net.AddressInfo).port);
    const clash = await runDemo(dir, ['--destroy', '--engine-port', port, '--boot-port', port]).finally(() =>
      busy.close(),
    );
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `--engine-port and --boot-port are both ${port}: the engine simulator and the boot server need a port each.`,
    );
    for (const r of [app, clash])
      expect(r.stdout).not.toMatch(/terraform \S+ found|Starting the oVirt engine simulator/);
    expect(fs.existsSync(path.join(dir, '.ovirt-cdktf'))).toBe(false);
  });

  it('rejects unknown options with exit code 2', async () => {
    const result = await runDemo(dir, ['--destroyy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option "--destroyy"');
  });
});

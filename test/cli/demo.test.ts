/**
 * `npm start` end to end, as a user runs it: the built CLI starts the simulator and the boot server,
 * installs the provider, synthesizes examples/openshift-ipi, applies it with the real terraform,
 * prints the summary, proves a boot chain, then destroys everything (--destroy) or stops cleanly on
 * Ctrl-C. Fast delays keep it short.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { testRunEnv } from '../support/test-run';
import { BIN, REPO_ROOT, runDemo, stopChild, tempDir } from './demo-run';

/** The secrets the demo wrote to demo.env (they must never appear in its output). */
function secrets(workDir: string): string[] {
  const env = fs.readFileSync(path.join(workDir, 'demo.env'), 'utf8');
  return ['OVIRT_PASSWORD', 'OVIRT_BOOT_TOKEN', 'OVIRT_BOOT_VIEWER_TOKEN'].map(
    (k) => new RegExp(`^export ${k}='([^']+)'$`, 'm').exec(env)![1]!,
  );
}

/** The summary table's rows, split into columns. */
function summaryRows(stdout: string): string[][] {
  const block = stdout.split(/\[\d+\/\d+\] Summary[^\n]*\n/)[1]!.split('\n\n')[0]!;
  // The rows follow the table's dashed rule (log lines of the servers may come before its header).
  const lines = block.split('\n');
  const rule = lines.findIndex((l) => /^ {2}-+( {2}-+)+$/.test(l));
  if (rule < 0) throw new Error(`no summary table in:\n${block}`);
  return lines
    .slice(rule + 1)
    .filter((l) => /^ {2}\S/.test(l) && !l.trimStart().startsWith('in Terraform'))
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('ovirt-cdktf demo (npm start)', () => {
  // A whole demo takes about a minute alone; on a loaded CI machine, next to other suites, more.
  jest.setTimeout(600_000);
  let dir: string;
  // Demo processes a test started: stopped after it whatever happened (a failed expect included).
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = tempDir('demo-e2e-');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stopChild));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the OpenShift example in PXE mode, summarizes it, proves a boot chain and destroys it (--destroy)', async () => {
    // A working folder an older run (or the user) left open: the demo makes it owner-only.
    const work = path.join(dir, '.ovirt-cdktf');
    fs.mkdirSync(work, { mode: 0o755 });
    fs.chmodSync(work, 0o755);
    const result = await runDemo(dir, ['--destroy', '--delays', 'fast', '--engine-port', '0', '--boot-port', '0']);
    if (result.code !== 0)
      throw new Error(
        `demo exited ${result.code}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr}`,
      );
    for (let i = 1; i <= 10; i++) expect(result.stdout).toContain(`[${i}/10] `);
    expect(result.stdout).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    expect(result.stdout).toContain('terraform plan right after: no changes');

    const rows = summaryRows(result.stdout);
    expect(rows.map((c) => `${c[0]} ${c[1]}`)).toEqual([
      'ocp-bootstrap bootstrap',
      'ocp-master-0 master',
      'ocp-master-1 master',
      'ocp-master-2 master',
      'ocp-worker-0 worker',
      'ocp-worker-1 worker',
    ]);
    for (const [, , status, mac, ip, ipxe, ign] of rows) {
      expect(status).toBe('up');
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(ipxe).toBe(`${ipxe!.split('/ipxe?')[0]}/ipxe?mac=${mac}`);
      expect(ign).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ignition(\?mac=|\/)/);
    }

    const chain = result.stdout.split(/boot chain as its firmware would walk it[^\n]*\n/)[1]!.split('\n\n')[0]!;
    expect(chain).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/boot\.ipxe → 200/);
    expect(chain).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/ipxe\?mac=[0-9a-f:-]+[^ ]* → 200/);
    expect(chain).toMatch(/→ 200, \d+ bytes, application\/vnd\.coreos\.ignition\+json[^\n]*valid, spec 3\.\d/);
    expect(chain).toMatch(
      /the same script on the next boot: `exit`, a local-disk boot \(one-shot entry: no install loop\)/,
    );

    expect(result.stdout).toMatch(/Destroy complete! Resources: \d+ destroyed/);
    expect(result.stdout).toContain(
      'nothing left: none of the 6 VMs remain in the engine, and the boot server has no entries',
    );
    expect(result.stdout).toContain('Stopped the boot server and the engine simulator.');
    for (const s of secrets(path.join(dir, '.ovirt-cdktf'))) {
      expect(result.stdout).not.toContain(s);
      expect(result.stderr).not.toContain(s);
    }
    // The folder, demo.env and what holds Ignition (the synthesized JSON and the Terraform state) are owner-only.
    const stackDir = path.join(work, 'cdktf.out', 'stacks', 'openshift-pxe');
    const open = [
      work,
      path.join(work, 'demo.env'),
      path.join(stackDir, 'cdk.tf.json'),
      path.join(stackDir, 'terraform.tfstate'),
    ].filter((f) => (fs.statSync(f).mode & 0o077) !== 0);
    expect(open).toEqual([]);
  });

  it('keeps the stack up until Ctrl-C, then stops both servers and exits 130 (template mode)', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'demo', '--mode', 'template', '--delays', 'none', '--engine-port', '0', '--boot-port', '0'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: path.join(dir, 'home'), LANG: 'C.UTF-8', ...testRunEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl-C to stop')) resolve();
      });
      child.on('close', (code) =>
        reject(new Error(`demo exited ${code} before it was ready\n${stdout.slice(-6000)}\n${stderr}`)),
      );
    });
    await ready;
    const bootUrl = /Everything is running\. Engine \S+, boot server (\S+)\./.exec(stdout)![1]!;
    expect((await fetch(`${bootUrl}/healthz`)).status).toBe(200);
    expect(stdout).toContain('terraform plan right after: no changes');
    const rows = summaryRows(stdout);
    expect(rows).toHaveLength(6);
    expect(rows.every((c) => c[2] === 'up')).toBe(true);
    expect(rows[0]!.slice(0, 2)).toEqual(['ocp-bootstrap', 'bootstrap']);
    // The bootstrap's token URL, masked to the first four characters of the token the server generated.
    const admin = new BootAdminClient({ url: bootUrl, token: secrets(path.join(dir, '.ovirt-cdktf'))[1]! });
    const entries = await admin.list().finally(() => admin.close());
    const token = entries.find((e) => e.role === 'bootstrap')!.token!;
    const masked = `${bootUrl}/ignition/${token.slice(0, 4)}…`;
    expect(rows[0]![6]).toBe(masked);
    // The live view's URL, printed without its token; the token from demo.env opens it.
    expect(stdout).toContain(
      `Watch the installs: live view: ${bootUrl}/ui (sign in with OVIRT_BOOT_VIEWER_TOKEN from `,
    );
    const viewer = secrets(path.join(dir, '.ovirt-cdktf'))[2]!;
    expect((await fetch(`${bootUrl}/ui`)).status).toBe(401);
    expect((await fetch(`${bootUrl}/ui`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    expect(stdout).not.toContain(viewer);
    // Template mode: the engine hands the bootstrap a pointer config that merges its full config from the boot server.
    expect(stdout).toMatch(
      /engine: ocp-bootstrap initialization\.custom_script, \d+ bytes[^\n]*valid, spec 3\.\d\.0, merges 1 config/,
    );
    expect(stdout).toContain(`GET ${masked} → 200, `);
    expect(stdout).toMatch(/ → 200, \d+ bytes[^\n]*the full config the pointer merges \(valid/);
    // The RHCOS template came from a real qcow2 upload, its progress shown from the provider's INFO log.
    expect(stdout).toMatch(
      /│ .*uploading image into disk "[\w-]+-rhcos": ([\d.]+) of \1 MiB, [\d.]+ MiB\/s, ETA \d+ s/,
    );
    expect(stdout).toMatch(/ovirt_disk_from_image\.\S+: Creation complete/);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stdout).toContain('Stopped the boot server and the engine simulator.');
    await expect(fetch(`${bootUrl}/healthz`)).rejects.toThrow();
  });

  it('on Ctrl-C during apply, stops terraform gracefully, stops the servers and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'demo', '--delays', 'realistic', '--engine-port', '0', '--boot-port', '0'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: path.join(dir, 'home'), LANG: 'C.UTF-8', ...testRunEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // Mid-apply: VMs are being created and the simulator keeps them image_locked for seconds.
        if (/ovirt_vm\.\S+: Creating\.\.\./.test(stdout)) resolve();
      });
      void closed.then(() => resolve());
    });
    child.kill('SIGINT');
    const code = await closed;
    if (code !== 130) throw new Error(`demo exited ${code}\n${stdout.slice(-4000)}\n${stderr}`);
    expect(stdout).toContain('Interrupted: asking terraform to stop gracefully');
    expect(stdout).toContain('Stopped the boot server and the engine simulator.');
    expect(stdout).not.toContain('Apply complete!');
    expect(stderr).toMatch(/demo: stopped by Ctrl-C during terraform apply/);
  });

  it('runs another app through the same steps (--app examples/single-vm: no boot entries, no chain to prove)', async () => {
    const result = await runDemo(dir, [
      '--destroy',
      '--delays',
      'none',
      '--engine-port',
      '0',
      '--boot-port',
      '0',
      '--app',
      path.join(REPO_ROOT, 'examples', 'single-vm'),
    ]);
    if (result.code !== 0)
      throw new Error(
        `demo exited ${result.code}\n--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr}`,
      );
    expect(summaryRows(result.stdout).map((c) => c.slice(0, 3))).toEqual([['web-1', '-', 'up']]);
    expect(result.stdout).toContain('Boot chain: no node of this stack has a boot entry, nothing to prove');
    expect(result.stdout).toContain('nothing left: none of the 1 VMs remain in the engine');
    expect(result.stdout).toContain('(also gone: 1 disk(s), 1 NIC(s), 0 affinity group(s), 0 tag(s))');
  });
});

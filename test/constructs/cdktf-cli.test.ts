/**
 * What users run: cdktf-cli's `cdktf synth` on an example app gives the same cdk.tf.json as the app
 * synthesized in-process, and `cdktf deploy` / `cdktf destroy` drive the real provider against the
 * engine simulator, offline and without `--skip-provider-lock`: `ovirt-cdktf install-provider --lock`
 * writes the stack's `.terraform.lock.hcl` with the release's hashes, so cdktf has no reason to run
 * `terraform providers lock` (which would ask the registry at terraform.local, which does not exist).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOvirtProvider } from '../../src/cli/install-provider';
import { exampleApp } from '../../examples/shared';
import { singleVmStack } from '../../examples/single-vm/main';
import { inventory, Rig, startRig } from './e2e-support';
import { testRunEnv } from '../support/test-run';

const ROOT = join(__dirname, '..', '..');
const CDKTF = join(ROOT, 'node_modules', '.bin', 'cdktf');

/** A cdktf project folder whose app is examples/single-vm (run through ts-node). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdktf-cli-'));
  writeFileSync(
    join(dir, 'cdktf.json'),
    JSON.stringify({
      language: 'typescript',
      app: `node -r ${join(ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only')} ${join(ROOT, 'examples', 'single-vm', 'main.ts')}`,
      projectId: 'cdktf-cli-test',
      sendCrashReports: 'false',
      output: 'cdktf.out',
    }),
  );
  mkdirSync(join(dir, 'home'));
  return dir;
}

function cdktf(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(CDKTF, args, {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: join(dir, 'home'),
        TMPDIR: process.env.TMPDIR,
        CI: '1',
        FORCE_COLOR: '0',
        CHECKPOINT_DISABLE: '1',
        CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        OVIRT_STORAGE_DOMAIN: 'data-nfs',
        ...testRunEnv(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('cdktf-cli', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('`cdktf synth` writes what the app synthesizes in-process', async () => {
    const dir = project();
    dirs.push(dir);
    const result = await cdktf(dir, ['synth']);
    expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
    const viaCli = readFileSync(join(dir, 'cdktf.out', 'stacks', 'single-vm', 'cdk.tf.json'), 'utf8');
    const outdir = join(dir, 'direct');
    const saved = process.env.OVIRT_STORAGE_DOMAIN;
    process.env.OVIRT_STORAGE_DOMAIN = 'data-nfs';
    try {
      const app = exampleApp(outdir);
      singleVmStack(app);
      app.synth();
    } finally {
      if (saved === undefined) delete process.env.OVIRT_STORAGE_DOMAIN;
      else process.env.OVIRT_STORAGE_DOMAIN = saved;
    }
    expect(viaCli).toBe(readFileSync(join(outdir, 'stacks', 'single-vm', 'cdk.tf.json'), 'utf8'));
  });

  describe('against the engine simulator', () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await startRig();
    });
    afterAll(async () => {
      await rig?.stop();
    });

    it('`cdktf deploy` creates the VM and `cdktf destroy` removes everything', async () => {
      const dir = project();
      dirs.push(dir);
      const stackDir = join(dir, 'cdktf.out', 'stacks', 'single-vm');
      const installed = installOvirtProvider(join(dir, '.ovirt-cdktf'), {
        release: join(ROOT, 'dist', 'release'),
        lockDirs: [stackDir],
      });
      const lock = readFileSync(join(stackDir, '.terraform.lock.hcl'), 'utf8');
      const env = { ...rig.env, TF_CLI_CONFIG_FILE: installed.cliConfigPath };
      const before = inventory(rig.sim);
      const deploy = await cdktf(dir, ['deploy', 'single-vm', '--auto-approve'], env);
      expect({ code: deploy.code, out: deploy.code === 0 ? '' : deploy.out }).toEqual({ code: 0, out: '' });
      const vms = rig.sim.control.list('vms').filter((v) => v.data['name'] === 'web-1');
      expect(vms).toHaveLength(1);
      expect(vms[0]!.data['status']).toBe('up');
      const destroy = await cdktf(dir, ['destroy', 'single-vm', '--auto-approve'], env);
      expect({ code: destroy.code, out: destroy.code === 0 ? '' : destroy.out }).toEqual({ code: 0, out: '' });
      // cdktf and terraform init kept the lock file as install-provider wrote it.
      expect(readFileSync(join(stackDir, '.terraform.lock.hcl'), 'utf8')).toBe(lock);
      expect(inventory(rig.sim)).toEqual(before);
    }, 600_000);
  });
});

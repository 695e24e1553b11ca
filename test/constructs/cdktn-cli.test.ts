/**
 * `cdktn deploy` / `cdktn destroy` of examples/single-vm against the engine simulator, with
 * cdktn-cli 0.24 on Node 22 (cdktn-cli needs >= 22.19): both come from the npm registry (or its
 * cache) into a temp folder, `node` from the registry's `node` package, so the system Node is never
 * touched. The app runs under cdktn through the cdktn entry point (test/support/cdktn-alias.js).
 * Slow: the install and cdktn-cli's start-up take minutes on a busy machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOvirtProvider } from '../../src/cli/install-provider';
import { inventory, Rig, startRig } from './e2e-support';

const ROOT = join(__dirname, '..', '..');
const MINUTES = 60_000;
const built = existsSync(join(ROOT, 'dist', 'cdktn', 'index.js'));
if (!built) console.warn('cdktn-cli test: SKIPPED, dist/cdktn is not built (run `npm run build`)');
const describeBuilt = built ? describe : describe.skip;

describeBuilt('cdktn-cli on Node 22', () => {
  let tools: string;
  let rig: Rig;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    tools = mkdtempSync(join(tmpdir(), 'cdktn-cli-'));
    mkdirSync(join(tools, 'home'));
    const install = spawnSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', 'node@22', 'cdktn-cli@0.24'],
      {
        cwd: tools,
        encoding: 'utf8',
        timeout: 10 * MINUTES,
        env: { ...process.env, npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm') },
      },
    );
    if (install.status !== 0) throw new Error(`npm install node@22 cdktn-cli@0.24 failed: ${install.stderr}`);
    rig = await startRig();
    env = {
      PATH: `${join(tools, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: join(tools, 'home'),
      TMPDIR: process.env.TMPDIR,
      CI: '1',
      FORCE_COLOR: '0',
      CHECKPOINT_DISABLE: '1',
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      ...rig.env,
      TF_CLI_CONFIG_FILE: rig.ws.cliConfig,
    };
  }, 12 * MINUTES);
  afterAll(async () => {
    await rig?.stop();
    if (tools) rmSync(tools, { recursive: true, force: true });
  });

  function cdktn(args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(join(tools, 'node_modules', '.bin', 'cdktn'), args, {
        cwd: tools,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
      });
      child.stderr.on('data', (b: Buffer) => {
        out += b.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10 * MINUTES);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  it('runs on the Node 22 it installed', () => {
    const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
    expect(version.split('.')[0]).toBe('v22');
  });

  it(
    'deploys examples/single-vm and destroys it again',
    async () => {
      writeFileSync(
        join(tools, 'cdktf.json'),
        JSON.stringify({
          language: 'typescript',
          projectId: 'cdktn-cli-test',
          sendCrashReports: 'false',
          output: 'cdktf.out',
          app: `node -r ${join(ROOT, 'test', 'support', 'cdktn-alias.js')} -r ${join(ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only')} ${join(ROOT, 'examples', 'single-vm', 'main.ts')}`,
        }),
      );
      // The release's lock file keeps cdktn from running `terraform providers lock` (as with cdktf).
      const stackDir = join(tools, 'cdktf.out', 'stacks', 'single-vm');
      const installed = installOvirtProvider(join(tools, '.ovirt-cdktf'), {
        release: join(ROOT, 'dist', 'release'),
        lockDirs: [stackDir],
      });
      env = { ...env, TF_CLI_CONFIG_FILE: installed.cliConfigPath };
      const lock = readFileSync(join(stackDir, '.terraform.lock.hcl'), 'utf8');
      const before = inventory(rig.sim);
      const deploy = await cdktn(['deploy', 'single-vm', '--auto-approve']);
      expect({ code: deploy.code, out: deploy.code === 0 ? '' : deploy.out }).toEqual({ code: 0, out: '' });
      const vms = rig.sim.control.list('vms').filter((v) => v.data['name'] === 'web-1');
      expect(vms.map((v) => v.data['status'])).toEqual(['up']);
      const destroy = await cdktn(['destroy', 'single-vm', '--auto-approve']);
      expect({ code: destroy.code, out: destroy.code === 0 ? '' : destroy.out }).toEqual({ code: 0, out: '' });
      expect(readFileSync(join(stackDir, '.terraform.lock.hcl'), 'utf8')).toBe(lock);
      expect(inventory(rig.sim)).toEqual(before);
    },
    25 * MINUTES,
  );
});

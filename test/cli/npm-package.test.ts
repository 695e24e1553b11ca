/**
 * The npm package as users get it: `npm pack` (after `npm run build`) gives a tarball holding the
 * compiled library, bindings, CLI, docs and the provider release, and nothing else; installed into
 * an empty folder, it type-checks a copy of examples/single-vm that imports `ovirt-cdktf`,
 * synthesizes it, installs the provider with its own CLI and deploys it against the simulator with
 * the real terraform (`-lockfile=readonly`).
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { REPO_ROOT } from '../support/terraform';

interface Run {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 400_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const ok = (r: Run) => expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });

describe('npm package', () => {
  let tmp: string;
  let sim: EngineSim | undefined;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-package-'));
  });
  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('packs only what it promises, installs in an empty folder and deploys examples/single-vm from there', async () => {
    // --ignore-scripts: `npm test` built dist/ already (prepare would build it again).
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    const tops = [
      ...new Set(
        files.map((file) =>
          file
            .split('/')
            .slice(0, file.startsWith('dist/') ? 2 : 1)
            .join('/'),
        ),
      ),
    ].sort();
    expect(tops).toEqual([
      'README.md',
      'bin',
      'dist/cdktn',
      'dist/constructs',
      'dist/release',
      'dist/src',
      'docs',
      'package.json',
    ]);
    expect(files.filter((f) => f.startsWith('dist/release/')).sort()).toEqual([
      'dist/release/terraform-provider-ovirt_0.1.0_SHA256SUMS',
      'dist/release/terraform-provider-ovirt_0.1.0_linux_amd64.zip',
      'dist/release/terraform-provider-ovirt_0.1.0_manifest.json',
    ]);
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);

    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    // cdktf and constructs are peers: the user installs them beside the package, as the README says.
    ok(
      await run(
        'npm',
        [
          'install',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          path.join(tmp, packed[0]!.filename),
          'cdktf@0.21',
          'constructs@10.7',
        ],
        app,
      ),
    );

    // The example as a user would write it: the package by name, the constructs and a binding.
    const example = fs
      .readFileSync(path.join(REPO_ROOT, 'examples', 'single-vm', 'main.ts'), 'utf8')
      .replace(`from '../../constructs'`, `from 'ovirt-cdktf'`)
      .replace(`from '../shared'`, `from './shared'`);
    const shared = fs
      .readFileSync(path.join(REPO_ROOT, 'examples', 'shared.ts'), 'utf8')
      .replace(`from '../constructs'`, `from 'ovirt-cdktf'`);
    fs.writeFileSync(
      path.join(app, 'main.ts'),
      `${example}\nimport type { vm } from 'ovirt-cdktf/bindings';\nexport type CheckBinding = vm.Vm;\n`,
    );
    fs.writeFileSync(path.join(app, 'shared.ts'), shared);
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          skipLibCheck: true,
          outDir: 'out',
          typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
      }),
    );
    ok(
      await run(
        process.execPath,
        [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
        app,
      ),
    );
    ok(await run(process.execPath, ['out/main.js'], app, { ...process.env, OVIRT_STORAGE_DOMAIN: 'data-nfs' }));
    const stack = path.join(app, 'cdktf.out', 'stacks', 'single-vm');
    expect(fs.existsSync(path.join(stack, 'cdk.tf.json'))).toBe(true);

    const cli = path.join(app, 'node_modules', '.bin', 'ovirt-cdktf');
    ok(await run(cli, ['install-provider', '--lock', stack], app));
    sim = await startEngineSim({ delays: 'none' });
    const env = {
      PATH: process.env.PATH,
      HOME: app,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: path.join(app, '.ovirt-cdktf', 'terraform.tfrc'),
      OVIRT_URL: sim.url,
      OVIRT_USERNAME: sim.username,
      OVIRT_PASSWORD: sim.password,
      OVIRT_CAFILE: sim.caFile,
    };
    ok(await run('terraform', ['init', '-lockfile=readonly', '-no-color'], stack, env));
    ok(await run('terraform', ['apply', '-auto-approve', '-no-color'], stack, env));
    expect(
      sim.control
        .list('vms')
        .filter((v) => v.data['name'] === 'web-1')
        .map((v) => v.data['status']),
    ).toEqual(['up']);
    ok(await run('terraform', ['destroy', '-auto-approve', '-no-color'], stack, env));
    expect(sim.control.list('vms').filter((v) => v.data['name'] === 'web-1')).toEqual([]);
  }, 900_000);
});

/**
 * The README's runnable blocks (see ./runnable.ts), run as printed in a fresh folder: the
 * infrastructure-repository walkthrough with the tarball `npm pack` makes (installs from the
 * registry or the npm cache, install-provider, cdktf.json, main.ts, cdktf synth/deploy/destroy
 * against the simulator), then "The simulator in your CI" in the same folder, which starts its own
 * simulator. The walkthrough again under cdktn as "cdktf or cdktn" tells it, on Node 22 from the
 * registry's `node` package. And examples/README.md's runnable block in a fresh copy of this repository (its tracked
 * files and what `npm ci` makes: node_modules, linked, and dist). Slow (real npm installs and
 * cdktf-cli): minutes, most of it npm and cdktf start-up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { inventory } from '../constructs/e2e-support';
import { assertDistCurrent } from '../support/dist';
import { runnableBlocks, runScript, scriptOf, type RunnableBlock } from './runnable';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = runnableBlocks(README);
const MINUTES = 60_000;

// Every part runs what `npm run build` made (the packed tarball, dist/release, a copy of dist).
beforeAll(() => assertDistCurrent(ROOT));

/**
 * A clean environment: no OVIRT_* or TF_* of the caller, a home of its own, the caller's npm cache, and the
 * caller's extra CA certificates (a registry behind a TLS-inspecting proxy: the system npm finds them in its
 * global npmrc, the Node 22 npm of the cdktn walkthrough only through NODE_EXTRA_CA_CERTS).
 */
function baseEnv(dir: string): NodeJS.ProcessEnv {
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  return {
    ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}),
    PATH: process.env.PATH,
    TMPDIR: process.env.TMPDIR,
    HOME: join(dir, 'home'),
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    CI: '1',
    FORCE_COLOR: '0',
    CHECKPOINT_DISABLE: '1',
  };
}

/** The simulator's connection settings as the README exports them from its ready line. */
const simEnv = (sim: EngineSim) => ({
  OVIRT_URL: sim.url,
  OVIRT_USERNAME: sim.username,
  OVIRT_PASSWORD: sim.password,
  OVIRT_CAFILE: sim.caFile,
});

/** A fresh folder with a home of its own and the tarball of what `npm run build` made. */
function packedFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'home'));
  // --ignore-scripts: npm pack's prepare step would build dist/ again.
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  return dir;
}

/** The simulator's object names, exported as the CI snippet exports them. */
function simNames(): string {
  const names = /^export OVIRT_STORAGE_DOMAIN=.*$/m.exec(scriptOf(blocks, 'ci'))?.[0];
  if (names === undefined) throw new Error('the CI snippet no longer exports OVIRT_STORAGE_DOMAIN');
  return names;
}

/** What "cdktf or cdktn" says to change in the walkthrough, as [cdktf text, cdktn text]. */
const CDKTN_SWAPS: [RegExp, string][] = [
  [/from 'cdktf'/g, "from 'cdktn'"],
  [/from 'ovirt-cdktf'/g, "from 'ovirt-cdktf/cdktn'"],
  [/npx cdktf /g, 'npx cdktn '],
];

/**
 * The walkthrough under cdktn: the cdktn section's install block instead of the walkthrough's
 * first, then the walkthrough's other blocks with the imports and commands that section names swapped.
 */
function cdktnWalkthrough(all: RunnableBlock[]): string {
  const [, ...rest] = all.filter((b) => b.script === 'walkthrough');
  const swapped = rest.map((block) => ({
    ...block,
    script: 'cdktn',
    body: CDKTN_SWAPS.reduce((body, [from, to]) => body.replace(from, to), block.body),
  }));
  return scriptOf([...all.filter((b) => b.script === 'cdktn'), ...swapped], 'cdktn');
}

describe('README runnable blocks', () => {
  let dir: string;
  let sim: EngineSim;
  beforeAll(async () => {
    dir = packedFolder('readme-run-');
    sim = await startEngineSim({ delays: 'none' });
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the walkthrough and the CI snippet runnable', () => {
    expect([...new Set(blocks.map((b) => b.script))]).toEqual([
      'walkthrough',
      'cdktn',
      'plain-hcl',
      'plain-hcl-unpacked',
      'ci',
    ]);
  });

  it(
    'the infrastructure-repository walkthrough synthesizes, deploys and destroys against the simulator',
    async () => {
      const before = inventory(sim);
      const env = { ...baseEnv(dir), ...simEnv(sim) };
      const result = await runScript(`${simNames()}\n${scriptOf(blocks, 'walkthrough')}`, dir, env, 20 * MINUTES);
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'))).toBe(true);
      expect(result.out).toMatch(/ovirt_vm\.web[\s\S]*Creation complete/);
      expect(inventory(sim)).toEqual(before);
    },
    25 * MINUTES,
  );

  it(
    '"The simulator in your CI" deploys and destroys in that repository with its own simulator',
    async () => {
      const result = await runScript(scriptOf(blocks, 'ci'), dir, baseEnv(dir), 15 * MINUTES);
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(result.out).toMatch(/Destroy complete/);
    },
    20 * MINUTES,
  );
});

describe('README "cdktf or cdktn"', () => {
  let dir: string;
  let sim: EngineSim;
  let nodeBin: string;
  beforeAll(async () => {
    dir = packedFolder('readme-cdktn-');
    // cdktn-cli needs Node >= 22.19: the registry's `node` package, in a project folder of its own
    // (its package.json keeps npm from installing into a parent).
    const tools = join(dir, 'node22');
    mkdirSync(tools);
    writeFileSync(join(tools, 'package.json'), '{}\n');
    const install = spawnSync('npm', ['install', '--no-save', 'node@22'], {
      cwd: tools,
      encoding: 'utf8',
      env: baseEnv(dir),
    });
    if (install.status !== 0) throw new Error(`npm install node@22 failed: ${install.stderr}`);
    nodeBin = join(tools, 'node_modules', '.bin');
    sim = await startEngineSim({ delays: 'none' });
  }, 10 * MINUTES);
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what the cdktn walkthrough changes, and each change applies to the walkthrough', () => {
    const section = README.split('## cdktf or cdktn')[1]!.split('\n## ')[0]!.replace(/\s+/g, ' ');
    expect(section).toContain(
      'in `main.ts` import from `cdktn` and `ovirt-cdktf/cdktn` instead of `cdktf` and `ovirt-cdktf`',
    );
    expect(section).toContain('the commands become `npx cdktn synth`, `npx cdktn deploy` and `npx cdktn destroy`');
    const walkthrough = scriptOf(blocks, 'walkthrough');
    for (const [from] of CDKTN_SWAPS) expect(walkthrough).toMatch(from);
    expect(cdktnWalkthrough(blocks)).not.toMatch(/cdktf'|npx cdktf |cdktf@|cdktf-cli@/);
  });

  it(
    'the walkthrough under cdktn synthesizes, deploys and destroys against the simulator on Node 22',
    async () => {
      const before = inventory(sim);
      const env = { ...baseEnv(dir), ...simEnv(sim), PATH: `${nodeBin}:${process.env.PATH}` };
      const script = `node --version\n${simNames()}\n${cdktnWalkthrough(blocks)}`;
      const result = await runScript(script, dir, env, 20 * MINUTES);
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(result.out).toMatch(/^v22\./);
      expect(readFileSync(join(dir, 'node_modules', 'cdktn', 'package.json'), 'utf8')).toMatch(/"version": "0\.24\./);
      expect(existsSync(join(dir, 'node_modules', 'cdktf'))).toBe(false);
      expect(result.out).toMatch(/ovirt_vm\.web[\s\S]*Creation complete[\s\S]*Destroy complete/);
      expect(inventory(sim)).toEqual(before);
    },
    25 * MINUTES,
  );
});

describe('README "From plain HCL" without node', () => {
  let dir: string;
  let sim: EngineSim;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'readme-hcl-'));
    mkdirSync(join(dir, 'home'));
    // The release folder the README starts from (`npm run build` makes this platform's).
    cpSync(join(ROOT, 'dist', 'release'), join(dir, 'release'), { recursive: true });
    // A PATH with terraform and the shell's tools only: the provider must run without Node.
    mkdirSync(join(dir, 'bin'));
    for (const tool of ['bash', 'terraform', 'sha256sum', 'mkdir', 'cp', 'cat', 'unzip']) {
      symlinkSync(
        execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(),
        join(dir, 'bin', tool),
      );
    }
    sim = await startEngineSim({ delays: 'none' });
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'checks, installs, applies and destroys with a PATH that has no node',
    async () => {
      const before = inventory(sim);
      const env = {
        PATH: join(dir, 'bin'),
        HOME: join(dir, 'home'),
        TMPDIR: process.env.TMPDIR,
        CHECKPOINT_DISABLE: '1',
        ...simEnv(sim),
      };
      const result = await runScript(
        `if command -v node; then exit 97; fi\n${scriptOf(blocks, 'plain-hcl')}`,
        join(dir),
        env,
        10 * MINUTES,
      );
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(result.out).toMatch(
        /terraform-provider-ovirt_0\.1\.0_linux_amd64\.zip: OK[\s\S]*ovirt_vm\.web: Creation complete[\s\S]*Destroy complete/,
      );
      expect(readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8')).toMatch(/"terraform\.local\/ovirt-cdktf\/ovirt"/);
      expect(inventory(sim)).toEqual(before);
    },
    12 * MINUTES,
  );

  it(
    'the unpacked install into ~/.terraform.d/plugins, with no CLI config and no node, applies and destroys',
    async () => {
      const before = inventory(sim);
      const folder = join(dir, 'unpacked');
      mkdirSync(join(folder, 'home'), { recursive: true });
      cpSync(join(dir, 'release'), join(folder, 'release'), { recursive: true });
      const env = { PATH: join(dir, 'bin'), HOME: join(folder, 'home'), CHECKPOINT_DISABLE: '1', ...simEnv(sim) };
      const mainTf = blocks.find((b) => b.script === 'plain-hcl' && b.file === 'main.tf');
      const script = `cat > main.tf <<'EOF'\n${mainTf!.body}\nEOF\n${scriptOf(blocks, 'plain-hcl-unpacked')}`;
      const result = await runScript(
        `${script}terraform apply -auto-approve\nterraform destroy -auto-approve\n`,
        folder,
        env,
        10 * MINUTES,
      );
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(result.out).toMatch(/ovirt_vm\.web: Creation complete[\s\S]*Destroy complete/);
      expect(inventory(sim)).toEqual(before);
    },
    12 * MINUTES,
  );
});

describe('examples/README.md runnable blocks', () => {
  let dir: string;
  let sim: EngineSim;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'examples-run-'));
    mkdirSync(join(dir, 'home'));
    const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\0')
      .filter(Boolean);
    for (const f of files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      cpSync(join(ROOT, f), join(dir, f));
    }
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    sim = await startEngineSim({ delays: 'none' });
  });
  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'deploys and destroys single-vm through cdktf-cli in a fresh clone',
    async () => {
      const script = scriptOf(runnableBlocks(readFileSync(join(ROOT, 'examples', 'README.md'), 'utf8')), 'examples');
      const before = inventory(sim);
      const result = await runScript(script, dir, { ...baseEnv(dir), ...simEnv(sim) }, 15 * MINUTES);
      expect({ code: result.code, out: result.code === 0 ? '' : result.out }).toEqual({ code: 0, out: '' });
      expect(result.out).toMatch(/Creation complete[\s\S]*Destroy complete/);
      expect(inventory(sim)).toEqual(before);
    },
    20 * MINUTES,
  );
});

/**
 * The release as users get it, with the real terraform: `ovirt-cdktf install-provider` from the
 * release `npm run build` wrote (dist/release), lock files that are the same in every folder and
 * pass `-lockfile=readonly`, the single executable running where PATH has terraform and no node,
 * the network mirror over HTTPS, and release builds that are byte-identical for the same code (from
 * another folder too) and hash differently for changed code.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRelease } from '../../src/cli/release';
import { certificates } from '../../src/engine-sim/http/certs';
import { lockBlocks } from '../../src/tfplugin/lockfile';
import { REPO_ROOT } from '../support/terraform';

const RELEASE = path.join(REPO_ROOT, 'dist', 'release');
const CLI = path.join(REPO_ROOT, 'bin', 'ovirt-cdktf.js');
const SOURCE = 'terraform.local/ovirt-cdktf/ovirt';
const MAIN_TF = `terraform {\n  required_providers {\n    ovirt = { source = "${SOURCE}", version = "0.1.0" }\n  }\n}\n`;

interface Run {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const ok = (r: Run) => expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });

describe('install-provider and the release, with the real terraform', () => {
  let tmp: string;
  let bin: string;
  beforeAll(() => {
    if (!fs.existsSync(RELEASE)) throw new Error(`${RELEASE} is missing: run \`npm run build\` first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'install-provider-'));
    // A PATH with terraform and nothing else: the provider must not need node.
    bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(
      execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim(),
      path.join(bin, 'terraform'),
    );
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The environment of `env -i` plus what terraform needs: no node on PATH. */
  const bare = (name: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const home = path.join(tmp, name, 'home');
    fs.mkdirSync(home, { recursive: true });
    return { PATH: bin, HOME: home, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', ...extra };
  };

  /** Runs `ovirt-cdktf install-provider` in a new folder `name` with a stack folder; returns both. */
  async function installIn(name: string, ...more: string[]): Promise<{ dir: string; stack: string; rc: string }> {
    const dir = path.join(tmp, name);
    const stack = path.join(dir, 'stack');
    fs.mkdirSync(stack, { recursive: true });
    fs.writeFileSync(path.join(stack, 'main.tf'), MAIN_TF);
    const result = await run(
      process.execPath,
      [CLI, 'install-provider', '--dir', '.tf', '--lock', 'stack', ...more],
      dir,
      {
        PATH: process.env.PATH,
        HOME: tmp,
      },
    );
    ok(result);
    expect(result.out).toContain(`TF_CLI_CONFIG_FILE=${path.join(dir, '.tf', 'terraform.tfrc')}\n${SOURCE}\n`);
    return { dir, stack, rc: path.join(dir, '.tf', 'terraform.tfrc') };
  }

  it('two folders get the identical lock file; each passes init -lockfile=readonly with no node on the PATH', async () => {
    const installA = await installIn('a');
    const installB = await installIn('b');
    const lockA = fs.readFileSync(path.join(installA.stack, '.terraform.lock.hcl'), 'utf8');
    expect(fs.readFileSync(path.join(installB.stack, '.terraform.lock.hcl'), 'utf8')).toBe(lockA);
    for (const w of [installA, installB]) {
      fs.writeFileSync(path.join(w.stack, '.terraform.lock.hcl'), lockA);
      const env = bare(path.basename(w.dir), { TF_CLI_CONFIG_FILE: w.rc });
      ok(await run('terraform', ['init', '-lockfile=readonly', '-no-color'], w.stack, env));
      expect(fs.readFileSync(path.join(w.stack, '.terraform.lock.hcl'), 'utf8')).toBe(lockA);
      // The provider starts (schema over gRPC) from the single executable.
      const schema = await run('terraform', ['providers', 'schema', '-json'], w.stack, env);
      ok(schema);
      expect(
        Object.keys((JSON.parse(schema.out) as { provider_schemas: Record<string, unknown> }).provider_schemas),
      ).toEqual([SOURCE]);
    }
  });

  it("the executable reads no .env or bunfig.toml from Terraform's working folder", async () => {
    const folder = await installIn('dotenv');
    // Bun's executables load both by default; a user's .env must not reach the provider, nor a bunfig preload run.
    fs.writeFileSync(path.join(folder.stack, '.env'), 'OVIRT_URL=https://127.0.0.1:9/ovirt-engine/api\n');
    fs.writeFileSync(path.join(folder.stack, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
    fs.writeFileSync(
      path.join(folder.stack, 'preload.js'),
      "require('fs').writeFileSync(__dirname + '/PRELOADED', '');\n",
    );
    fs.appendFileSync(
      path.join(folder.stack, 'main.tf'),
      'provider "ovirt" {\n  username = "admin@internal"\n  password = "x"\n}\ndata "ovirt_cluster" "c" {\n  name = "Default"\n}\n',
    );
    const env = bare('dotenv', { TF_CLI_CONFIG_FILE: folder.rc });
    ok(await run('terraform', ['init', '-lockfile=readonly', '-no-color'], folder.stack, env));
    const plan = await run('terraform', ['plan', '-no-color'], folder.stack, env);
    expect(plan.code).toBe(1);
    expect(plan.out.replace(/\s+/g, ' ')).toContain('No engine URL is configured');
    expect(fs.existsSync(path.join(folder.stack, 'PRELOADED'))).toBe(false);
  });

  it('terraform computes the same h1 hash as install-provider (terraform init without a lock file)', async () => {
    const installC = await installIn('c');
    const ours = fs.readFileSync(path.join(installC.stack, '.terraform.lock.hcl'), 'utf8');
    fs.rmSync(path.join(installC.stack, '.terraform.lock.hcl'));
    ok(await run('terraform', ['init', '-no-color'], installC.stack, bare('c', { TF_CLI_CONFIG_FILE: installC.rc })));
    const theirs = fs.readFileSync(path.join(installC.stack, '.terraform.lock.hcl'), 'utf8');
    const h1 = (text: string) =>
      lockBlocks(text)
        .get(SOURCE)
        ?.match(/"h1:[^"]+"/g);
    expect(h1(theirs)).toHaveLength(1);
    expect(h1(ours)).toContain(h1(theirs)![0]);
  });

  it('unpacked install gives the same lock file and works the same', async () => {
    const unpacked = await installIn('d', '--unpacked');
    const lock = fs.readFileSync(path.join(unpacked.stack, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toBe(fs.readFileSync(path.join((await installIn('d-packed')).stack, '.terraform.lock.hcl'), 'utf8'));
    ok(
      await run(
        'terraform',
        ['init', '-lockfile=readonly', '-no-color'],
        unpacked.stack,
        bare('d', { TF_CLI_CONFIG_FILE: unpacked.rc }),
      ),
    );
  });

  it('terraform init from the release as a network mirror over HTTPS (self-signed CA via SSL_CERT_FILE)', async () => {
    const certs = certificates(path.join(tmp, 'certs'));
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
      const file = path.join(RELEASE, decodeURIComponent(new URL(req.url ?? '/', 'https://x').pathname));
      if (!file.startsWith(`${RELEASE}${path.sep}`) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/zip' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const dir = path.join(tmp, 'net', 'stack');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'main.tf'), MAIN_TF);
      const rc = path.join(tmp, 'net', 'terraform.tfrc');
      fs.writeFileSync(
        rc,
        `provider_installation {\n  network_mirror {\n    url     = "${url}"\n    include = ["${SOURCE}"]\n  }\n  direct {\n    exclude = ["${SOURCE}"]\n  }\n}\n`,
      );
      fs.copyFileSync(
        path.join((await installIn('net-lock')).stack, '.terraform.lock.hcl'),
        path.join(dir, '.terraform.lock.hcl'),
      );
      ok(
        await run(
          'terraform',
          ['init', '-lockfile=readonly', '-no-color'],
          dir,
          bare('net', { TF_CLI_CONFIG_FILE: rc, SSL_CERT_FILE: certs.caFile }),
        ),
      );
      ok(
        await run(
          'terraform',
          ['providers', 'schema', '-json'],
          dir,
          bare('net', { TF_CLI_CONFIG_FILE: rc, SSL_CERT_FILE: certs.caFile }),
        ),
      );
      // Without the CA, Terraform refuses the mirror: TLS verification is on.
      fs.rmSync(path.join(dir, '.terraform'), { recursive: true });
      const untrusted = await run('terraform', ['init', '-no-color'], dir, bare('net', { TF_CLI_CONFIG_FILE: rc }));
      expect(untrusted.code).not.toBe(0);
      expect(untrusted.out).toMatch(/certificate/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a rebuild of the same code in another folder is byte-identical; changed code changes the hashes and the old lock refuses it', async () => {
    // Another clone: this package's build output in a folder of another name and depth, its
    // node_modules a symlink to this one's (as a shared or cached install would be).
    const clone = path.join(tmp, 'elsewhere', 'clone');
    fs.mkdirSync(clone, { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(clone, 'package.json'));
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'src'), path.join(clone, 'dist', 'src'), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    const same = path.join(tmp, 'same');
    ok(
      await run(
        process.execPath,
        [path.join(clone, 'dist', 'src', 'cli', 'release.js'), '--out', same, '--platform', 'host'],
        clone,
        process.env,
      ),
    );
    const files = fs
      .readdirSync(RELEASE)
      .filter((f) => f.startsWith('terraform-provider-'))
      .sort();
    expect(
      fs
        .readdirSync(same)
        .filter((f) => f.startsWith('terraform-provider-'))
        .sort(),
    ).toEqual(files);
    for (const f of [...files, 'terraform.local/ovirt-cdktf/ovirt/0.1.0.json']) {
      expect(fs.readFileSync(path.join(same, f)).equals(fs.readFileSync(path.join(RELEASE, f)))).toBe(true);
    }

    const entry = path.join(tmp, 'changed-main.js');
    fs.writeFileSync(
      entry,
      `require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'src', 'provider', 'main.js'))});\nglobalThis.changed = 1;\n`,
    );
    const changed = path.join(tmp, 'changed');
    await buildRelease({ outDir: changed, platforms: ['linux_amd64'], bytecode: true, entry });
    const changedInstall = await installIn('e', '--release', changed);
    const lockE = fs.readFileSync(path.join(changedInstall.stack, '.terraform.lock.hcl'), 'utf8');
    const lockA = fs.readFileSync(path.join((await installIn('before-change')).stack, '.terraform.lock.hcl'), 'utf8');
    const hashes = (lockText: string) =>
      lockBlocks(lockText)
        .get(SOURCE)!
        .match(/"(h1|zh):[^"]+"/g);
    expect(hashes(lockE)!.filter((h) => hashes(lockA)!.includes(h))).toEqual([]);
    fs.writeFileSync(path.join(changedInstall.stack, '.terraform.lock.hcl'), lockA);
    const refused = await run(
      'terraform',
      ['init', '-lockfile=readonly', '-no-color'],
      changedInstall.stack,
      bare('e', { TF_CLI_CONFIG_FILE: changedInstall.rc }),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/doesn't match any of the\s+checksums previously recorded/);
  }, 600_000);
});

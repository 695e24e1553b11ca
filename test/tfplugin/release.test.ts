/**
 * The release format and the checked install, on small releases made here (a fake ELF header
 * stands in for the executable; test/cli/install-provider.test.ts and
 * test/cli/release-arm64.e2e.test.ts cover the real ones with terraform).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InstallError, installRelease, type ReleaseInstallOptions } from '../../src/tfplugin/install';
import { updateLockText } from '../../src/tfplugin/lockfile';
import { releaseNames, writeRelease } from '../../src/tfplugin/release/artifacts';
import { h1Hash, sha256Hex } from '../../src/tfplugin/release/hashes';
import { readZip, writeZip, ZipError } from '../../src/tfplugin/release/zip';

const ID = { hostname: 'terraform.local', namespace: 'ovirt-cdktf', type: 'ovirt', version: '0.1.0' };
const NAMES = releaseNames(ID);

/** An ELF header for `machine` (62 x86-64, 183 aarch64) followed by some bytes. */
function fakeElf(machine: number, tail = 'provider'): Buffer {
  const elf = Buffer.alloc(64);
  elf.write('\x7fELF', 0, 'latin1');
  elf[4] = 2;
  elf[5] = 1;
  elf[6] = 1;
  elf.writeUInt16LE(2, 16);
  elf.writeUInt16LE(machine, 18);
  return Buffer.concat([elf, Buffer.from(tail)]);
}

/** Lists every file under `dir` with its SHA-256 (what "nothing changed" compares). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const e of fs.readdirSync(folder, { withFileTypes: true })) {
      const entryPath = path.join(folder, e.name);
      if (e.isDirectory()) walk(entryPath);
      else out[path.relative(dir, entryPath)] = sha256Hex(fs.readFileSync(entryPath));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe('release artifacts and install', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-test-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Writes a release of fake executables into tmp/<name>; returns its folder. */
  function release(
    name: string,
    exes: Record<string, Buffer> = { linux_amd64: fakeElf(62), linux_arm64: fakeElf(183) },
    version = ID.version,
    gpgKey?: string,
    env?: NodeJS.ProcessEnv,
  ): string {
    const outDir = path.join(tmp, name);
    const executables: Record<string, string> = {};
    for (const [p, data] of Object.entries(exes)) {
      executables[p] = path.join(tmp, `${name}-${p}`);
      fs.writeFileSync(executables[p]!, data);
    }
    writeRelease({ ...ID, version, outDir, executables, gpgKey, env });
    return outDir;
  }

  const install = (releaseDir: string, more: Partial<ReleaseInstallOptions> = {}) =>
    installRelease({
      ...ID,
      releaseDir,
      mirrorDir: path.join(tmp, 'mirror'),
      cliConfigPath: path.join(tmp, 'tf.rc'),
      platform: 'linux_amd64',
      lockDirs: [path.join(tmp, 'stack')],
      ...more,
    });

  it('zips deterministically and reads back what it wrote, checking CRCs', () => {
    const entries = [
      { name: 'b', data: Buffer.from('bee'), mode: 0o644 },
      { name: 'a', data: fakeElf(62), mode: 0o755 },
    ];
    const zip = writeZip(entries);
    expect(writeZip([...entries].reverse())).toEqual(zip);
    expect(readZip(zip).map((e) => [e.name, e.data.toString('hex'), e.mode])).toEqual([
      ['a', fakeElf(62).toString('hex'), 0o755],
      ['b', Buffer.from('bee').toString('hex'), 0o644],
    ]);
    expect(() => readZip(zip.subarray(0, zip.length - 30))).toThrow(ZipError);
    const flipped = Buffer.from(zip);
    flipped[40] = flipped[40]! ^ 0xff;
    expect(() => readZip(flipped)).toThrow(ZipError);
  });

  it('h1 is dirhash Hash1: sha256 of "<hex sha256>  <name>\\n" lines sorted by name, base64', () => {
    // Computed by hand with sha256sum: printf 'x' / printf 'y', then the summary below.
    const summary = `${sha256Hex('y')}  a\n${sha256Hex('x')}  b\n`;
    const expected = `h1:${Buffer.from(sha256Hex(summary), 'hex').toString('base64')}`;
    expect(
      h1Hash([
        { name: 'b', data: Buffer.from('x') },
        { name: 'a', data: Buffer.from('y') },
      ]),
    ).toBe(expected);
  });

  it('writes zips, SHA256SUMS, the manifest and a network-mirror tree whose hashes agree', () => {
    const dir = release('r');
    const sums = fs.readFileSync(path.join(dir, NAMES.sums), 'utf8');
    const files = [NAMES.zip('linux_amd64'), NAMES.zip('linux_arm64'), NAMES.manifest];
    expect(sums).toBe(files.map((f) => `${sha256Hex(fs.readFileSync(path.join(dir, f)))}  ${f}\n`).join(''));
    expect(JSON.parse(fs.readFileSync(path.join(dir, NAMES.manifest), 'utf8'))).toEqual({
      version: 1,
      metadata: { protocol_versions: ['6.0'] },
    });
    const mirror = path.join(dir, 'terraform.local', 'ovirt-cdktf', 'ovirt');
    expect(JSON.parse(fs.readFileSync(path.join(mirror, 'index.json'), 'utf8'))).toEqual({ versions: { '0.1.0': {} } });
    const archives = (
      JSON.parse(fs.readFileSync(path.join(mirror, '0.1.0.json'), 'utf8')) as {
        archives: Record<string, { url: string; hashes: string[] }>;
      }
    ).archives;
    const zip = fs.readFileSync(path.join(dir, NAMES.zip('linux_amd64')));
    expect(archives.linux_amd64).toEqual({
      url: `../../../${NAMES.zip('linux_amd64')}`,
      hashes: [h1Hash(readZip(zip)), `zh:${sha256Hex(zip)}`],
    });
    expect(readZip(zip).map((e) => [e.name, e.mode])).toEqual([['terraform-provider-ovirt_v0.1.0', 0o755]]);
    // The same executables give the same bytes.
    const again = release('r2');
    for (const f of [...files, NAMES.sums])
      expect(fs.readFileSync(path.join(again, f))).toEqual(fs.readFileSync(path.join(dir, f)));
  });

  it('installs the packed zip, and every lock file gets the same h1 and zh hashes (all platforms)', () => {
    const dir = release('r');
    const result = install(dir);
    expect(fs.readFileSync(result.installed)).toEqual(fs.readFileSync(path.join(dir, NAMES.zip('linux_amd64'))));
    expect(path.relative(tmp, result.installed)).toBe(
      `mirror/terraform.local/ovirt-cdktf/ovirt/${NAMES.zip('linux_amd64')}`,
    );
    const mirrorJson = JSON.parse(
      fs.readFileSync(path.join(dir, 'terraform.local/ovirt-cdktf/ovirt/0.1.0.json'), 'utf8'),
    ) as { archives: Record<string, { hashes: string[] }> };
    expect(result.hashes).toEqual(
      Object.values(mirrorJson.archives)
        .flatMap((a) => a.hashes)
        .sort(),
    );
    const lock = fs.readFileSync(path.join(tmp, 'stack', '.terraform.lock.hcl'), 'utf8');
    expect(lock).toBe(
      updateLockText('', {
        address: 'terraform.local/ovirt-cdktf/ovirt',
        version: '0.1.0',
        constraints: '0.1.0',
        hashes: result.hashes,
      }),
    );
    const other = installRelease({
      ...ID,
      releaseDir: dir,
      mirrorDir: path.join(tmp, 'elsewhere', 'm'),
      platform: 'linux_amd64',
      lockDirs: [path.join(tmp, 'stack2')],
    });
    expect(fs.readFileSync(other.lockFiles[0]!, 'utf8')).toBe(lock);
  });

  it('unpacked layout: the executable in <version>/<platform>/, replacing the zip of the same version', () => {
    const dir = release('r');
    install(dir);
    const result = install(dir, { layout: 'unpacked' });
    expect(path.relative(tmp, result.installed)).toBe(
      'mirror/terraform.local/ovirt-cdktf/ovirt/0.1.0/linux_amd64/terraform-provider-ovirt_v0.1.0',
    );
    expect(fs.statSync(result.installed).mode & 0o777).toBe(0o755);
    expect(Object.keys(snapshot(path.join(tmp, 'mirror')))).toEqual([
      'terraform.local/ovirt-cdktf/ovirt/0.1.0/linux_amd64/terraform-provider-ovirt_v0.1.0',
    ]);
  });

  it('lock file update keeps other providers, sorted by address, and is idempotent', () => {
    const aws =
      'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.0.0"\n  hashes = [\n    "h1:x",\n  ]\n}\n';
    const text = updateLockText(`# header\n\n${aws}`, {
      address: 'terraform.local/ovirt-cdktf/ovirt',
      version: '0.1.0',
      hashes: ['zh:b', 'h1:a'],
    });
    expect(text.indexOf('registry.terraform.io')).toBeLessThan(text.indexOf('terraform.local'));
    expect(text).toContain(aws);
    expect(text).toContain('  hashes = [\n    "h1:a",\n    "zh:b",\n  ]\n');
    expect(
      updateLockText(text, {
        address: 'terraform.local/ovirt-cdktf/ovirt',
        version: '0.1.0',
        hashes: ['zh:b', 'h1:a'],
      }),
    ).toBe(text);
  });

  describe('refuses bad input with one line and changes nothing installed', () => {
    let good: string;
    let before: Record<string, string>;
    beforeEach(() => {
      good = release('good');
      install(good);
      before = { ...snapshot(path.join(tmp, 'mirror')), ...snapshot(path.join(tmp, 'stack')) };
    });

    /** Expects the install of `dir` to be refused with a one-line message matching `message`. */
    function expectRefused(dir: string, message: RegExp, more: Partial<ReleaseInstallOptions> = {}): void {
      let err: unknown;
      try {
        install(dir, more);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InstallError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
      expect({ ...snapshot(path.join(tmp, 'mirror')), ...snapshot(path.join(tmp, 'stack')) }).toEqual(before);
    }

    it('a zip whose checksum does not match SHA256SUMS', () => {
      const dir = release('bad');
      const zip = path.join(dir, NAMES.zip('linux_amd64'));
      const bytes = fs.readFileSync(zip);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
      fs.writeFileSync(zip, bytes);
      expectRefused(
        dir,
        /^checksum mismatch: terraform-provider-ovirt_0\.1\.0_linux_amd64\.zip does not match its SHA256SUMS entry .*download the release again$/,
      );
    });

    it('a truncated zip (even with a matching SHA256SUMS)', () => {
      const dir = release('bad');
      const zip = path.join(dir, NAMES.zip('linux_amd64'));
      const cut = fs.readFileSync(zip).subarray(0, 50);
      fs.writeFileSync(zip, cut);
      fs.writeFileSync(path.join(dir, NAMES.sums), `${sha256Hex(cut)}  ${NAMES.zip('linux_amd64')}\n`);
      expectRefused(
        dir,
        /^terraform-provider-ovirt_0\.1\.0_linux_amd64\.zip is not a readable zip \(.*\); download the release again$/,
      );
    });

    it('a release folder for another version', () => {
      expectRefused(
        release('old', undefined, '0.0.9'),
        /holds version 0\.0\.9 of terraform-provider-ovirt, not 0\.1\.0: use the release of 0\.1\.0$/,
      );
    });

    it('an executable built for another platform', () => {
      const dir = release('bad', { linux_amd64: fakeElf(183) });
      expectRefused(
        dir,
        /^terraform-provider-ovirt_0\.1\.0_linux_amd64\.zip holds an executable for linux_arm64, not linux_amd64: use the release built for linux_amd64$/,
      );
      expectRefused(
        release('bad2', { linux_amd64: Buffer.from('MZ not an ELF') }),
        /holds an executable for another system \(not ELF\), not linux_amd64/,
      );
    });

    it('a platform the release does not have', () => {
      expectRefused(good, /is not listed in the release's SHA256SUMS: this release has no linux_386 package$/, {
        platform: 'linux_386',
      });
    });

    it('a signature that does not verify (a throw-away GPG key)', () => {
      const gnupg = path.join(tmp, 'gnupg');
      fs.mkdirSync(gnupg, { mode: 0o700 });
      const env = { ...process.env, GNUPGHOME: gnupg };
      const gpg = (...args: string[]) =>
        execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
          env,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      gpg('--quick-generate-key', 'release-test@example.invalid', 'ed25519', 'sign', '1d');
      gpg('--quick-generate-key', 'someone-else@example.invalid', 'ed25519', 'sign', '1d');
      fs.writeFileSync(path.join(tmp, 'release.asc'), gpg('--armor', '--export', 'release-test@example.invalid'));
      fs.writeFileSync(path.join(tmp, 'other.asc'), gpg('--armor', '--export', 'someone-else@example.invalid'));
      const signed = release('signed', undefined, ID.version, 'release-test@example.invalid', env);
      // The right key verifies; another key, a changed SHA256SUMS or a missing .sig is refused.
      expect(
        install(signed, {
          verifyKey: path.join(tmp, 'release.asc'),
          mirrorDir: path.join(tmp, 'mirror2'),
          lockDirs: [],
        }).hashes.length,
      ).toBe(4);
      expectRefused(
        signed,
        /^the signature terraform-provider-ovirt_0\.1\.0_SHA256SUMS\.sig does not verify with .*other\.asc: the release was changed or signed by another key; get it again from its publisher$/,
        { verifyKey: path.join(tmp, 'other.asc') },
      );
      fs.appendFileSync(path.join(signed, NAMES.sums), '\n');
      expectRefused(signed, /does not verify with .*release\.asc/, { verifyKey: path.join(tmp, 'release.asc') });
      expectRefused(good, /_SHA256SUMS\.sig is missing: a signed release is required/, {
        verifyKey: path.join(tmp, 'release.asc'),
      });
    });
  });
});

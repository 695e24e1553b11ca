/**
 * Installs a provider into a Terraform filesystem mirror and writes a CLI config that takes this
 * provider from the mirror and everything else from the normal registry. Two ways:
 * - {@link installRelease}: from a release folder (see ./release/artifacts), checked, as the
 *   packed zip (or unpacked), with lock-file entries whose hashes are the same on every machine.
 *   This is how users install.
 * - {@link installProvider}: a launcher script that `exec`s node on compiled JavaScript, in the
 *   unpacked layout. Its hash depends on this machine's paths; it is for providers that are never
 *   released (the SDK's test providers), where building a single executable would cost more
 *   than the test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { updateLockFile } from './lockfile';
import { releaseNames, writeAtomic, type ProviderId } from './release/artifacts';
import { h1Hash, sha256Hex } from './release/hashes';
import { readZip, ZipError, type ZipEntry } from './release/zip';

/** What to install and where. */
export interface InstallOptions {
  /** Mirror root directory (created when missing). */
  mirrorDir: string;
  /** Compiled JavaScript entry that calls `serve(...)`. */
  entry: string;
  hostname: string;
  namespace: string;
  type: string;
  version: string;
  /** Node executable the launcher runs; defaults to the current one. */
  nodePath?: string;
  /** Extra node flags, e.g. ['--enable-source-maps']. */
  nodeArgs?: string[];
  /** Where to write the CLI config; defaults to `<mirrorDir>/../terraform.tfrc` style `<mirrorDir>.tfrc`. */
  cliConfigPath?: string;
}

/** Paths produced by {@link installProvider}. */
export interface InstallResult {
  /** The provider's source address, e.g. `terraform.local/ovirt-cdktf/ovirt`. */
  source: string;
  /** The launcher script. */
  executable: string;
  /** The CLI config file to point TF_CLI_CONFIG_FILE at. */
  cliConfigPath: string;
}

/** Terraform's os_arch name of this machine. */
export function platform(): string {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Text of the launcher script. */
export function launcherScript(nodePath: string, entry: string, nodeArgs: string[] = []): string {
  const args = [nodePath, ...nodeArgs, entry].map(shellQuote).join(' ');
  return `#!/bin/sh\n# Launcher installed by ovirt-cdktf: runs the provider's compiled JavaScript.\nexec ${args} "$@"\n`;
}

/** Text of a CLI config using `mirrorDir` for `source` and direct installation for the rest. */
export function cliConfig(mirrorDir: string, source: string): string {
  const quote = JSON.stringify;
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${quote(mirrorDir)}\n    include = [${quote(source)}]\n  }\n  direct {\n    exclude = [${quote(source)}]\n  }\n}\n`;
}

/** Installs the launcher into the mirror and writes the CLI config. */
export function installProvider(options: InstallOptions): InstallResult {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(options.version))
    throw new Error(`version "${options.version}" is not semver (x.y.z)`);
  if (!/^[a-z0-9-]+$/.test(options.type))
    throw new Error(`provider type "${options.type}" must be lower-case letters, digits and dashes`);
  const entry = path.resolve(options.entry);
  if (!fs.existsSync(entry)) throw new Error(`provider entry ${entry} does not exist (run \`npm run build\` first)`);
  const mirrorDir = path.resolve(options.mirrorDir);
  const source = `${options.hostname}/${options.namespace}/${options.type}`;
  const pkgDir = path.join(mirrorDir, options.hostname, options.namespace, options.type, options.version, platform());
  fs.mkdirSync(pkgDir, { recursive: true });
  const executable = path.join(pkgDir, `terraform-provider-${options.type}`);
  const script = launcherScript(options.nodePath ?? process.execPath, entry, options.nodeArgs);
  // Rewrite only when different, so the package (and the lock-file hash) stays byte-identical.
  if (!fs.existsSync(executable) || fs.readFileSync(executable, 'utf8') !== script)
    fs.writeFileSync(executable, script);
  fs.chmodSync(executable, 0o755);
  const cliConfigPath = path.resolve(options.cliConfigPath ?? `${mirrorDir}.tfrc`);
  fs.mkdirSync(path.dirname(cliConfigPath), { recursive: true });
  fs.writeFileSync(cliConfigPath, cliConfig(mirrorDir, source));
  return { source, executable, cliConfigPath };
}

/** A release package refused by {@link installRelease}: one line saying what is wrong and what to do. */
export class InstallError extends Error {}

/** What {@link installRelease} installs, and where. */
export interface ReleaseInstallOptions extends ProviderId {
  /** The folder holding the release (zips, SHA256SUMS, optional .sig). */
  releaseDir: string;
  /** Mirror root directory (created when missing). */
  mirrorDir: string;
  /** Where to write the CLI config (default `<mirrorDir>.tfrc`). */
  cliConfigPath?: string;
  /** Terraform's `<os>_<arch>` to install (default this machine's). */
  platform?: string;
  /** `packed` (the zip, as Terraform's filesystem mirrors take it; default) or `unpacked`. */
  layout?: 'packed' | 'unpacked';
  /** Folders whose `.terraform.lock.hcl` gets this provider's entry (written or updated). */
  lockDirs?: string[];
  /** An ASCII-armoured public key: SHA256SUMS must carry a valid signature by it. */
  verifyKey?: string;
}

/** What {@link installRelease} did. */
export interface ReleaseInstallResult {
  source: string;
  /** The installed zip (packed) or executable (unpacked). */
  installed: string;
  cliConfigPath: string;
  /** The hashes written to lock files (`h1:` of every platform's zip present, `zh:` of every one listed). */
  hashes: string[];
  lockFiles: string[];
}

/** ELF machine numbers of the architectures a release may hold. */
const ELF_MACHINE: Record<string, number> = { amd64: 62, arm64: 183, '386': 3, arm: 40 };

function refuse(text: string): never {
  throw new InstallError(text);
}

function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *]?(\S+)$/.exec(line);
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

function verifySignature(sumsPath: string, sigPath: string, keyFile: string): void {
  if (!fs.existsSync(sigPath))
    refuse(`${sigPath} is missing: a signed release is required (--verify-key); get the release with its .sig file`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'gpg-verify-'));
  try {
    const gpg = (args: string[]) =>
      spawnSync('gpg', ['--batch', '--homedir', home, ...args], { stdio: 'ignore' }).status;
    if (gpg(['--import', keyFile]) !== 0)
      refuse(`${keyFile} is not a GPG public key: pass the armoured public key the release was signed with`);
    if (gpg(['--verify', sigPath, sumsPath]) !== 0)
      refuse(
        `the signature ${path.basename(sigPath)} does not verify with ${keyFile}: the release was changed or signed by another key; get it again from its publisher`,
      );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Reads and checks one platform's zip against SHA256SUMS and the platform it is named for. */
function checkedPackage(
  dir: string,
  zipName: string,
  sums: Map<string, string>,
  executable: string,
  platformName: string,
): ZipEntry[] {
  const file = path.join(dir, zipName);
  if (!sums.has(zipName))
    refuse(`${zipName} is not listed in the release's SHA256SUMS: this release has no ${platformName} package`);
  if (!fs.existsSync(file)) refuse(`${file} is missing: copy the whole release folder`);
  const zip = fs.readFileSync(file);
  if (sha256Hex(zip) !== sums.get(zipName))
    refuse(
      `checksum mismatch: ${zipName} does not match its SHA256SUMS entry (damaged or changed); download the release again`,
    );
  let entries: ZipEntry[];
  try {
    entries = readZip(zip);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    refuse(`${zipName} is not a readable zip (${error.message}); download the release again`);
  }
  const exe = entries.find((e) => e.name === executable);
  if (!exe) refuse(`${zipName} holds no ${executable}: it is not a release of this provider version`);
  const arch = platformName.split('_')[1] ?? '';
  const elf = exe.data.length >= 20 && exe.data.readUInt32BE(0) === 0x7f454c46;
  const machine = elf ? exe.data.readUInt16LE(18) : -1;
  if (!platformName.startsWith('linux_') || machine !== ELF_MACHINE[arch]) {
    const found = Object.entries(ELF_MACHINE).find(([, m]) => m === machine)?.[0];
    refuse(
      `${zipName} holds an executable for ${elf ? `linux_${found ?? `ELF machine ${machine}`}` : 'another system (not ELF)'}, not ${platformName}: use the release built for ${platformName}`,
    );
  }
  return entries;
}

/**
 * Installs a provider from its release folder into a filesystem mirror, after checking it all
 * (version, checksums, optional signature, zip integrity, platform): a refused release changes
 * nothing. Writes the CLI config and, for each of `lockDirs`, the provider's lock-file entry with
 * the release's hashes, which are the same wherever it is installed.
 */
export function installRelease(options: ReleaseInstallOptions): ReleaseInstallResult {
  const names = releaseNames(options);
  const dir = path.resolve(options.releaseDir);
  const sumsPath = path.join(dir, names.sums);
  if (!fs.existsSync(sumsPath)) {
    const other = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .map((f) => new RegExp(`^terraform-provider-${options.type}_(.+)_SHA256SUMS$`).exec(f)?.[1])
          .find(Boolean)
      : undefined;
    if (other)
      refuse(
        `${dir} holds version ${other} of terraform-provider-${options.type}, not ${options.version}: use the release of ${options.version}`,
      );
    refuse(
      `${dir} holds no ${names.sums}: point at the folder \`npm run release\` wrote (or the unpacked release download)`,
    );
  }
  if (options.verifyKey) verifySignature(sumsPath, path.join(dir, names.signature), options.verifyKey);
  const sums = parseSums(fs.readFileSync(sumsPath, 'utf8'));
  const target = options.platform ?? platform();
  const entries = checkedPackage(dir, names.zip(target), sums, names.executable, target);
  // The other platforms' h1 hashes too, so the lock file works on every machine of a team.
  const hashes = [h1Hash(entries)];
  for (const [file, hex] of sums) {
    const zipPlatform = new RegExp(
      `^terraform-provider-${options.type}_${options.version.replace(/\./g, '\\.')}_(\\w+_\\w+)\\.zip$`,
    ).exec(file)?.[1];
    if (!zipPlatform) continue;
    hashes.push(`zh:${hex}`);
    if (zipPlatform !== target && fs.existsSync(path.join(dir, file)))
      hashes.push(h1Hash(checkedPackage(dir, file, sums, names.executable, zipPlatform)));
  }

  const mirrorDir = path.resolve(options.mirrorDir);
  const source = `${options.hostname}/${options.namespace}/${options.type}`;
  const typeDir = path.join(mirrorDir, options.hostname, options.namespace, options.type);
  const unpackedDir = path.join(typeDir, options.version, target);
  const packedZip = path.join(typeDir, names.zip(target));
  fs.mkdirSync(typeDir, { recursive: true });
  let installed: string;
  // One package per version and platform: the other layout (or an old launcher) is removed.
  if (options.layout === 'unpacked') {
    fs.rmSync(packedZip, { force: true });
    fs.rmSync(unpackedDir, { recursive: true, force: true });
    fs.mkdirSync(unpackedDir, { recursive: true });
    for (const e of entries) writeAtomic(path.join(unpackedDir, e.name), e.data, e.mode || 0o644);
    installed = path.join(unpackedDir, names.executable);
  } else {
    fs.rmSync(unpackedDir, { recursive: true, force: true });
    writeAtomic(packedZip, fs.readFileSync(path.join(dir, names.zip(target))));
    installed = packedZip;
  }
  const cliConfigPath = path.resolve(options.cliConfigPath ?? `${mirrorDir}.tfrc`);
  fs.mkdirSync(path.dirname(cliConfigPath), { recursive: true });
  writeAtomic(cliConfigPath, cliConfig(mirrorDir, source));
  const lockFiles = (options.lockDirs ?? []).map((lockDir) =>
    updateLockFile(path.resolve(lockDir), {
      address: source,
      version: options.version,
      constraints: options.version,
      hashes,
    }),
  );
  return { source, installed, cliConfigPath, hashes: [...new Set(hashes)].sort(), lockFiles };
}

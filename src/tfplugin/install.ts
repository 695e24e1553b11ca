/**
 * Installs a Node-based provider into a Terraform filesystem mirror
 * (`<mirror>/<hostname>/<namespace>/<type>/<version>/<os_arch>/terraform-provider-<type>`) as a
 * small launcher script that `exec`s node on compiled JavaScript, and writes a CLI config that
 * takes this provider from the mirror and everything else from the normal registry. The
 * launcher's bytes depend only on its paths, so reinstalling keeps the lock-file hash valid.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text of the launcher script. */
export function launcherScript(nodePath: string, entry: string, nodeArgs: string[] = []): string {
  const args = [nodePath, ...nodeArgs, entry].map(shellQuote).join(' ');
  return `#!/bin/sh\n# Launcher installed by ovirt-cdktf: runs the provider's compiled JavaScript.\nexec ${args} "$@"\n`;
}

/** Text of a CLI config using `mirrorDir` for `source` and direct installation for the rest. */
export function cliConfig(mirrorDir: string, source: string): string {
  const q = JSON.stringify;
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${q(mirrorDir)}\n    include = [${q(source)}]\n  }\n  direct {\n    exclude = [${q(source)}]\n  }\n}\n`;
}

/** Installs the launcher into the mirror and writes the CLI config. */
export function installProvider(o: InstallOptions): InstallResult {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(o.version)) throw new Error(`version "${o.version}" is not semver (x.y.z)`);
  if (!/^[a-z0-9-]+$/.test(o.type)) throw new Error(`provider type "${o.type}" must be lower-case letters, digits and dashes`);
  const entry = path.resolve(o.entry);
  if (!fs.existsSync(entry)) throw new Error(`provider entry ${entry} does not exist (run \`npm run build\` first)`);
  const mirrorDir = path.resolve(o.mirrorDir);
  const source = `${o.hostname}/${o.namespace}/${o.type}`;
  const pkgDir = path.join(mirrorDir, o.hostname, o.namespace, o.type, o.version, platform());
  fs.mkdirSync(pkgDir, { recursive: true });
  const executable = path.join(pkgDir, `terraform-provider-${o.type}`);
  const script = launcherScript(o.nodePath ?? process.execPath, entry, o.nodeArgs);
  // Rewrite only when different, so the package (and the lock-file hash) stays byte-identical.
  if (!fs.existsSync(executable) || fs.readFileSync(executable, 'utf8') !== script) fs.writeFileSync(executable, script);
  fs.chmodSync(executable, 0o755);
  const cliConfigPath = path.resolve(o.cliConfigPath ?? `${mirrorDir}.tfrc`);
  fs.mkdirSync(path.dirname(cliConfigPath), { recursive: true });
  fs.writeFileSync(cliConfigPath, cliConfig(mirrorDir, source));
  return { source, executable, cliConfigPath };
}

/**
 * `ovirt-cdktf install-provider [--dir DIR] [--release DIR] [--lock DIR]... [--verify-key FILE] [--unpacked]`:
 * installs terraform-provider-ovirt from its release (by default the one this package ships in
 * dist/release, built by `npm run build`) into a filesystem mirror, writes a CLI config using the
 * mirror for this provider and the registry for all others, writes the provider's entry into each
 * `--lock` folder's `.terraform.lock.hcl`, and prints the `TF_CLI_CONFIG_FILE=...` line and the
 * provider's source address. The hashes come from the release, so every machine gets the same lock file.
 */
import * as path from 'node:path';
import { InstallError, installRelease, type ReleaseInstallResult } from '../tfplugin/install';
import { PROVIDER_VERSION } from '../provider/version';

const HELP = `Usage: ovirt-cdktf install-provider [options]

Installs the ovirt provider (a single executable: no Node needed to run it) into a Terraform
filesystem mirror, so that \`terraform init\` and \`cdktf deploy\` find it offline.

Options:
  --dir DIR          where to put the mirror and the CLI config (default ./.ovirt-cdktf)
  --release DIR      the release folder to install from (default: the one in this package)
  --lock DIR         write the provider's hashes into DIR/.terraform.lock.hcl (repeatable), e.g.
                     each cdktf stack folder cdktf.out/stacks/<stack>; commit those files
  --verify-key FILE  require SHA256SUMS.sig to verify with this armoured GPG public key
  --unpacked         install the unpacked executable instead of the zip
  -h, --help         this text

Then: export the printed TF_CLI_CONFIG_FILE line, and use the printed source address in
required_providers.
`;

/** The provider's identity (fixed by the project). */
export const OVIRT_PROVIDER = { hostname: 'terraform.local', namespace: 'ovirt-cdktf', type: 'ovirt' } as const;

/** The release this package ships (`npm run build` writes it; it is in the npm package). */
export function packagedRelease(): string {
  // This file is dist/src/cli/install-provider.js, so dist is two levels up.
  return path.resolve(__dirname, '..', '..', 'release');
}

/** What {@link installOvirtProvider} takes besides the folder. */
export interface OvirtInstallOptions {
  release?: string;
  lockDirs?: string[];
  verifyKey?: string;
  unpacked?: boolean;
}

/** Installs the oVirt provider under `dir` (mirror in dir/mirror, config in dir/terraform.tfrc). */
export function installOvirtProvider(dir: string, options: OvirtInstallOptions = {}): ReleaseInstallResult {
  return installRelease({
    ...OVIRT_PROVIDER,
    version: PROVIDER_VERSION,
    releaseDir: options.release ?? packagedRelease(),
    mirrorDir: path.join(path.resolve(dir), 'mirror'),
    cliConfigPath: path.join(path.resolve(dir), 'terraform.tfrc'),
    lockDirs: options.lockDirs,
    verifyKey: options.verifyKey,
    layout: options.unpacked ? 'unpacked' : 'packed',
  });
}

const VALUED = new Set(['--dir', '--release', '--lock', '--verify-key']);

/** The command. */
export async function installProviderCommand(args: string[]): Promise<number> {
  let dir = '.ovirt-cdktf';
  const options: OvirtInstallOptions & { lockDirs: string[] } = { lockDirs: [] };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) [arg, value] = [arg.slice(0, eq), arg.slice(eq + 1)];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (arg === '--unpacked') {
      options.unpacked = true;
      continue;
    }
    if (!VALUED.has(arg)) {
      process.stderr.write(`install-provider: unknown option "${arg}"\n\n${HELP}`);
      return 2;
    }
    value ??= args[++i];
    if (!value) {
      process.stderr.write(`install-provider: ${arg} needs a value\n`);
      return 2;
    }
    if (arg === '--dir') dir = value;
    else if (arg === '--release') options.release = value;
    else if (arg === '--lock') options.lockDirs.push(value);
    else options.verifyKey = value;
  }
  let result: ReleaseInstallResult;
  try {
    result = installOvirtProvider(dir, options);
  } catch (err) {
    if (!(err instanceof InstallError)) throw err;
    process.stderr.write(`install-provider: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`installed ${result.installed}\n`);
  for (const f of result.lockFiles) process.stderr.write(`lock file ${f}\n`);
  process.stdout.write(`TF_CLI_CONFIG_FILE=${result.cliConfigPath}\n${result.source}\n`);
  return 0;
}

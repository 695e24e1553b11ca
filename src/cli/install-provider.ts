/**
 * `ovirt-cdktf install-provider [--dir DIR]`: installs `terraform-provider-ovirt` (a launcher
 * that execs node on this package's compiled provider) into a filesystem mirror, writes a CLI
 * config using the mirror for this provider and the registry for all others, and prints the
 * `TF_CLI_CONFIG_FILE=...` line and the provider's source address.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installProvider, type InstallResult } from '../tfplugin/install';
import { PROVIDER_VERSION } from '../provider/version';

const HELP = `Usage: ovirt-cdktf install-provider [--dir DIR]

Installs the ovirt provider into a Terraform filesystem mirror so that \`terraform init\`
(and \`cdktf get\` / \`cdktf deploy\`) find it offline.

Options:
  --dir DIR     where to put the mirror and the CLI config (default ./.ovirt-cdktf)
  -h, --help    this text

Then: export the printed TF_CLI_CONFIG_FILE line, and use the printed source address in
required_providers.
`;

/** The provider's identity (fixed by the project). */
export const OVIRT_PROVIDER = { hostname: 'terraform.local', namespace: 'ovirt-cdktf', type: 'ovirt' } as const;

/** The compiled provider entry inside this package: the one-file bundle that `npm run build`
 *  makes (fast start-up), else the plain tsc output. */
export function providerEntry(): string {
  // This file is dist/src/cli/install-provider.js, so dist is two levels up.
  return providerEntryIn(path.resolve(__dirname, '..', '..'));
}

/** {@link providerEntry} for a given dist directory. */
export function providerEntryIn(distDir: string): string {
  const bundle = path.join(distDir, 'provider-bundle', 'main.js');
  return fs.existsSync(bundle) ? bundle : path.join(distDir, 'src', 'provider', 'main.js');
}

/** Installs the oVirt provider under `dir` (mirror in dir/mirror, config in dir/terraform.tfrc). */
export function installOvirtProvider(dir: string, entry = providerEntry()): InstallResult {
  return installProvider({
    ...OVIRT_PROVIDER, version: PROVIDER_VERSION, entry,
    mirrorDir: path.join(path.resolve(dir), 'mirror'),
    cliConfigPath: path.join(path.resolve(dir), 'terraform.tfrc'),
  });
}

/** The command. */
export async function installProviderCommand(args: string[]): Promise<number> {
  let dir = '.ovirt-cdktf';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') { process.stdout.write(HELP); return 0; }
    if (a === '--dir' && args[i + 1]) dir = args[++i];
    else if (a.startsWith('--dir=')) dir = a.slice(6);
    else { process.stderr.write(`install-provider: unknown option "${a}"\n\n${HELP}`); return 2; }
  }
  const r = installOvirtProvider(dir);
  process.stderr.write(`installed ${r.executable}\n`);
  process.stdout.write(`TF_CLI_CONFIG_FILE=${r.cliConfigPath}\n${r.source}\n`);
  return 0;
}

/**
 * Reads this provider's schema the way `cdktf get` does: a scratch Terraform configuration that
 * requires the provider, `terraform init` against a filesystem mirror (never the network), then
 * `terraform providers schema -json`. Development tool; the library never loads it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ProviderSchemaJson } from './emit';

const run = promisify(execFile);

/** The provider's fixed identity. */
export const PROVIDER_SOURCE = 'terraform.local/ovirt-cdktf/ovirt';

/** A Terraform CLI config that installs `terraform.local/*` only from `mirrorDir`. */
export function mirrorCliConfig(mirrorDir: string): string {
  const path = JSON.stringify(resolve(mirrorDir));
  return [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${path}\n    include = ["terraform.local/*/*"]\n  }`,
    '  direct {\n    exclude = ["terraform.local/*/*"]\n  }',
    '}',
    '',
  ].join('\n');
}

/** Reads the schema of provider `version` from the filesystem mirror at `mirrorDir`. */
export async function readProviderSchema(mirrorDir: string, version: string): Promise<ProviderSchemaJson> {
  const dir = await mkdtemp(join(tmpdir(), 'ovirt-cdktf-schema-'));
  try {
    const rc = join(dir, 'cli.tfrc');
    await writeFile(rc, mirrorCliConfig(mirrorDir));
    await writeFile(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { ovirt: { source: PROVIDER_SOURCE, version } } },
      }),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      TF_PLUGIN_CACHE_DIR: undefined,
      TF_DATA_DIR: undefined,
    };
    const opts = { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 };
    await run('terraform', ['init', '-input=false', '-backend=false', '-no-color'], opts).catch(
      (e: { stderr?: string }) => {
        throw new Error(`terraform init against the mirror ${mirrorDir} failed: ${e.stderr ?? String(e)}`);
      },
    );
    const { stdout } = await run('terraform', ['providers', 'schema', '-json'], opts);
    const schema = JSON.parse(stdout) as ProviderSchemaJson;
    schema.provider_versions = { [PROVIDER_SOURCE]: version };
    return schema;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * What every example stack shares: an App with deterministic output, an explicit backend (a relative
 * local state file, or Postgres), the provider with credentials from the environment, and the boot
 * server from stack variables.
 */
import { readFileSync } from 'node:fs';
import { App, LocalBackend, PgBackend, TerraformStack } from 'cdktf';
import { BootArtifactServer, OvirtProvider } from '../constructs';

/** An App whose output is byte-identical across machines: no stack traces (they hold absolute paths). */
export function exampleApp(outdir?: string): App {
  return new App({ stackTraces: false, ...(outdir ? { outdir } : {}) });
}

/**
 * The stack's backend, always explicit (cdktf's default writes an absolute path).
 * - default: `terraform.tfstate` next to the stack's cdk.tf.json (relative, so portable);
 * - `OVIRT_CDKTF_BACKEND=pg`: Terraform's pg backend, one schema per stack (stacks sharing a schema
 *   would overwrite each other's state row). The connection string comes from
 *   `OVIRT_CDKTF_PG_URL` without credentials; give those as PGUSER/PGPASSWORD when terraform runs,
 *   so they never reach cdk.tf.json.
 */
export function exampleBackend(stack: TerraformStack): void {
  if (process.env.OVIRT_CDKTF_BACKEND === 'pg') {
    new PgBackend(stack, {
      connStr: process.env.OVIRT_CDKTF_PG_URL ?? 'postgres://localhost/terraform?sslmode=require',
      schemaName: `tf_${stack.node.id.replace(/[^a-zA-Z0-9_]/g, '_')}`,
    });
  } else {
    new LocalBackend(stack, { path: 'terraform.tfstate' });
  }
}

/** The provider, with engine credentials from the environment (OVIRT_URL, OVIRT_USERNAME, …). */
export function exampleProvider(stack: TerraformStack, bootServer?: BootArtifactServer): OvirtProvider {
  return new OvirtProvider(stack, 'ovirt', { bootServer });
}

/**
 * The boot server: URL and token from the stack variables `boot_server_url` and `boot_server_token`
 * (TF_VAR_*); its CA, a public certificate, from the file named by BOOT_SERVER_CA_FILE at synth.
 */
export function exampleBootServer(stack: TerraformStack): BootArtifactServer {
  const caFile = process.env.BOOT_SERVER_CA_FILE;
  return new BootArtifactServer(stack, 'boot-server', { caPem: caFile ? readFileSync(caFile, 'utf8') : undefined });
}

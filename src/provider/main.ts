/** The provider executable (`terraform-provider-ovirt`): Terraform launches it; it serves the plugin protocol. */
import { serve } from '../tfplugin/grpc/serve';

/** The encoded GetProviderSchema response, base64, defined by the release build (src/cli/release.ts). */
declare const __OVIRT_PROVIDER_SCHEMA__: string | undefined;

// The provider's declarations (every schema and validator) load after the handshake line, while
// Terraform reads it and connects (bench/provider-startup); in the release executable, only once
// an RPC needs more than the schema, so the process Terraform starts to read it never loads them.
serve(() => (require('./index') as typeof import('./index')).ovirtProvider, {
  schema: typeof __OVIRT_PROVIDER_SCHEMA__ === 'string' ? Buffer.from(__OVIRT_PROVIDER_SCHEMA__, 'base64') : undefined,
}).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `terraform-provider-ovirt: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);

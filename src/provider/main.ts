/** The provider executable (`terraform-provider-ovirt`): Terraform launches it; it serves the plugin protocol. */
import { serve } from '../tfplugin/grpc/serve';

// The provider's declarations (every schema and validator) load after the handshake line, while
// Terraform reads it and connects (bench/provider-startup).
serve(() => (require('./index') as typeof import('./index')).ovirtProvider).then(
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

/** The provider executable (`terraform-provider-ovirt`): Terraform launches it; it serves the plugin protocol. */
import { serve } from '../tfplugin';
import { ovirtProvider } from './index';

serve(ovirtProvider).then(
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

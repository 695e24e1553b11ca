/** Shared setup of the construct tests: a stack with the provider and a boot server. */
import type {} from 'cdktf/lib/testing/adapters/jest'; // the matchers' types (Testing.setupJest registers them)
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { BootArtifactServer, OvirtProvider } from '../../constructs';

export const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

/** A small but real bootstrap-like Ignition config. */
export const BOOTSTRAP_IGN = JSON.stringify({
  ignition: { version: '3.2.0' },
  passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA test'] }] },
  storage: {
    files: [{ path: '/opt/openshift/bootstrap.sh', mode: 493, contents: { source: 'data:,echo%20bootstrap' } }],
  },
  systemd: {
    units: [
      { name: 'bootkube.service', enabled: true, contents: '[Service]\nExecStart=/opt/openshift/bootstrap.sh\n' },
    ],
  },
});

export function stackWithServer(opts: { outdir?: string } = {}) {
  const app = Testing.app({ ...(opts.outdir ? { outdir: opts.outdir } : {}) });
  const stack = new TerraformStack(app, 'test');
  const token = new TerraformVariable(stack, 'boot_token', { type: 'string', sensitive: true });
  const server = new BootArtifactServer(stack, 'boot', {
    url: 'https://boot.example:8443',
    token: token.stringValue,
    caPem: CA_PEM,
  });
  new OvirtProvider(stack, 'ovirt', { bootServer: server });
  return { app, stack, server };
}

/** Parsed `Testing.synth` output. */
export function synthJson(stack: TerraformStack): {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider: Record<string, Array<Record<string, unknown>>>;
  variable?: Record<string, unknown>;
} {
  return JSON.parse(Testing.synth(stack));
}

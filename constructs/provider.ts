/**
 * `OvirtProvider`: the `ovirt` provider block with safe defaults. Connection settings come from the
 * provider's environment (OVIRT_URL, OVIRT_USERNAME, OVIRT_PASSWORD, …) unless given; secrets are only
 * accepted as tokens (sensitive TerraformVariables), so no password or token is ever written into
 * cdk.tf.json; a BootArtifactServer fills the `boot_server` block.
 */
import { Construct } from 'constructs';
import { inScope, ValidationError } from './errors';
import * as l1 from './generated';
import { BootArtifactServer, stackVariable } from './boot-server';
import { checkUrl, isToken } from './validation';

/** Where the provider's engine credentials come from. */
export type CredentialSource =
  /** The provider reads OVIRT_URL, OVIRT_USERNAME, OVIRT_PASSWORD (and friends) when it runs. */
  | 'environment'
  /** Stack variables `ovirt_url`, `ovirt_username` and the sensitive `ovirt_password` (TF_VAR_*). */
  | 'variables';

/** Props of OvirtProvider. */
export interface OvirtProviderProps {
  /**
   * Where the credentials not given below come from.
   * @default 'environment'
   */
  readonly credentials?: CredentialSource;
  /** Engine API URL, e.g. `https://engine.example/ovirt-engine/api`. @default - per `credentials` */
  readonly url?: string;
  /** User, e.g. `admin@internal`. @default - per `credentials` */
  readonly username?: string;
  /** Password; must be a token such as a sensitive TerraformVariable's value. @default - per `credentials` */
  readonly password?: string;
  /** CA certificate file for the engine's TLS, as a path valid where terraform runs. @default - system trust */
  readonly caFile?: string;
  /** CA certificate PEM for the engine's TLS. @default - system trust */
  readonly caPem?: string;
  /** Skip TLS verification. Only for throw-away test engines. @default false */
  readonly insecure?: boolean;
  /** The boot-artifact server that `ovirt_boot_entry` resources are written to. @default - none */
  readonly bootServer?: BootArtifactServer;
  /** Provider alias, for several engines in one stack. @default - the default provider */
  readonly alias?: string;
}

function checkProps(props: OvirtProviderProps): void {
  if (props.password !== undefined && !isToken(props.password)) {
    throw new ValidationError(
      'invalid_prop',
      'password',
      'must come from a sensitive TerraformVariable (or another token), not a literal, so it stays out of cdk.tf.json',
    );
  }
  if (props.url !== undefined) checkUrl(props.url, 'url');
  if (props.insecure && (props.caFile !== undefined || props.caPem !== undefined)) {
    throw new ValidationError('conflicting_props', 'insecure', 'cannot be combined with caFile or caPem');
  }
}

/** The oVirt provider. */
export class OvirtProvider extends l1.provider.OvirtProvider {
  /** The boot server this provider publishes boot entries to, when one was given. */
  readonly bootArtifactServer?: BootArtifactServer;

  constructor(scope: Construct, id: string, props: OvirtProviderProps = {}) {
    // Checked before super(): a provider block with a literal secret must never be created.
    inScope(scope.node.path ? `${scope.node.path}/${id}` : id, () => checkProps(props));
    const fromVars = props.credentials === 'variables';
    const server = props.bootServer;
    super(scope, id, {
      url:
        props.url ??
        (fromVars ? stackVariable(scope, 'ovirt_url', 'oVirt engine API URL', false).stringValue : undefined),
      username:
        props.username ??
        (fromVars ? stackVariable(scope, 'ovirt_username', 'oVirt engine user', false).stringValue : undefined),
      password:
        props.password ??
        (fromVars ? stackVariable(scope, 'ovirt_password', 'oVirt engine password', true).stringValue : undefined),
      caFile: props.caFile,
      caPem: props.caPem,
      insecure: props.insecure,
      alias: props.alias,
      bootServer: server ? { url: server.url, token: server.token, caPem: server.caPem } : undefined,
    });
    this.bootArtifactServer = server;
  }
}

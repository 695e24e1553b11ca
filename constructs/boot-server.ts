/**
 * `BootArtifactServer`: a boot-artifact server that is already running (started with
 * `ovirt-cdktf boot-server` or as a service), described by its URL, admin token and CA. Nothing is
 * started at synth time; the construct only carries the settings to the provider's `boot_server`
 * block and computes the URLs machines fetch.
 */
import { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { inScope, ValidationError } from './errors';
import { checkUrl, isToken } from './validation';

/** Settings of a running boot server. */
export interface BootArtifactServerProps {
  /**
   * Base URL machines and the provider reach the server at, e.g. `https://boot.example:8443`.
   * @default - the stack variable `boot_server_url` (set `TF_VAR_boot_server_url`)
   */
  readonly url?: string;
  /**
   * The admin bearer token. Must be a token (e.g. a sensitive TerraformVariable), never a literal:
   * literals would be written into cdk.tf.json.
   * @default - the sensitive stack variable `boot_server_token` (set `TF_VAR_boot_server_token`)
   */
  readonly token?: string;
  /**
   * PEM CA certificate that signs the server's certificate, for the provider and for Ignition's
   * pointer configs. A public certificate, so a literal is fine.
   * @default - system trust
   */
  readonly caPem?: string;
}

/** Adds a stack-level variable once (stack-level so `TF_VAR_<name>` stays readable). */
export function stackVariable(
  scope: Construct,
  name: string,
  description: string,
  sensitive: boolean,
): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const found = stack.node.tryFindChild(name);
  if (found instanceof TerraformVariable) return found;
  return new TerraformVariable(stack, name, { type: 'string', description, sensitive, nullable: false });
}

/** A running boot server: its settings, chain URL and per-machine URLs. */
export class BootArtifactServer extends Construct {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  /** The admin token (a Terraform token; sensitive). */
  readonly token: string;
  /** The CA PEM, when one was given. */
  readonly caPem?: string;

  constructor(scope: Construct, id: string, props: BootArtifactServerProps = {}) {
    super(scope, id);
    inScope(this.node.path, () => {
      if (props.token !== undefined && !isToken(props.token)) {
        throw new ValidationError(
          'invalid_prop',
          'token',
          'must come from a sensitive TerraformVariable (or another token), not a literal, so it stays out of cdk.tf.json',
        );
      }
      if (props.url !== undefined) checkUrl(props.url, 'url');
    });
    this.url = (
      props.url ?? stackVariable(this, 'boot_server_url', 'Base URL of the boot-artifact server', false).stringValue
    ).replace(/\/+$/, '');
    this.token =
      props.token ??
      stackVariable(this, 'boot_server_token', 'Admin token of the boot-artifact server', true).stringValue;
    this.caPem = props.caPem;
  }

  /** The URL every machine's iPXE chains to (set as the DHCP boot filename or embedded in iPXE). */
  get chainUrl(): string {
    return `${this.url}/boot.ipxe`;
  }

  /** The iPXE script URL of one machine, selected by the MAC of its booting NIC. */
  machineIpxeUrl(mac: string): string {
    return `${this.url}/ipxe?mac=${mac}`;
  }

  /** The Ignition URL of one machine, selected by MAC (entries without a required token). */
  machineIgnitionUrl(mac: string): string {
    return `${this.url}/ignition?mac=${mac}`;
  }
}

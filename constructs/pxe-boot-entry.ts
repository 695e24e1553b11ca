/**
 * `PxeBootEntry`: publishes what one machine boots (its iPXE answer and Ignition config) on the
 * boot-artifact server, through the provider's `ovirt_boot_entry` resource. The machine is selected
 * by the MACs of its NICs, usually an OvirtVm's.
 */
import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import * as l1 from './generated';
import { ENTRY_NAME_PATTERN, parseCidr } from '../src/boot/entry';
import type { BootArtifactServer } from './boot-server';
import { inScope, ValidationError } from './errors';
import { checkIgnition } from './ignition';
import { checkMac, isToken } from './validation';
import type { IOvirtVm } from './interfaces';

/** The iPXE answer: a kernel with initrds and arguments, or a whole script. */
export type PxeIpxe =
  | {
      readonly kernel: string;
      readonly initrd?: readonly string[];
      readonly args?: readonly string[];
      readonly script?: never;
    }
  | { readonly script: string; readonly kernel?: never };

/** Props of PxeBootEntry. */
export interface PxeBootEntryProps {
  /** Entry name on the server: `[a-z0-9][a-z0-9._-]{0,62}`. */
  readonly name: string;
  /** The server the entry is published to (the provider must be configured with it). */
  readonly server: BootArtifactServer;
  /** The machine: a VM (its first NIC's MAC is used) … */
  readonly vm?: IOvirtVm;
  /** … or MACs directly … */
  readonly macs?: readonly string[];
  /**
   * … or labels: query parameters the machine's requests carry. Lets an entry exist before the
   * machine's NIC does (e.g. a token-protected Ignition that the VM's own config points to).
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** The machine's role, e.g. `bootstrap`, `master`, `worker`. */
  readonly role: string;
  /**
   * The iPXE answer. Arguments may use `{{ignition_url}}` and `{{base_url}}`, which the server fills
   * in. @default - no iPXE (Ignition only)
   */
  readonly ipxe?: PxeIpxe;
  /** The Ignition config (JSON text), validated at synth. @default - none */
  readonly ignition?: string;
  /** After the machine fetched its Ignition, answer its iPXE with a local boot. @default false */
  readonly oneShot?: boolean;
  /** Serve the Ignition only at a secret token URL (`ignitionUrl`). @default false */
  readonly requireToken?: boolean;
  /** How a one-shot machine boots locally afterwards: iPXE `exit`, or `sanboot` of its first disk. @default 'exit' */
  readonly localBoot?: 'exit' | 'sanboot';
  /** Client addresses or CIDRs allowed to fetch this entry's iPXE and Ignition. @default - any */
  readonly allowedSources?: readonly string[];
  /** The provider to use. @default - the stack's default ovirt provider */
  readonly provider?: TerraformProvider;
}

/** One machine's boot entry. */
export class PxeBootEntry extends Construct {
  /** The L1 resource. */
  readonly resource: l1.bootEntry.BootEntry;
  /** The MACs the entry selects. */
  readonly macs: string[];
  private readonly server: BootArtifactServer;
  private readonly requireToken: boolean;

  constructor(scope: Construct, id: string, props: PxeBootEntryProps) {
    super(scope, id);
    this.server = props.server;
    this.requireToken = props.requireToken ?? false;
    this.macs = inScope(this.node.path, () => selectedMacs(props));
    const ipxe = props.ipxe;
    this.resource = new l1.bootEntry.BootEntry(this, 'entry', {
      name: props.name,
      role: props.role,
      macs: this.macs.length ? this.macs : undefined,
      labels: props.labels ? { ...props.labels } : undefined,
      ipxeKernel: ipxe?.kernel,
      ipxeInitrd: ipxe?.kernel !== undefined && ipxe.initrd ? [...ipxe.initrd] : undefined,
      ipxeArgs: ipxe?.kernel !== undefined && ipxe.args ? [...ipxe.args] : undefined,
      ipxeScript: ipxe?.script,
      ignition: props.ignition,
      oneShot: props.oneShot,
      requireToken: props.requireToken,
      localBoot: props.localBoot,
      allowedSources: props.allowedSources ? [...props.allowedSources] : undefined,
      provider: props.provider,
    });
  }

  /** The URL the machine's iPXE fetches its script from (after chaining from the server's chain URL). */
  get ipxeUrl(): string | undefined {
    return this.macs[0] === undefined ? undefined : this.server.machineIpxeUrl(this.macs[0]);
  }

  /**
   * The URL the machine's Ignition is served at: the secret token URL when `requireToken` is set,
   * else the by-MAC URL (undefined for a label-selected entry without a token).
   */
  get ignitionUrl(): string | undefined {
    if (this.requireToken) return `${this.server.url}${this.resource.ignitionPath}`;
    return this.macs[0] === undefined ? undefined : this.server.machineIgnitionUrl(this.macs[0]);
  }
}

/** Validates the props and returns the MACs the entry selects (none for a label-selected entry). */
function selectedMacs(props: PxeBootEntryProps): string[] {
  if (!isToken(props.name) && !ENTRY_NAME_PATTERN.test(props.name)) {
    throw new ValidationError(
      'invalid_prop',
      'name',
      `must match [a-z0-9][a-z0-9._-]{0,62}; got ${JSON.stringify(props.name)}`,
    );
  }
  if ([props.vm, props.macs, props.labels].filter((s) => s !== undefined).length !== 1) {
    throw new ValidationError('conflicting_props', 'vm', 'give exactly one of vm, macs or labels');
  }
  const macs = props.vm ? props.vm.macs.slice(0, 1) : [...(props.macs ?? [])];
  if (props.labels === undefined && macs.length === 0) {
    throw new ValidationError('invalid_prop', props.vm ? 'vm' : 'macs', 'needs a NIC (a MAC) to select the machine by');
  }
  macs.forEach((m, i) => checkMac(m, `macs.${i}`));
  props.allowedSources?.forEach((source, index) => {
    if (!isToken(source) && parseCidr(source) === undefined) {
      throw new ValidationError(
        'invalid_prop',
        `allowedSources.${index}`,
        `is not an IP address or CIDR such as 10.0.0.0/24; got ${JSON.stringify(source)}`,
      );
    }
  });
  if (props.ignition !== undefined) checkIgnition(props.ignition, 'ignition');
  const script = props.ipxe?.script;
  if (script !== undefined && !isToken(script) && !script.startsWith('#!ipxe')) {
    throw new ValidationError('invalid_prop', 'ipxe.script', 'must start with #!ipxe');
  }
  return macs;
}

/**
 * What one construct needs of another, as interfaces (the way AWS CDK props take an `IBucket`, not a
 * `Bucket`): a prop typed by an interface accepts the construct made here or any other that offers the
 * same, and the construct files need not import each other.
 */
import type { TerraformProvider } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A VM, as a template made from it or a boot entry for it sees it. `OvirtVm` is one. */
export interface IOvirtVm extends IConstruct {
  /** The VM's id. */
  readonly id: string;
  /** The MAC addresses of its NICs, in the order of its `nics`. */
  readonly macs: string[];
  /** The provider its resources use (undefined: the default one). */
  readonly provider?: TerraformProvider;
}

/** A template a VM can be created from. `OvirtTemplate` is one. */
export interface IOvirtTemplate extends IConstruct {
  /** The template's id. */
  readonly id: string;
}

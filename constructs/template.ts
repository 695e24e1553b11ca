/**
 * `OvirtTemplate`: a template made from a VM (`fromVm`), or an existing one looked up by name
 * (`fromName`); either way it gives the id a VM's `template` prop takes.
 */
import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { inScope } from './errors';
import * as l1 from './generated';
import type { IOvirtTemplate, IOvirtVm } from './interfaces';
import { templateId } from './refs';
import { checkEngineName } from './validation';

/** Props of a template made from a VM. */
export interface OvirtTemplateProps {
  /** The VM to make the template from (it should be down; don't start it). */
  readonly vm: IOvirtVm;
  /** Template name. */
  readonly name: string;
  /** Description. @default - none */
  readonly description?: string;
  /** The provider to use. @default - the VM's provider */
  readonly provider?: TerraformProvider;
}

/** A template, created here or existing. */
export class OvirtTemplate extends Construct implements IOvirtTemplate {
  /** Looks up an existing template by name. */
  static fromName(scope: Construct, id: string, name: string, provider?: TerraformProvider): OvirtTemplate {
    return new OvirtTemplate(scope, id, { existing: name, provider });
  }

  /** The template's id. */
  readonly id: string;
  /** The L1 resource when the template is created here. */
  readonly resource?: l1.template.Template;

  constructor(
    scope: Construct,
    id: string,
    props: OvirtTemplateProps | { existing: string; provider?: TerraformProvider },
  ) {
    super(scope, id);
    if ('existing' in props) {
      this.id = inScope(this.node.path, () => templateId(this, { name: props.existing }, 'name', props.provider));
      return;
    }
    inScope(this.node.path, () => checkEngineName(props.name, 'name'));
    this.resource = new l1.template.Template(this, 'template', {
      vmId: props.vm.id,
      name: props.name,
      description: props.description,
      provider: props.provider ?? props.vm.provider,
    });
    this.id = this.resource.id;
  }
}

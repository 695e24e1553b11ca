/**
 * References to existing engine objects, by id or by name. Names are resolved with the provider's
 * data sources; one data source per (kind, name, provider) is shared by the whole stack, so a fleet of
 * 500 VMs in one cluster reads the cluster once.
 */
import { Construct } from 'constructs';
import { TerraformProvider, TerraformStack } from 'cdktf';
import * as l1 from './generated';
import { ValidationError } from './errors';

/** An existing engine object: `{ id }` or `{ name }`. */
export type Ref = { readonly id: string; readonly name?: never } | { readonly name: string; readonly id?: never };

/**
 * A vNIC profile: `{ id }`, or `{ network }` for the profile named after a logical network (the
 * engine creates one with every network), or `{ network, name }` for another profile of it.
 */
export type VnicProfileRef =
  | { readonly id: string; readonly network?: never; readonly name?: never }
  | { readonly network: string; readonly name?: string; readonly id?: never };

type Kind = 'cluster' | 'template' | 'storage_domain' | 'vnic_profile';

function checkRef(ref: Ref | undefined, prop: string): asserts ref is Ref {
  const given = ref as { id?: unknown; name?: unknown } | undefined;
  if (!given || (given.id === undefined) === (given.name === undefined) || (given.id ?? given.name) === '') {
    throw new ValidationError('invalid_prop', prop, 'must be { id: "<uuid>" } or { name: "<name>" }');
  }
}

function lookup(
  scope: Construct,
  kind: Kind,
  key: string,
  provider: TerraformProvider | undefined,
  make: (stack: TerraformStack, id: string) => { id: string },
): string {
  const stack = TerraformStack.of(scope);
  const id = ['lookup', kind, key, provider?.node.path.replace(/\//g, '_')].filter(Boolean).join('-');
  const existing = stack.node.tryFindChild(id) as { id: string } | undefined;
  return (existing ?? make(stack, id)).id;
}

/** The data source that finds each kind of named object. */
const FINDERS = {
  cluster: l1.dataOvirtCluster.DataOvirtCluster,
  template: l1.dataOvirtTemplate.DataOvirtTemplate,
  storage_domain: l1.dataOvirtStorageDomain.DataOvirtStorageDomain,
} as const;

/** The id of a `{ id }` or `{ name }` reference; names are looked up once per stack. */
function idOf(
  kind: keyof typeof FINDERS,
  scope: Construct,
  ref: Ref,
  prop: string,
  provider?: TerraformProvider,
): string {
  checkRef(ref, prop);
  if (ref.id !== undefined) return ref.id;
  const Finder = FINDERS[kind];
  return lookup(scope, kind, ref.name, provider, (s, id) => new Finder(s, id, { name: ref.name, provider }));
}

/** The id of a cluster reference. */
export function clusterId(scope: Construct, ref: Ref, prop: string, provider?: TerraformProvider): string {
  return idOf('cluster', scope, ref, prop, provider);
}

/** The id of a template reference. */
export function templateId(scope: Construct, ref: Ref, prop: string, provider?: TerraformProvider): string {
  return idOf('template', scope, ref, prop, provider);
}

/** The id of a storage domain reference. */
export function storageDomainId(scope: Construct, ref: Ref, prop: string, provider?: TerraformProvider): string {
  return idOf('storage_domain', scope, ref, prop, provider);
}

/** The id of a vNIC profile reference. */
export function vnicProfileId(
  scope: Construct,
  ref: VnicProfileRef,
  prop: string,
  provider?: TerraformProvider,
): string {
  const given = ref as { id?: unknown; network?: unknown } | undefined;
  if (!given || (given.id === undefined) === (given.network === undefined) || (given.id ?? given.network) === '') {
    throw new ValidationError(
      'invalid_prop',
      prop,
      'must be { id: "<uuid>" } or { network: "<network>", name?: "<profile>" }',
    );
  }
  if (ref.id !== undefined) return ref.id;
  const { network, name } = ref;
  return lookup(
    scope,
    'vnic_profile',
    name === undefined ? network : `${network}-${name}`,
    provider,
    (s, id) => new l1.dataOvirtVnicProfile.DataOvirtVnicProfile(s, id, { networkName: network, name, provider }),
  );
}

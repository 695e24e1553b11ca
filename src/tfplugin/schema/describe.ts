/**
 * A JSON-ready description of a provider's schema for docs generation: everything the DSL
 * declares (including force-new, defaults, validator and plan-modifier descriptions, timeouts)
 * that Terraform's own schema export leaves out.
 */
import type { CtyType } from '../cty/type';
import type { AnyDataSource, AnyResource, DescriptionKind, ProviderDefinition, Timeouts } from './define';
import type { BlockSchema, Validator, ZodLike } from './types';

/** One attribute, described. */
export interface AttributeDoc {
  name: string;
  type: CtyType;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  forceNew: boolean;
  writeOnly: boolean;
  description: string;
  /** 'markdown' when the description is markdown. */
  descriptionKind: 'plain' | 'markdown';
  deprecated?: string;
  default?: unknown;
  /** Validator descriptions ("Must be between 1 and 100."); zod schemas appear as "Checked by a schema.". */
  constraints: string[];
  /** Plan modifier descriptions. */
  planBehaviour: string[];
}

/** One nested block, described. */
export interface BlockDoc {
  name: string;
  nesting: 'single' | 'list' | 'set' | 'map';
  minItems?: number;
  maxItems?: number;
  description: string;
  deprecated?: string;
  attributes: AttributeDoc[];
  blocks: BlockDoc[];
}

/** A resource, data source or the provider itself, described. */
export interface SchemaDoc {
  typeName: string;
  kind: 'provider' | 'resource' | 'data-source';
  description: string;
  descriptionKind: 'plain' | 'markdown';
  version: number;
  deprecated?: string;
  timeouts?: Timeouts;
  importable: boolean;
  attributes: AttributeDoc[];
  blocks: BlockDoc[];
}

function attributes(block: BlockSchema, kind: DescriptionKind): AttributeDoc[] {
  return Object.entries(block.attributes).map(([name, attribute]) => {
    const options = attribute.options;
    return {
      name,
      type: attribute.type,
      required: Boolean(options.required),
      optional: Boolean(options.optional),
      computed: Boolean(options.computed),
      sensitive: Boolean(options.sensitive),
      forceNew:
        Boolean(options.forceNew) ||
        (options.planModifiers ?? []).some((m: { requiresReplace?: unknown }) => m.requiresReplace),
      writeOnly: Boolean(options.writeOnly),
      description: options.markdownDescription ?? options.description ?? '',
      descriptionKind: options.markdownDescription ? 'markdown' : kind,
      ...(options.deprecated ? { deprecated: options.deprecated } : {}),
      ...(options.default !== undefined ? { default: options.default } : {}),
      constraints: ((options.validators ?? []) as (Validator | ZodLike)[]).map((v) =>
        'description' in v && typeof v.description === 'string' ? v.description : 'Checked by a schema.',
      ),
      planBehaviour: ((options.planModifiers ?? []) as { description: string }[]).map((m) => m.description),
    };
  });
}

function blocks(block: BlockSchema, kind: DescriptionKind): BlockDoc[] {
  return Object.entries(block.blocks ?? {}).map(([name, nb]) => ({
    name,
    nesting: nb.nesting,
    ...(nb.minItems ? { minItems: nb.minItems } : {}),
    ...(nb.maxItems ? { maxItems: nb.maxItems } : {}),
    description: nb.markdownDescription ?? nb.description ?? '',
    ...(nb.deprecated ? { deprecated: nb.deprecated } : {}),
    attributes: attributes(nb.block, kind),
    blocks: blocks(nb.block, kind),
  }));
}

function doc(
  kind: SchemaDoc['kind'],
  definition:
    | AnyResource
    | AnyDataSource
    | { typeName: string; schema: BlockSchema; description?: string; markdownDescription?: string },
  descriptionKind: DescriptionKind,
): SchemaDoc {
  const resource = definition as Partial<AnyResource>;
  return {
    typeName: definition.typeName,
    kind,
    description: definition.markdownDescription ?? definition.description ?? '',
    descriptionKind: definition.markdownDescription ? 'markdown' : descriptionKind,
    version: resource.version ?? 0,
    ...(resource.deprecated ? { deprecated: resource.deprecated } : {}),
    ...(resource.timeouts ? { timeouts: resource.timeouts } : {}),
    importable: typeof resource.importState === 'function',
    attributes: attributes(definition.schema, descriptionKind),
    blocks: blocks(definition.schema, descriptionKind),
  };
}

/** Describes a provider, its resources and data sources (sorted by type name). */
export function describeProvider(provider: ProviderDefinition<BlockSchema, any>): {
  provider: SchemaDoc;
  resources: SchemaDoc[];
  dataSources: SchemaDoc[];
} {
  const byName = (a: SchemaDoc, b: SchemaDoc) => a.typeName.localeCompare(b.typeName);
  const kind = provider.descriptionKind ?? 'plain';
  return {
    provider: doc('provider', provider, kind),
    resources: provider.resources.map((r) => doc('resource', r, kind)).sort(byName),
    dataSources: (provider.dataSources ?? []).map((d) => doc('data-source', d, kind)).sort(byName),
  };
}

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

function attributes(b: BlockSchema, kind: DescriptionKind): AttributeDoc[] {
  return Object.entries(b.attributes).map(([name, a]) => {
    const o = a.options;
    return {
      name,
      type: a.type,
      required: Boolean(o.required),
      optional: Boolean(o.optional),
      computed: Boolean(o.computed),
      sensitive: Boolean(o.sensitive),
      forceNew:
        Boolean(o.forceNew) || (o.planModifiers ?? []).some((m: { requiresReplace?: unknown }) => m.requiresReplace),
      writeOnly: Boolean(o.writeOnly),
      description: o.markdownDescription ?? o.description ?? '',
      descriptionKind: o.markdownDescription ? 'markdown' : kind,
      ...(o.deprecated ? { deprecated: o.deprecated } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      constraints: ((o.validators ?? []) as (Validator | ZodLike)[]).map((v) =>
        'description' in v && typeof v.description === 'string' ? v.description : 'Checked by a schema.',
      ),
      planBehaviour: ((o.planModifiers ?? []) as { description: string }[]).map((m) => m.description),
    };
  });
}

function blocks(b: BlockSchema, kind: DescriptionKind): BlockDoc[] {
  return Object.entries(b.blocks ?? {}).map(([name, nb]) => ({
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
  d:
    | AnyResource
    | AnyDataSource
    | { typeName: string; schema: BlockSchema; description?: string; markdownDescription?: string },
  descriptionKind: DescriptionKind,
): SchemaDoc {
  const r = d as Partial<AnyResource>;
  return {
    typeName: d.typeName,
    kind,
    description: d.markdownDescription ?? d.description ?? '',
    descriptionKind: d.markdownDescription ? 'markdown' : descriptionKind,
    version: r.version ?? 0,
    ...(r.deprecated ? { deprecated: r.deprecated } : {}),
    ...(r.timeouts ? { timeouts: r.timeouts } : {}),
    importable: typeof r.importState === 'function',
    attributes: attributes(d.schema, descriptionKind),
    blocks: blocks(d.schema, descriptionKind),
  };
}

/** Describes a provider, its resources and data sources (sorted by type name). */
export function describeProvider(p: ProviderDefinition<BlockSchema, any>): {
  provider: SchemaDoc;
  resources: SchemaDoc[];
  dataSources: SchemaDoc[];
} {
  const byName = (a: SchemaDoc, b: SchemaDoc) => a.typeName.localeCompare(b.typeName);
  const kind = p.descriptionKind ?? 'plain';
  return {
    provider: doc('provider', p, kind),
    resources: p.resources.map((r) => doc('resource', r, kind)).sort(byName),
    dataSources: (p.dataSources ?? []).map((d) => doc('data-source', d, kind)).sort(byName),
  };
}

/**
 * Turns DSL declarations into what Terraform needs: the implied cty type of a block, and the
 * tfplugin6 Schema message. Adds the `timeouts` block for resources that declare timeouts.
 */
import { typeJson, type CtyType, type ObjectType } from '../cty/type';
import { isRecord } from '../cty/value';
import type { DescriptionKind, Timeouts } from '../schema/define';
import type { Attribute, BlockNesting, BlockSchema, NestedBlock } from '../schema/types';
import type { Msg } from '../protocol/wire';

const NESTING = { single: 1, list: 2, set: 3, map: 4 } as const;
const nestingMode = (nesting: BlockNesting) => NESTING[nesting];
const TIMEOUT_OPS = ['create', 'read', 'update', 'delete'] as const;

/** The name of the block the SDK adds for user-set timeouts. */
export const TIMEOUTS_BLOCK = 'timeouts';

/** The schema Terraform sees for a resource: its own block plus `timeouts` when declared. */
export function effectiveBlock(def: { schema: BlockSchema; timeouts?: Timeouts }): BlockSchema {
  if (!def.timeouts) return def.schema;
  const attrs: Record<string, Attribute> = {};
  for (const op of TIMEOUT_OPS) {
    if (def.timeouts[op]) {
      attrs[op] = {
        kind: 'attribute',
        type: 'string',
        options: { optional: true, description: `Timeout of ${op} (default ${def.timeouts[op]}), e.g. "30m".` },
      };
    }
  }
  const timeouts: NestedBlock = { kind: 'block', nesting: 'single', block: { attributes: attrs } };
  return { attributes: def.schema.attributes, blocks: { ...def.schema.blocks, [TIMEOUTS_BLOCK]: timeouts } };
}

/** The implied cty object type of a block body. */
export function impliedType(block: BlockSchema): ObjectType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const inner = impliedType(nb.block);
    attrs[name] = nb.nesting === 'single' ? inner : ([nb.nesting, inner] as const);
  }
  return ['object', attrs];
}

const KIND = { plain: 0, markdown: 1 } as const;

function describe(
  texts: { description?: string; markdownDescription?: string },
  kind: DescriptionKind,
): { description?: string; description_kind?: 0 | 1 } {
  if (texts.markdownDescription) return { description: texts.markdownDescription, description_kind: KIND.markdown };
  return texts.description ? { description: texts.description, description_kind: KIND[kind] } : {};
}

function blockMessage(
  block: BlockSchema,
  kind: DescriptionKind,
  top: { description?: string; markdownDescription?: string; deprecated?: string } = {},
): Msg<'tfplugin6.Schema.Block'> {
  return {
    ...describe(top, kind),
    deprecated: Boolean(top.deprecated),
    attributes: Object.entries(block.attributes).map(([name, attribute]) => ({
      name,
      type: Buffer.from(typeJson(attribute.type)),
      ...describe(attribute.options, kind),
      required: Boolean(attribute.options.required),
      optional: Boolean(attribute.options.optional),
      computed: Boolean(attribute.options.computed),
      sensitive: Boolean(attribute.options.sensitive),
      deprecated: Boolean(attribute.options.deprecated),
      write_only: Boolean(attribute.options.writeOnly),
    })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, nb]) => ({
      type_name: name,
      block: blockMessage(nb.block, kind, nb),
      nesting: nestingMode(nb.nesting),
      min_items: nb.minItems ?? 0,
      max_items: nb.maxItems ?? 0,
    })),
  };
}

/** The tfplugin6 `Schema` message of a provider, resource or data source; `kind` is what plain descriptions are written in. */
export function schemaMessage(
  def: {
    schema: BlockSchema;
    timeouts?: Timeouts;
    version?: number;
    description?: string;
    markdownDescription?: string;
    deprecated?: string;
  },
  kind: DescriptionKind = 'plain',
): Msg<'tfplugin6.Schema'> {
  return { version: def.version ?? 0, block: blockMessage(effectiveBlock(def), kind, def) };
}

/** Checks a declaration for mistakes Terraform would reject or crash on; returns messages. */
export function checkDeclaration(def: { typeName: string; schema: BlockSchema }): string[] {
  const problems: string[] = [];
  const walk = (block: BlockSchema, where: string) => {
    for (const [name, a] of Object.entries(block.attributes)) {
      const options = a.options;
      const at = `${def.typeName}: ${where}${name}`;
      if (!/^[a-z0-9_]+$/.test(name)) problems.push(`${at}: names must match ^[a-z0-9_]+$`);
      if (!options.required && !options.optional && !options.computed)
        problems.push(`${at}: needs required, optional or computed`);
      if (options.required && (options.optional || options.computed))
        problems.push(`${at}: required cannot be combined with optional or computed`);
      if (options.default !== undefined && !(options.optional && options.computed))
        problems.push(`${at}: a default needs optional and computed`);
    }
    for (const [name, nb] of Object.entries(block.blocks ?? {})) walk(nb.block, `${where}${name}.`);
  };
  if (!/^[a-z0-9_]+$/.test(def.typeName)) problems.push(`${def.typeName}: type names must match ^[a-z0-9_]+$`);
  walk(def.schema, '');
  return problems;
}

/** Makes absent list/set blocks `[]` and map blocks `{}` (Terraform rejects null for them),
 *  recursively, in place. */
export function fillEmptyBlocks(block: BlockSchema, value: unknown): void {
  if (!isRecord(value)) return;
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const current = value[name];
    if (current === null || current === undefined) {
      if (nested.nesting !== 'single') value[name] = nested.nesting === 'map' ? {} : [];
      else value[name] = null;
      continue;
    }
    if (nested.nesting === 'single') fillEmptyBlocks(nested.block, current);
    else if (Array.isArray(current)) current.forEach((element) => fillEmptyBlocks(nested.block, element));
    else if (isRecord(current)) Object.values(current).forEach((element) => fillEmptyBlocks(nested.block, element));
  }
}

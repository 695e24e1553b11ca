/**
 * Builders for schema declarations: `attr.string({ required: true })`,
 * `block.list({ attributes: {...} }, { maxItems: 4 })`. They only record data; all behaviour
 * lives in the SDK's planner and validator.
 */
import { t, type CtyType } from '../cty/type';
import type { Attribute, AttributeOptions, BlockSchema, NestedBlock, ValueOf } from './types';

type Opts<T extends CtyType> = AttributeOptions<ValueOf<T>>;

function make<T extends CtyType>(type: T) {
  return <const O extends Opts<T>>(options: O): Attribute<T, O> => ({ kind: 'attribute', type, options });
}

/** Attribute builders, one per cty type. */
export const attr = {
  string: make(t.string),
  number: make(t.number),
  bool: make(t.bool),
  dynamic: make(t.dynamic),
  list: <E extends CtyType, const O extends Opts<readonly ['list', E]>>(e: E, o: O) => make(t.list(e))(o),
  set: <E extends CtyType, const O extends Opts<readonly ['set', E]>>(e: E, o: O) => make(t.set(e))(o),
  map: <E extends CtyType, const O extends Opts<readonly ['map', E]>>(e: E, o: O) => make(t.map(e))(o),
  object: <A extends { readonly [n: string]: CtyType }, const O extends Opts<readonly ['object', A]>>(a: A, o: O) =>
    make(t.object(a))(o),
  /** An attribute of any cty type (for types built with `t`). */
  of: <T extends CtyType, const O extends Opts<T>>(type: T, o: O) => make(type)(o),
};

/** Extra options of a nested block. */
export interface BlockOptions {
  minItems?: number;
  maxItems?: number;
  description?: string;
  markdownDescription?: string;
  deprecated?: string;
}

function nest<N extends NestedBlock['nesting']>(nesting: N) {
  return <const B extends BlockSchema>(body: B, options: BlockOptions = {}): NestedBlock<B, N> => ({
    kind: 'block',
    nesting,
    block: body,
    ...options,
  });
}

/** Nested block builders. */
export const block = {
  /** At most one block; the value is the object or null. */
  single: nest('single'),
  /** An ordered list of blocks. */
  list: nest('list'),
  /** An unordered set of blocks. */
  set: nest('set'),
  /** Blocks with a label each, as a map keyed by label. */
  map: nest('map'),
};

/** Declares a block body; returns it unchanged, with its literal type kept for {@link ModelOf}. */
export function schema<const B extends BlockSchema>(body: B): B {
  return body;
}

/**
 * The schema DSL: one declaration per resource, data source or provider gives the Terraform
 * schema, config validation, plan behaviour, docs, and the TypeScript types of the handlers'
 * config, plan and state (through {@link ModelOf}, {@link PlanOf}, {@link ApplyPlanOf} and
 * {@link StateOf}).
 */
import type { CtyType } from '../cty/type';
import type { DynamicVal, LosslessNumber, Unknown } from '../cty/value';
import type { AttributePath, Diagnostics } from '../diagnostics';

/** TypeScript type of a known, non-null value of cty type T. Numbers that a double cannot hold
 *  exactly arrive as {@link LosslessNumber} at run time (its valueOf() gives the number). */
export type ValueOf<T> = 0 extends 1 & T
  ? any
  : T extends 'string'
    ? string
    : T extends 'number'
      ? number
      : T extends 'bool'
        ? boolean
        : T extends 'dynamic'
          ? unknown
          : T extends readonly ['list', infer E]
            ? ValueOf<E>[]
            : T extends readonly ['set', infer E]
              ? ValueOf<E>[]
              : T extends readonly ['map', infer E]
                ? Record<string, ValueOf<E>>
                : T extends readonly ['object', infer A]
                  ? { [K in keyof A]: ValueOf<A[K]> | null }
                  : T extends readonly ['tuple', infer E]
                    ? { [K in keyof E]: ValueOf<E[K]> | null }
                    : never;

/** Checks a value of type V; report problems on `diags` at `path`. Null and unknown values are
 *  never passed to validators. */
export interface Validator<V = unknown> {
  /** What the validator accepts, in plain words (used in docs). */
  description: string;
  validate(value: V, path: AttributePath, diags: Diagnostics): void;
}

/** Anything with zod's `safeParse`: zod schemas can be used directly as validators. */
export interface ZodLike {
  safeParse(
    v: unknown,
  ): { success: true } | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
}

/** What a plan modifier sees for one attribute. */
export interface PlanModifyRequest<V = unknown> {
  /** Path of the attribute being planned. */
  path: AttributePath;
  /** The attribute's value in config (may be null or unknown). */
  config: V | null | Unknown;
  /** The attribute's prior state value; null on create. */
  state: V | null;
  /** The planned value so far (computed-and-unset attributes are already unknown). */
  plan: V | null | Unknown;
  /** True when the resource is being created (no prior state). */
  creating: boolean;
  /** True when the plan changes the named attribute of the same block (or leaves it unknown). */
  siblingChanged(name: string): boolean;
  diags: Diagnostics;
}

/** Changes the planned value of one attribute; may also ask for replacement. */
export interface PlanModifier<V = unknown> {
  /** What the modifier does, in plain words (used in docs). */
  description: string;
  /** Returns the new planned value, or `undefined` to keep it. */
  modify(req: PlanModifyRequest<V>): V | null | Unknown | undefined;
  /** Returns true when a change of this attribute must replace the resource. */
  requiresReplace?(req: PlanModifyRequest<V>): boolean;
}

/** Options shared by every attribute. Exactly one of required/optional/computed combinations
 *  is valid: required; optional; computed; optional+computed. */
export interface AttributeOptions<V> {
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  /** Hidden in plan output and never logged. */
  sensitive?: boolean;
  /** A change replaces the resource (listed in `requires_replace`). */
  forceNew?: boolean;
  /** Plain-text description (the first line is the summary). */
  description?: string;
  /** Markdown description; used instead of `description` when set. */
  markdownDescription?: string;
  /** Deprecation message; marks the attribute deprecated. */
  deprecated?: string;
  /** Value planned when the config leaves the attribute unset (needs optional+computed). */
  default?: V;
  /** Checks on configured values: validator objects or zod schemas. */
  validators?: readonly (Validator<V> | ZodLike)[];
  /** Plan modifiers, applied in order after defaults and computed-unknown marking. */
  planModifiers?: readonly PlanModifier<V>[];
  /** Write-only (never stored in state; planned and returned as null). */
  writeOnly?: boolean;
}

/** An attribute declaration: a cty type plus options. */
export interface Attribute<T extends CtyType = any, O extends AttributeOptions<ValueOf<T>> = AttributeOptions<any>> {
  kind: 'attribute';
  type: T;
  options: O;
}

/** Nesting of a nested block: how many blocks and how they are keyed. */
export type BlockNesting = 'single' | 'list' | 'set' | 'map';

/** A nested block declaration (`nic { ... }`). */
export interface NestedBlock<B extends BlockSchema = BlockSchema, N extends BlockNesting = BlockNesting> {
  kind: 'block';
  nesting: N;
  block: B;
  minItems?: number;
  maxItems?: number;
  description?: string;
  markdownDescription?: string;
  deprecated?: string;
}

/** The body of a resource, data source, provider or nested block. */
export interface BlockSchema {
  attributes: { readonly [name: string]: Attribute<any, any> };
  blocks?: { readonly [name: string]: NestedBlock<any, any> };
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type AttrModel<A extends { type: unknown; options: unknown }> = A['options'] extends { required: true }
  ? ValueOf<A['type']>
  : ValueOf<A['type']> | null;
type AttrPlan<A extends { type: unknown; options: unknown }> = AttrModel<A> | Unknown;
type BlockModel<N, B extends BlockSchema> = N extends 'single'
  ? ModelOf<B> | null
  : N extends 'map'
    ? Record<string, ModelOf<B>>
    : ModelOf<B>[];
type BlockPlan<N, B extends BlockSchema> = N extends 'single'
  ? PlanOf<B> | null
  : N extends 'map'
    ? Record<string, PlanOf<B>>
    : PlanOf<B>[];

/** Known values of a block (state, import results, data source results): required attributes
 *  are non-null, others may be null; nested blocks are objects, arrays or maps. */
export type ModelOf<S extends BlockSchema> = Simplify<
  { -readonly [K in keyof S['attributes']]: AttrModel<S['attributes'][K]> } & {
    -readonly [K in keyof NonNullable<S['blocks']>]: BlockModel<
      NonNullable<S['blocks']>[K]['nesting'],
      NonNullable<S['blocks']>[K]['block']
    >;
  }
>;

/** Values of a block during planning (config and plan): any attribute may also be unknown. */
export type PlanOf<S extends BlockSchema> = Simplify<
  { -readonly [K in keyof S['attributes']]: AttrPlan<S['attributes'][K]> } & {
    -readonly [K in keyof NonNullable<S['blocks']>]: BlockPlan<
      NonNullable<S['blocks']>[K]['nesting'],
      NonNullable<S['blocks']>[K]['block']
    >;
  }
>;

type AttrApply<A extends { type: unknown; options: unknown }> = A['options'] extends { computed: true }
  ? A['options'] extends { default: unknown }
    ? AttrModel<A>
    : AttrPlan<A>
  : AttrModel<A>;
type BlockApply<N, B extends BlockSchema> = N extends 'single'
  ? ApplyPlanOf<B> | null
  : N extends 'map'
    ? Record<string, ApplyPlanOf<B>>
    : ApplyPlanOf<B>[];

/** The plan `create` and `update` receive. Terraform applies only wholly known configs, so every
 *  attribute the config sets is known (required ones are never null), and so is every attribute
 *  with a `default` (the SDK plans it); only other computed attributes may still be unknown. */
export type ApplyPlanOf<S extends BlockSchema> = Simplify<
  { -readonly [K in keyof S['attributes']]: AttrApply<S['attributes'][K]> } & {
    -readonly [K in keyof NonNullable<S['blocks']>]: BlockApply<
      NonNullable<S['blocks']>[K]['nesting'],
      NonNullable<S['blocks']>[K]['block']
    >;
  }
>;

/** A resource's stored state, as `read`, `update` and `delete` receive it and as `create`,
 *  `read` and `update` return it: {@link ModelOf}, with a string `id` attribute always set.
 *  Terraform passes back what create or import returned, and the SDK reports a state without an
 *  id before any handler sees it. */
export type StateOf<S extends BlockSchema> = S['attributes'] extends { readonly id: { readonly type: 'string' } }
  ? Simplify<Omit<ModelOf<S>, 'id'> & { id: string }>
  : ModelOf<S>;

/** Helper for typing values of a dynamic attribute. */
export type { DynamicVal, LosslessNumber, Unknown };

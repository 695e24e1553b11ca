/**
 * Config validation: runs each attribute's validators (validator objects or zod schemas) on
 * configured, known values, through nested blocks, with the attribute path on every diagnostic.
 */
import { isRecord, isUnknown } from '../cty/value';
import type { AttributePath, Diagnostics } from '../diagnostics';
import type { BlockSchema, Validator, ZodLike } from '../schema/types';

function isZod(check: Validator | ZodLike): check is ZodLike {
  return 'safeParse' in check && typeof check.safeParse === 'function';
}

function runValidator(v: Validator | ZodLike, value: unknown, p: AttributePath, diags: Diagnostics): void {
  if (!isZod(v)) return v.validate(value, p, diags);
  const r = v.safeParse(value);
  if (r.success) return;
  for (const issue of r.error.issues) {
    const sub = issue.path.map((s) => (typeof s === 'number' ? { index: s } : { key: String(s) }));
    diags.error('Invalid Attribute Value', `${issue.message}.`.replace(/\.\.$/, '.'), [...p, ...sub]);
  }
}

/** Visits each nested block instance of a block value with its path. */
export function eachBlockInstance(
  b: BlockSchema,
  value: Record<string, unknown>,
  p: AttributePath,
  fn: (body: BlockSchema, v: Record<string, unknown>, at: AttributePath) => void,
): void {
  for (const [name, nb] of Object.entries(b.blocks ?? {})) {
    const bv = value[name];
    if (bv === null || bv === undefined || isUnknown(bv)) continue;
    const at: AttributePath = [...p, { attribute: name }];
    if (!isRecord(bv)) continue;
    if (nb.nesting === 'single') fn(nb.block, bv, at);
    else if (nb.nesting === 'map') {
      for (const [key, element] of Object.entries(bv)) if (isRecord(element)) fn(nb.block, element, [...at, { key }]);
    } else if (Array.isArray(bv)) {
      bv.forEach((element, index) => {
        if (isRecord(element) && !isUnknown(element)) fn(nb.block, element, [...at, { index }]);
      });
    }
  }
}

/** Validates a config value of block `b`; appends diagnostics. */
export function validateBlock(
  b: BlockSchema,
  value: Record<string, unknown> | null,
  diags: Diagnostics,
  p: AttributePath = [],
): void {
  if (!value || isUnknown(value)) return;
  for (const [name, a] of Object.entries(b.attributes)) {
    const v = value[name];
    if (v === null || v === undefined || isUnknown(v)) continue;
    const at: AttributePath = [...p, { attribute: name }];
    if (a.options.computed && !a.options.optional && !a.options.required) {
      diags.error(
        'Invalid Configuration for Read-Only Attribute',
        `"${name}" is computed by the provider and cannot be set.`,
        at,
      );
      continue;
    }
    for (const val of a.options.validators ?? []) runValidator(val, v, at, diags);
  }
  eachBlockInstance(b, value, p, (body, v, at) => validateBlock(body, v, diags, at));
}

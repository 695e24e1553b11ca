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

function runValidator(check: Validator | ZodLike, value: unknown, path: AttributePath, diags: Diagnostics): void {
  if (!isZod(check)) return check.validate(value, path, diags);
  const result = check.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const sub = issue.path.map((s) => (typeof s === 'number' ? { index: s } : { key: String(s) }));
    diags.error('Invalid Attribute Value', `${issue.message}.`.replace(/\.\.$/, '.'), [...path, ...sub]);
  }
}

/** Visits each nested block instance of a block value with its path. */
export function eachBlockInstance(
  block: BlockSchema,
  value: Record<string, unknown>,
  path: AttributePath,
  fn: (body: BlockSchema, v: Record<string, unknown>, at: AttributePath) => void,
): void {
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const bv = value[name];
    if (bv === null || bv === undefined || isUnknown(bv)) continue;
    const at: AttributePath = [...path, { attribute: name }];
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

/** Validates a config value of `block`; appends diagnostics. */
export function validateBlock(
  block: BlockSchema,
  value: Record<string, unknown> | null,
  diags: Diagnostics,
  path: AttributePath = [],
): void {
  if (!value || isUnknown(value)) return;
  for (const [name, a] of Object.entries(block.attributes)) {
    const attrValue = value[name];
    if (attrValue === null || attrValue === undefined || isUnknown(attrValue)) continue;
    const at: AttributePath = [...path, { attribute: name }];
    if (a.options.computed && !a.options.optional && !a.options.required) {
      diags.error(
        'Invalid Configuration for Read-Only Attribute',
        `"${name}" is computed by the provider and cannot be set.`,
        at,
      );
      continue;
    }
    for (const val of a.options.validators ?? []) runValidator(val, attrValue, at, diags);
  }
  eachBlockInstance(block, value, path, (body, v, at) => validateBlock(body, v, diags, at));
}

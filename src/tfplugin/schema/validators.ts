/** Attribute validators: small factories returning {@link Validator} objects. Each message
 *  says what is allowed and what was received. */
import type { Validator } from './types';

/** The value must be one of `allowed`. */
export function oneOf<V extends string | number>(...allowed: V[]): Validator<V> {
  const list = allowed.map((a) => JSON.stringify(a)).join(', ');
  return {
    description: `Must be one of ${list}.`,
    validate(value, path, diags) {
      if (!allowed.includes(value))
        diags.error('Invalid Attribute Value', `Must be one of ${list}, got ${JSON.stringify(value)}.`, path);
    },
  };
}

/** A number in [min, max]. */
export function between(min: number, max: number): Validator<number> {
  return {
    description: `Must be between ${min} and ${max}.`,
    validate(value, path, diags) {
      if (!(Number(value) >= min && Number(value) <= max))
        diags.error('Invalid Attribute Value', `Must be between ${min} and ${max}, got ${String(value)}.`, path);
    },
  };
}

/** A string or collection whose length is in [min, max]. */
export function lengthBetween(min: number, max: number): Validator<string | readonly unknown[]> {
  return {
    description: `Length must be between ${min} and ${max}.`,
    validate(value, path, diags) {
      if (value.length < min || value.length > max)
        diags.error('Invalid Attribute Value', `Length must be between ${min} and ${max}, got ${value.length}.`, path);
    },
  };
}

/** A string matching `re`; `what` says in words what is expected. */
export function matches(re: RegExp, what: string): Validator<string> {
  return {
    description: `Must be ${what}.`,
    validate(v, p, diags) {
      if (!re.test(v)) diags.error('Invalid Attribute Value', `Must be ${what}, got ${JSON.stringify(v)}.`, p);
    },
  };
}

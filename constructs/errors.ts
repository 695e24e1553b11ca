/**
 * Errors of the construct library: one class with literal-typed codes. Every error names the prop
 * it is about (`prop`, a dotted path such as `masters.count`) and the construct path, so a failed
 * synth points at the line of the app to fix.
 */

/** Every error code the constructs raise. */
export type ConstructErrorCode =
  /** A prop has a value outside what is allowed (the message says what is allowed). */
  | 'invalid_prop'
  /** Two props cannot be given together, or one needs another. */
  | 'conflicting_props'
  /** A given Ignition config is not valid Ignition v3. */
  | 'invalid_ignition'
  /** A required setting was given neither as a prop nor through the environment. */
  | 'missing_setting';

const BRAND = Symbol.for('ovirt-cdktf.ValidationError');

/** A synth-time validation failure naming the prop at fault. */
export class ValidationError extends Error {
  readonly code: ConstructErrorCode;
  /** The prop at fault as a dotted path, e.g. `apiVips.1` or `workers.size.memory`. */
  readonly prop: string;
  readonly [BRAND] = true;

  /** The construct path the error is about, when known. */
  readonly scope?: string;
  /** The reason without the scope and prop prefix. */
  readonly reason: string;

  constructor(code: ConstructErrorCode, prop: string, message: string, options?: { scope?: string; cause?: unknown }) {
    const where = options?.scope ? `${options.scope}: ` : '';
    super(`${where}${prop}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ValidationError';
    this.code = code;
    this.prop = prop;
    this.scope = options?.scope;
    this.reason = message;
  }

  /** True for a ValidationError, even one from another copy of this package. */
  static is(err: unknown): err is ValidationError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Runs `fn`, giving any ValidationError it throws without a construct path the path `scope`, so
 * every synth error says which construct of the app to fix.
 */
export function inScope<T>(scope: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (ValidationError.is(err) && err.scope === undefined) {
      throw new ValidationError(err.code, err.prop, err.reason, { scope, cause: err });
    }
    throw err;
  }
}

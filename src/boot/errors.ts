/**
 * Errors of the boot package: one class with literal-typed codes, each mapped to an HTTP status
 * at the server boundary.
 */

/** Every error code the boot package raises. */
export type BootErrorCode =
  | 'invalid_entry'
  | 'invalid_ignition'
  | 'invalid_request'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'precondition_failed'
  | 'insufficient_storage'
  | 'method_not_allowed'
  | 'unavailable'
  | 'admin_http';

const STATUS: Record<BootErrorCode, number> = {
  invalid_entry: 400,
  invalid_ignition: 400,
  invalid_request: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  too_large: 413,
  precondition_failed: 412,
  insufficient_storage: 507,
  method_not_allowed: 405,
  unavailable: 503,
  admin_http: 502,
};

const BRAND = Symbol.for('ovirt-cdktf.BootError');

/** An error of the boot package; `status` is the HTTP status the server answers with. */
export class BootError extends Error {
  readonly code: BootErrorCode;
  readonly status: number;
  /** Why a boot request was refused (`unknown_machine`, `source`, `bad_token`, ...), for the server's metrics. */
  readonly refusal?: string;
  readonly [BRAND] = true;

  constructor(code: BootErrorCode, message: string, options?: { cause?: unknown; status?: number; refusal?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BootError';
    this.code = code;
    this.status = options?.status ?? STATUS[code];
    if (options?.refusal) this.refusal = options.refusal;
  }

  /** True for a BootError, even one from another copy of this package. */
  static is(err: unknown): err is BootError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
  }
}

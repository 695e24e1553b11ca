/**
 * The one error type of the engine client. Every failure (engine fault, transport, TLS, parse,
 * timeout, abort) becomes an `OvirtError` with a literal `code`, so callers branch on codes
 * rather than on message text.
 */

/** What went wrong, as a stable literal. */
export type OvirtErrorCode =
  | 'not_found' // 404 (the engine sends an empty body)
  | 'conflict' // 409 that is not one of the two below (name in use, VM running, ...)
  | 'locked' // 409 "... is locked. Please try again ..."
  | 'in_progress' // 409 "Related operation is currently in progress."
  | 'bad_request' // 400 (validation, incomplete parameters, syntax)
  | 'auth' // 401, or the SSO refused the credentials
  | 'forbidden' // 403
  | 'server' // 5xx
  | 'unavailable' // 503 specifically: the engine did not process the request
  | 'timeout' // the per-request timeout or the caller's deadline passed
  | 'aborted' // the caller's AbortSignal fired
  | 'connection' // socket-level failure (refused, reset, DNS)
  | 'tls' // certificate verification failed
  | 'parse' // the body was malformed, truncated, too large or missing a required field
  | 'multiple' // a lookup by name matched more than one object
  | 'invalid_argument' // the caller passed something the client rejects before sending
  | 'unexpected'; // any other HTTP status

const BRAND = Symbol.for('ovirt-cdktf.OvirtError');

/** Construction fields of an {@link OvirtError}. */
export interface OvirtErrorInit {
  code: OvirtErrorCode;
  message: string;
  httpStatus?: number;
  /** The engine's `<fault><reason>` verbatim. */
  reason?: string;
  /** The engine's `<fault><detail>` verbatim (often `[...]`). */
  detail?: string;
  correlationId?: string;
  /** `METHOD path` of the request, e.g. `GET /vms/123`. */
  endpoint?: string;
  cause?: unknown;
}

/** An error from the oVirt engine client. Check with `OvirtError.is(e)` (survives package copies). */
export class OvirtError extends Error {
  override readonly name = 'OvirtError';
  readonly code: OvirtErrorCode;
  readonly httpStatus?: number;
  readonly reason?: string;
  readonly detail?: string;
  readonly correlationId?: string;
  readonly endpoint?: string;

  constructor(init: OvirtErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.reason = init.reason;
    this.detail = init.detail;
    this.correlationId = init.correlationId;
    this.endpoint = init.endpoint;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True when `e` is an OvirtError (optionally with one of the given codes). */
  static is(err: unknown, ...codes: OvirtErrorCode[]): err is OvirtError {
    if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[BRAND] !== true) return false;
    return codes.length === 0 || codes.includes((err as OvirtError).code);
  }

  /** True when retrying the same request later can succeed without any change by the caller. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

const RETRYABLE: ReadonlySet<OvirtErrorCode> = new Set<OvirtErrorCode>([
  'locked',
  'in_progress',
  'server',
  'unavailable',
  'connection',
]);

/** Codes for which a request may have reached the engine and been executed: a POST is ambiguous. */
export const AMBIGUOUS_CODES: ReadonlySet<OvirtErrorCode> = new Set<OvirtErrorCode>([
  'connection',
  'timeout',
  'server',
]);

const LOCKED_TEXT = /\bis locked\b|\bare locked\b|locked\. please try again/i;
const IN_PROGRESS_TEXT =
  /related operation is currently in progress|currently being (created|updated)|in progress\. please try again/i;

/** Maps an HTTP status and the engine's fault text to a code (one place for the whole client). */
export function identify(httpStatus: number, reason = '', detail = ''): OvirtErrorCode {
  const text = `${reason} ${detail}`;
  switch (true) {
    case httpStatus === 404:
      return 'not_found';
    case httpStatus === 409 && IN_PROGRESS_TEXT.test(text):
      return 'in_progress';
    case httpStatus === 409 && LOCKED_TEXT.test(text):
      return 'locked';
    case httpStatus === 409:
      return 'conflict';
    case httpStatus === 400:
      return 'bad_request';
    case httpStatus === 401:
      return 'auth';
    case httpStatus === 403:
      return 'forbidden';
    case httpStatus === 503:
      return 'unavailable';
    case httpStatus >= 500:
      return 'server';
    default:
      return 'unexpected';
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/** Classifies a thrown transport error (undici / node:net / node:tls). */
export function identifyTransportError(err: unknown): OvirtErrorCode {
  const code = (err as { code?: string } | null)?.code ?? '';
  const name = (err as { name?: string } | null)?.name ?? '';
  if (TLS_CODES.has(code) || /^ERR_TLS|^ERR_SSL/.test(code)) return 'tls';
  if (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'timeout';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'aborted';
  return 'connection';
}

/** The same error, stamped with the request's correlation id (for errors raised after the answer arrived). */
export function withCorrelationId(err: OvirtError, correlationId: string): OvirtError {
  if (err.correlationId !== undefined) return err;
  return new OvirtError({
    code: err.code,
    httpStatus: err.httpStatus,
    reason: err.reason,
    detail: err.detail,
    endpoint: err.endpoint,
    cause: err.cause,
    correlationId,
    message: `${err.message} (correlation id ${correlationId})`,
  });
}

/**
 * The error for a caller's signal that fired: `timeout` when its reason is a TimeoutError (an
 * operation's own timeout, whose message says which one applied), else `aborted`.
 */
export function callerAbortError(
  signal: AbortSignal | undefined,
  at: { endpoint?: string; correlationId?: string; cause?: unknown } = {},
): OvirtError {
  const reason = signal?.reason as { name?: string; message?: string } | undefined;
  const timedOut = reason?.name === 'TimeoutError';
  const why = timedOut ? reason?.message || "the caller's timeout passed" : 'aborted by the caller';
  return new OvirtError({
    code: timedOut ? 'timeout' : 'aborted',
    ...at,
    message: `${at.endpoint ?? 'wait'}: ${why}${at.correlationId ? ` (correlation id ${at.correlationId})` : ''}`,
  });
}

/**
 * Errors of the provider package, and the one place where any failure (engine fault, boot
 * server refusal, missing configuration, timeout) becomes a Terraform diagnostic with the
 * engine's reason and detail, tied to the attribute it concerns.
 */
import type { OvirtErrorCode } from '../ovirt';
import { OvirtError } from '../ovirt/errors';
import { BootError } from '../boot/errors';
import { path as attrPath, type AttributePath, type Diagnostics } from '../tfplugin';
import { propertyOf } from './common';

/** What the provider itself can get wrong before any request is sent. */
export type ProviderErrorCode = 'not_configured' | 'not_found' | 'already_exists';

const PROVIDER_SUMMARY: Record<ProviderErrorCode, string> = {
  not_configured: 'Provider Not Configured',
  not_found: 'Object Not Found',
  already_exists: 'Object Already Exists',
};

const BRAND = Symbol.for('ovirt-cdktf.ProviderError');

/** An error raised by the provider's own checks. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
  ) {
    super(message);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True when `value` is a ProviderError. */
  static is(value: unknown): value is ProviderError {
    return typeof value === 'object' && value !== null && BRAND in value && value[BRAND] === true;
  }
}

/** Maps engine fault text to the attribute it is about, e.g. `[/name is already in use/i, 'name']`. */
export type AttributeHints = readonly (readonly [RegExp, string])[];

const SUMMARY: Record<OvirtErrorCode, string> = {
  not_found: 'oVirt Object Not Found',
  conflict: 'oVirt Engine Refused the Change',
  locked: 'oVirt Object Locked',
  in_progress: 'oVirt Operation Already in Progress',
  bad_request: 'oVirt Engine Rejected the Request',
  auth: 'oVirt Authentication Failed',
  forbidden: 'oVirt Permission Denied',
  server: 'oVirt Engine Error',
  unavailable: 'oVirt Engine Unavailable',
  timeout: 'oVirt Operation Timed Out',
  aborted: 'Operation Cancelled',
  connection: 'Cannot Reach the oVirt Engine',
  tls: 'oVirt Engine TLS Verification Failed',
  parse: 'Unexpected oVirt Engine Response',
  multiple: 'Ambiguous oVirt Object Name',
  invalid_argument: 'Invalid oVirt Client Settings',
  unexpected: 'Unexpected oVirt Engine Response',
};

const HINT: Partial<Record<OvirtErrorCode, string>> = {
  auth: 'Check `username` and `password` in the provider "ovirt" block (or OVIRT_USERNAME / OVIRT_PASSWORD); engine user names include the profile, e.g. admin@internal.',
  tls: "Give the engine's CA certificate with `ca_file` / `ca_pem` (or OVIRT_CAFILE); `insecure = true` skips verification for tests only.",
  connection: 'Check `url` (or OVIRT_URL) and that the engine is running and reachable from this machine.',
  locked: "The object stayed locked for the whole operation timeout; raise the resource's `timeouts` or retry later.",
  timeout: "Raise the resource's `timeouts` block (or the provider's `default_timeouts`) if the engine is just slow.",
  invalid_argument: 'Check the provider "ovirt" block.',
};

function engineText(err: OvirtError): string {
  const parts = [err.reason, err.detail].filter((x) => x && x.trim()).join(': ');
  const status = err.httpStatus ? `HTTP ${err.httpStatus}` : '';
  const where = [err.endpoint, status, err.correlationId ? `correlation id ${err.correlationId}` : '']
    .filter(Boolean)
    .join(', ');
  return `${parts || err.message}${where ? ` (${where})` : ''}`;
}

function hintedPath(
  err: OvirtError,
  hints: AttributeHints | undefined,
  fallback: AttributePath | undefined,
): AttributePath | undefined {
  const text = `${err.reason ?? ''} ${err.detail ?? ''}`;
  const hit = hints?.find(([re]) => re.test(text));
  return hit ? attrPath(hit[1]) : fallback;
}

/** Why an operation's signal fired: Terraform stopping, or the operation's timeout (saying which). */
function abortText(signal: AbortSignal | undefined, op: string): string {
  const reason: unknown = signal?.reason;
  return propertyOf(reason, 'name') === 'TimeoutError'
    ? `${capitalized(String(propertyOf(reason, 'message') || `the ${op} timeout passed`))} before the ${op} finished. Raise \`timeouts.${op}\` (or the provider's \`default_timeouts\`).`
    : 'Terraform asked the provider to stop.';
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** True when the operation's signal fired because its timeout passed. */
function timedOut(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && propertyOf(signal.reason, 'name') === 'TimeoutError';
}

/** Context of {@link reportError}. */
export interface ErrorContext {
  /** What was being done, e.g. `creating VM "web-1"`. */
  action: string;
  /** The attribute to point at when no hint matches. */
  path?: AttributePath;
  hints?: AttributeHints;
  signal?: AbortSignal;
  /** The Terraform operation (for timeout messages). */
  op?: 'create' | 'read' | 'update' | 'delete';
}

/** Adds an error diagnostic for `err` (any thrown value), with the engine's reason and detail. */
export function reportError(diags: Diagnostics, err: unknown, ctx: ErrorContext): void {
  if (OvirtError.is(err)) {
    const aborted = err.code === 'aborted' || (err.code === 'timeout' && ctx.signal?.aborted);
    const summary = aborted && timedOut(ctx.signal) ? 'oVirt Operation Timed Out' : SUMMARY[err.code];
    const detail = aborted
      ? `${abortText(ctx.signal, ctx.op ?? 'operation')} While ${ctx.action}: ${err.message}`
      : `While ${ctx.action}, the engine answered: ${engineText(err)}.${HINT[err.code] ? ' ' + HINT[err.code] : ''}`;
    diags.error(summary, detail, hintedPath(err, ctx.hints, ctx.path));
    return;
  }
  if (BootError.is(err)) {
    const why = ctx.signal?.aborted ? `${abortText(ctx.signal, ctx.op ?? 'operation')} ` : '';
    diags.error(
      timedOut(ctx.signal) ? 'Boot Server Operation Timed Out' : 'Boot Server Error',
      `${why}While ${ctx.action}: ${err.message}`,
      ctx.path,
    );
    return;
  }
  if (ProviderError.is(err)) {
    diags.error(PROVIDER_SUMMARY[err.code], err.message, ctx.path);
    return;
  }
  const msg = err instanceof Error ? err.message : String(err);
  diags.error('Unexpected Provider Error', `While ${ctx.action}: ${msg}`, ctx.path);
}

/** True for a 404 from the engine (the object is gone). */
export function isNotFound(err: unknown): boolean {
  return OvirtError.is(err, 'not_found');
}

/** Reports an import id that does not have the expected form, e.g. `vm_id/disk_id`. */
export function badImportId(diags: Diagnostics, id: string, expected: string): null {
  diags.error('Invalid Import ID', `Expected ${expected}, got ${JSON.stringify(id)}.`);
  return null;
}

/**
 * Helpers every handler uses: run engine calls with error reporting, request and wait options
 * bound to the operation's signal (which carries the operation's timeout).
 */
import type { RequestOptions, WaitOptions } from '../ovirt';
import { OvirtError } from '../ovirt/errors';
import type { Diagnostics } from '../tfplugin';
import { ProviderError, reportError, type ErrorContext } from './errors';

/** Runs `fn`; a throw becomes an error diagnostic (see {@link reportError}) and the result undefined. */
export async function attempt<T>(diags: Diagnostics, ctx: ErrorContext, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    reportError(diags, err, ctx);
    return undefined;
  }
}

/**
 * A create or update that converges a collection of the engine in several requests: when one fails
 * (reported on diags), what the engine now holds is listed instead, so the state records it and
 * nothing done is lost. Undefined only when the listing fails too.
 */
export async function convergeOrList<T>(
  diags: Diagnostics,
  ctx: ErrorContext,
  listing: string,
  converge: () => Promise<T>,
  list: () => Promise<T>,
): Promise<T | undefined> {
  return (await attempt(diags, ctx, converge)) ?? attempt(diags, { ...ctx, action: listing }, list);
}

/** Request options of one operation: cancelled with the operation (Ctrl-C or its timeout). */
export function reqOpts(signal: AbortSignal): RequestOptions {
  return { signal };
}

/** The operation's signal bounds every wait; the waiter's own limit only backs it up. */
const WAIT_BACKSTOP_MS = 24 * 3600_000;

/** Wait options of one operation: poll fast first (the simulator's changes are often instant), then back off. */
export function waitOpts(signal: AbortSignal): WaitOptions {
  return { signal, timeoutMs: WAIT_BACKSTOP_MS, intervalMs: 100, maxIntervalMs: 5000 };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn`, waiting out "locked" and "operation in progress" refusals (a disk still being
 * copied, a VM still image_locked) for as long as the operation's timeout allows. The client
 * already retries a few times; this covers locks that last minutes.
 */
export async function untilUnlocked<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  let delay = 250;
  for (;;) {
    let refusal: unknown;
    try {
      return await fn();
    } catch (err) {
      if (!OvirtError.is(err, 'locked', 'in_progress') || signal.aborted) throw err;
      refusal = err;
    }
    await pause(delay, signal);
    // Out of time: report the lock, which says more than "aborted".
    if (signal.aborted) throw refusal;
    delay = Math.min(delay * 2, 5000);
  }
}

/**
 * Reads one object for a resource's `read`: the value, `null` when the engine answers 404 (the
 * object is gone and leaves the state), or `undefined` after reporting any other failure.
 */
export async function readObject<T>(
  diags: Diagnostics,
  ctx: ErrorContext,
  fn: () => Promise<T>,
): Promise<T | null | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (OvirtError.is(err, 'not_found')) return null;
    reportError(diags, err, ctx);
    return undefined;
  }
}

/** Runs a delete: an object already gone (404) counts as deleted; other failures are reported. */
export async function removeObject(diags: Diagnostics, ctx: ErrorContext, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!OvirtError.is(err, 'not_found')) reportError(diags, err, ctx);
  }
}

/**
 * Finds one object for a data source: the value, or undefined after reporting the failure (a
 * missing object is reported with `notFound`, which says what was looked for; a function is
 * called only then, e.g. to list the names that do exist).
 */
export async function lookup<T>(
  diags: Diagnostics,
  ctx: ErrorContext,
  notFound: string | (() => Promise<string>),
  fn: () => Promise<T | undefined>,
): Promise<T | undefined> {
  return attempt(diags, ctx, async () => {
    const found = await fn();
    if (found === undefined)
      throw new ProviderError('not_found', typeof notFound === 'string' ? notFound : await notFound());
    return found;
  });
}

/** How many existing names a not-found message lists before "and N more". */
const NAMES_SHOWN = 5;

/**
 * `message` followed by the names that do exist (sorted, a few, then "and N more"), so that a
 * typo or a name from another engine is obvious: `No cluster is named "Defualt". The engine has: Default.`
 */
export function withExistingNames(
  message: string,
  names: readonly (string | undefined)[],
  where = 'The engine has',
): string {
  const all = [...new Set(names.filter((n): n is string => !!n))].sort();
  if (all.length === 0) return `${message} ${where} none.`;
  const shown = all.slice(0, NAMES_SHOWN).join(', ');
  return `${message} ${where}: ${shown}${all.length > NAMES_SHOWN ? ` and ${all.length - NAMES_SHOWN} more` : ''}.`;
}

/** Exponential backoff with jitter, and an abortable sleep bounded by a deadline. */
import { callerAbortError } from './errors';

/** Backoff settings (ms). */
export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Delay before retry number `attempt` (1-based): base * 2^(attempt-1), capped, with +-50% jitter. */
export function backoffDelay(attempt: number, settings: BackoffSettings): number {
  const exp = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + Math.random()));
}

/** Sleeps `ms`, rejecting with an `aborted` (or, for a timeout reason, `timeout`) OvirtError when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal, endpoint?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(callerAbortError(signal, { endpoint }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(callerAbortError(signal, { endpoint }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves like `p`, but rejects as soon as the signal fires (p keeps running for others). */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  at: { endpoint: string; correlationId?: string },
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(callerAbortError(signal, at));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    promise.then(
      (value) => {
        done();
        resolve(value);
      },
      (err: unknown) => {
        done();
        reject(err);
      },
    );
  });
}

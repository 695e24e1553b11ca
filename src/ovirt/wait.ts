/** Polling waiters: start fast, back off, stop at the deadline or on abort. */
import { sleep } from './backoff';
import { OvirtError } from './errors';
import type { RequestOptions, WaitOptions } from './request-options';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/**
 * Polls `read` until `done(value)`; returns that value. Errors from `read` propagate (the read
 * itself retries what is retryable). On deadline: a `timeout` error saying what was last seen.
 */
export async function waitFor<T>(
  what: string, read: (o: RequestOptions) => Promise<T>, done: (v: T) => boolean,
  opts: WaitOptions = {}, describe: (v: T) => string = () => 'not yet',
): Promise<T> {
  const deadline = opts.deadline ?? Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxInterval = opts.maxIntervalMs ?? 5_000;
  let interval = opts.intervalMs ?? 250;
  const readOpts: RequestOptions = { signal: opts.signal, correlationId: opts.correlationId, deadline };
  for (;;) {
    const value = await read(readOpts);
    if (done(value)) return value;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new OvirtError({ code: 'timeout', correlationId: opts.correlationId, message: `timed out waiting for ${what} (last seen: ${describe(value)})` });
    }
    await sleep(Math.min(interval, left), opts.signal, `waiting for ${what}`);
    interval = Math.min(maxInterval, interval * 2);
  }
}

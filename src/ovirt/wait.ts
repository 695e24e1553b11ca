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
  what: string,
  read: (o: RequestOptions) => Promise<T>,
  done: (v: T) => boolean,
  opts: WaitOptions = {},
  describe: (v: T) => string = () => 'not yet',
): Promise<T> {
  const deadline = opts.deadline ?? Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxInterval = opts.maxIntervalMs ?? 5_000;
  let interval = opts.intervalMs ?? 250;
  const readOpts: RequestOptions = { signal: opts.signal, correlationId: opts.correlationId, deadline };
  let last: { value: T } | undefined;
  const timedOut = (cause?: unknown) =>
    new OvirtError({
      code: 'timeout',
      correlationId: opts.correlationId,
      cause,
      message: `timed out waiting for ${what} (last seen: ${last ? describe(last.value) : 'nothing yet'})`,
    });
  for (;;) {
    try {
      last = { value: await read(readOpts) };
    } catch (err) {
      // A read cut short by the waiter's own deadline is the waiter's timeout, said in its words.
      if (OvirtError.is(err, 'timeout') && Date.now() >= deadline) throw timedOut(err);
      throw err;
    }
    if (done(last.value)) return last.value;
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    await sleep(Math.min(interval, left), opts.signal, `waiting for ${what}`);
    interval = Math.min(maxInterval, interval * 2);
  }
}

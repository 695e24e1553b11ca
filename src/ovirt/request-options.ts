/** Per-call options accepted by every service method. */
export interface RequestOptions {
  /** Cancels the call (and any retry or wait) when aborted. */
  signal?: AbortSignal;
  /** Sent as `Correlation-Id`; generated when absent. Appears in every error. */
  correlationId?: string;
  /** Absolute deadline (epoch ms, like `Date.now()`) bounding the call including retries. */
  deadline?: number;
}

/** Options of a waiter (`waitForVmStatus` ...). */
export interface WaitOptions extends RequestOptions {
  /** First poll interval in ms (doubles up to `maxIntervalMs`). Default 250. */
  intervalMs?: number;
  /** Longest poll interval in ms. Default 5000. */
  maxIntervalMs?: number;
  /** Relative timeout in ms, used when `deadline` is absent. Default 10 minutes. */
  timeoutMs?: number;
}

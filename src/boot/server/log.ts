/**
 * The server's clock and log sink. Every line carries an ISO timestamp; the default sink buffers
 * lines and writes them once per event-loop turn, because a synchronous stderr write per request
 * (pipes are synchronous in Node on Linux) would cost the hot path more than the request itself.
 */

let lastMs = 0;
let lastIso = '';

/** The current time in ISO form, formatted at most once per millisecond (a busy server asks often). */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** A log sink: one line, no newline. */
export type LogFn = (line: string) => void;

/** Adds the timestamp to every line before it reaches `sink`. */
export function timestamped(sink: LogFn): LogFn {
  return (line) => sink(`${isoNow()} ${line}`);
}

/** A sink that writes `prefix + line` to a stream, batched per event-loop turn. */
export function batchedSink(stream: NodeJS.WritableStream, prefix: string): { log: LogFn; flush(): void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    stream.write(text);
  };
  return {
    log: (line) => {
      pending.push(`${prefix}${line}\n`);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

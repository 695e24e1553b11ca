/**
 * Logging that Terraform shows under TF_LOG / TF_LOG_PROVIDER: hclog JSON lines on stderr
 * (go-plugin parses them and logs at their level). Never stdout, which belongs to the handshake.
 */

/** Log levels in hclog's order. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** A structured logger. Field values must never hold sensitive data. */
export interface Logger {
  trace(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds fields to every line. */
  with(fields: Record<string, unknown>): Logger;
}

/** Where log lines go; stderr unless told otherwise (tests capture lines). */
export type LogSink = (line: string) => void;

/**
 * The `@timestamp` go-plugin accepts: Go layout `2006-01-02T15:04:05.000000Z07:00`, exactly six
 * fraction digits. A line it cannot parse is shown as raw text at DEBUG, losing its level.
 */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Creates a logger writing hclog JSON lines. */
export function createLogger(
  sink: LogSink = (l) => process.stderr.write(l),
  base: Record<string, unknown> = {},
): Logger {
  const emit =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      sink(
        JSON.stringify({
          '@level': level,
          '@message': msg,
          '@timestamp': hclogTimestamp(new Date()),
          ...base,
          ...fields,
        }) + '\n',
      );
  return {
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    with: (fields) => createLogger(sink, { ...base, ...fields }),
  };
}

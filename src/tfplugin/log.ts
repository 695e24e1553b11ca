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

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/**
 * The lowest level Terraform shows from a provider, as Terraform itself decides it: TF_LOG_PROVIDER,
 * else TF_LOG; unset means off (null: nothing is shown), an unknown value (e.g. `1`, `JSON`) means trace.
 */
export function terraformProviderLogLevel(env: NodeJS.ProcessEnv): LogLevel | null {
  const value = (env.TF_LOG_PROVIDER || env.TF_LOG || '').toLowerCase();
  if (value === '' || value === 'off') return null;
  return (LEVELS as readonly string[]).includes(value) ? (value as LogLevel) : 'trace';
}

/**
 * Creates a logger writing hclog JSON lines. Without a `sink` it writes to stderr, and only the
 * levels Terraform shows (see {@link terraformProviderLogLevel}): a line Terraform drops still costs a
 * write here and a JSON parse in Terraform, for every RPC and engine request.
 */
export function createLogger(sink?: LogSink, base: Record<string, unknown> = {}): Logger {
  if (sink) return hclogLogger(sink, base, 'trace');
  const shown = terraformProviderLogLevel(process.env);
  // Warnings and errors always go out: Terraform shows a plugin's stderr on a crash.
  const least = shown === null || LEVELS.indexOf(shown) > LEVELS.indexOf('warn') ? 'warn' : shown;
  return hclogLogger((l) => process.stderr.write(l), base, least);
}

function hclogLogger(sink: LogSink, base: Record<string, unknown>, least: LogLevel): Logger {
  const dropped = () => undefined;
  const emit = (level: LogLevel) =>
    LEVELS.indexOf(level) < LEVELS.indexOf(least)
      ? dropped
      : (msg: string, fields: Record<string, unknown> = {}) =>
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
    with: (fields) => hclogLogger(sink, { ...base, ...fields }, least),
  };
}

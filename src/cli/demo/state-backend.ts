/**
 * `--state-backend postgres://...`: Terraform's pg backend (state in PostgreSQL, with locking). The
 * URL is split: cdk.tf.json gets it without credentials; terraform gets those as PGUSER/PGPASSWORD.
 */

/** The pg backend settings: what the app synthesizes, and the credentials for terraform's environment. */
export interface PgStateBackend {
  /** The connection string without user and password (safe to synthesize and to print). */
  connStr: string;
  /** PGUSER / PGPASSWORD, when the URL named them. */
  credentials: Record<string, string>;
}

/** Splits a `postgres://user:password@host/db?...` URL. */
export function pgStateBackend(url: string): PgStateBackend {
  const parsed = new URL(url);
  const credentials: Record<string, string> = {};
  if (parsed.username) credentials.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) credentials.PGPASSWORD = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { connStr: parsed.toString(), credentials };
}

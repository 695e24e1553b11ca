/**
 * Fetches the engine's CA certificate for a user to review and pin. Never used implicitly: the
 * client does not trust what it downloads over an unverified connection by itself.
 */
import { OvirtError } from './errors';
import { HttpPool } from './http';

/** Downloads `/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA` (PEM text). */
export async function fetchEngineCa(
  engineUrl: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const url = new URL(engineUrl);
  const path = '/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA';
  const endpoint = `GET ${path}`;
  // Verification must be off here: this is how a user obtains the CA to verify with afterwards.
  const pool = new HttpPool({ origin: url.origin, insecure: true, maxConnections: 1 });
  try {
    const res = await pool.send({
      method: 'GET',
      path,
      headers: {},
      timeoutMs: opts.timeoutMs ?? 30_000,
      signal: opts.signal,
      maxBodyBytes: 1 << 20,
      endpoint,
    });
    if (res.status !== 200 || !res.text.includes('-----BEGIN CERTIFICATE-----')) {
      throw new OvirtError({
        code: res.status === 200 ? 'parse' : 'unexpected',
        httpStatus: res.status,
        endpoint,
        message: `${endpoint}: no PEM certificate in the answer (HTTP ${res.status})`,
      });
    }
    return res.text;
  } finally {
    await pool.close();
  }
}

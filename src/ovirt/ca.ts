/**
 * Fetches the engine's CA certificate for a user to review and pin. Never used implicitly: the
 * client does not trust what it downloads over an unverified connection by itself.
 */
import { Pool } from 'undici';
import { OvirtError } from './errors';

/** Downloads `/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA` (PEM text). */
export async function fetchEngineCa(engineUrl: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  const url = new URL(engineUrl);
  const path = '/ovirt-engine/services/pki-resource?resource=ca-certificate&format=X509-PEM-CA';
  const endpoint = `GET ${path}`;
  // Verification must be off here: this is how a user obtains the CA to verify with afterwards.
  const pool = new Pool(url.origin, { connect: { rejectUnauthorized: false } });
  try {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const res = await pool.request({ method: 'GET', path, signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.includes('-----BEGIN CERTIFICATE-----')) {
      throw new OvirtError({ code: res.statusCode === 200 ? 'parse' : 'unexpected', httpStatus: res.statusCode, endpoint, message: `${endpoint}: no PEM certificate in the answer (HTTP ${res.statusCode})` });
    }
    return text;
  } catch (e) {
    if (OvirtError.is(e)) throw e;
    throw new OvirtError({ code: 'connection', endpoint, cause: e, message: `${endpoint}: ${(e as Error).message}` });
  } finally {
    await pool.close();
  }
}

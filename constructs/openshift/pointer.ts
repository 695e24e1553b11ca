/**
 * Pointer ("stub") Ignition configs: a few hundred bytes that tell Ignition to fetch and merge the
 * real config from a URL, trusting one CA. OpenShift's installer writes these for masters and workers
 * (merge source `https://<API VIP>:22623/config/<role>`, the Machine Config Server, trusting the
 * installer's root CA); the constructs also use one for the bootstrap, whose full config is too large
 * for the VM's initialization payload and is served by the boot server instead.
 */
import { Fn } from 'cdktf';
import { isToken } from '../validation';

/** What a pointer config points at. */
export interface PointerIgnitionOptions {
  /** The URL the full config is merged from. May be a token (e.g. a boot entry's Ignition URL). */
  readonly source: string;
  /** PEM CA certificate(s) that sign the source's TLS certificate; omitted for system trust. */
  readonly caPem?: string;
  /** Ignition spec version of the pointer. @default '3.2.0' (read by RHCOS 4.8 and later) */
  readonly version?: string;
}

/** A data URL carrying `pem`; base64 at synth time, or through Terraform's base64encode for a token. */
function pemDataUrl(pem: string): string {
  const b64 = isToken(pem) ? Fn.base64encode(pem) : Buffer.from(pem, 'utf8').toString('base64');
  return `data:text/plain;charset=utf-8;base64,${b64}`;
}

/** The pointer config as an object (Ignition v3 JSON shape). */
export function pointerIgnitionObject(opts: PointerIgnitionOptions): Record<string, unknown> {
  const ignition: Record<string, unknown> = {
    version: opts.version ?? '3.2.0',
    config: { merge: [{ source: opts.source }] },
  };
  if (opts.caPem) {
    ignition.security = { tls: { certificateAuthorities: [{ source: pemDataUrl(opts.caPem) }] } };
  }
  return { ignition };
}

/** The pointer config as compact JSON text, ready for a VM's custom script or a boot entry. */
export function pointerIgnition(opts: PointerIgnitionOptions): string {
  return JSON.stringify(pointerIgnitionObject(opts));
}

/** The Machine Config Server URL of a role: on oVirt the API VIP, since no DNS exists before Ignition. */
export function machineConfigUrl(apiVip: string, role: string): string {
  const host = apiVip.includes(':') ? `[${apiVip}]` : apiVip;
  return `https://${host}:22623/config/${role}`;
}

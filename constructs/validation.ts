/**
 * Synth-time validation rules shared by the constructs. Each rule throws a ValidationError naming
 * the prop, and skips values that are Terraform tokens (unknown until apply): a token's text is not
 * the value, so checking it would reject valid apps.
 */
import { Token } from 'cdktf';
import { parseIp } from '../src/boot/entry';
import { ValidationError } from './errors';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** True when `v` is a token (a value known only at apply time). */
export function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** A DNS label (RFC 1123): lowercase letters, digits and '-', 1–63 characters, no edge '-'. */
export function checkDnsLabel(value: string, prop: string): void {
  if (isToken(value)) return;
  if (!DNS_LABEL.test(value)) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be a DNS label (1-63 of a-z, 0-9 and '-', starting and ending with a letter or digit); got ${JSON.stringify(value)}`,
    );
  }
}

/** A DNS name: dot-separated DNS labels, at most 253 characters, no trailing dot. */
export function checkDnsName(value: string, prop: string): void {
  if (isToken(value)) return;
  const labels = value.split('.');
  if (value.length > 253 || labels.some((l) => !DNS_LABEL.test(l))) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be a DNS name of labels a-z, 0-9 and '-' separated by dots, at most 253 characters; got ${JSON.stringify(value)}`,
    );
  }
}

/** The address family of an IP literal, or undefined when `s` is not one. */
export function ipFamily(text: string): 'ipv4' | 'ipv6' | undefined {
  const bytes = parseIp(text);
  return bytes === undefined ? undefined : bytes.length === 4 ? 'ipv4' : 'ipv6';
}

/** A canonical text form of an IP literal, so `::1` and `0:0::1` compare equal. */
function canonicalIp(text: string): string {
  return Array.from(parseIp(text)!).join('.');
}

/**
 * Checks virtual IPs given as `{ prop: [ips] }`: at least one per prop, each a valid IP literal,
 * all distinct across props, and all of one address family.
 */
export function checkVips(groups: Record<string, readonly string[]>): void {
  const seen = new Map<string, string>();
  let family: { name: 'ipv4' | 'ipv6'; prop: string } | undefined;
  for (const [prop, ips] of Object.entries(groups)) {
    if (ips.length === 0) throw new ValidationError('invalid_prop', prop, 'needs at least one IP address');
    ips.forEach((ip, index) => {
      const where = `${prop}.${index}`;
      if (isToken(ip)) return;
      const fam = ipFamily(ip);
      if (!fam)
        throw new ValidationError('invalid_prop', where, `is not an IPv4 or IPv6 address: ${JSON.stringify(ip)}`);
      const key = canonicalIp(ip);
      const other = seen.get(key);
      if (other)
        throw new ValidationError('invalid_prop', where, `${ip} is already used by ${other}; VIPs must be distinct`);
      seen.set(key, where);
      if (family && family.name !== fam) {
        throw new ValidationError(
          'invalid_prop',
          where,
          `${ip} is ${fam} but ${family.prop} is ${family.name}; all VIPs must be of one address family`,
        );
      }
      family ??= { name: fam, prop: where };
    });
  }
}

/** OpenShift control planes are 1 machine (single node) or an odd number ≥ 3 (etcd quorum). */
export function checkMasterCount(count: number, prop: string): void {
  if (!Number.isInteger(count) || !(count === 1 || (count >= 3 && count % 2 === 1))) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be 1 or an odd number of at least 3 (etcd needs a majority); got ${count}`,
    );
  }
}

/** A whole number within [min, max]. */
export function checkCount(count: number, prop: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(count) || count < min || count > max) {
    throw new ValidationError('invalid_prop', prop, `must be a whole number from ${min} to ${max}; got ${count}`);
  }
}

/** A MAC address (six hex pairs separated by ':' or '-'). */
export function checkMac(value: string, prop: string): void {
  if (isToken(value)) return;
  if (!/^[0-9a-f]{2}([-:])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(value)) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `is not a MAC address such as 56:6f:1a:00:00:01; got ${JSON.stringify(value)}`,
    );
  }
}

/** An http(s) URL. */
export function checkUrl(value: string, prop: string, protocols: readonly string[] = ['http:', 'https:']): void {
  if (isToken(value)) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !protocols.includes(parsed.protocol)) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be an ${protocols.map((p) => p.slice(0, -1)).join(' or ')} URL; got ${JSON.stringify(value)}`,
    );
  }
}

/** An engine object name: letters, digits, '.', '_' and '-', 1–255 characters. */
export function checkEngineName(value: string, prop: string): void {
  if (isToken(value)) return;
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(value)) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be 1-255 of letters, digits, '.', '_' and '-'; got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Scrubbing for recordings: replaces credentials, tokens, passwords, custom scripts (cloud-init,
 * Ignition), SSH keys and host names with placeholders, in XML, JSON, form bodies and headers, so a
 * recording of a real engine can be shared. Structural rules work on element/key names; the values
 * the client knows to be secret (its password, the tokens it saw, the engine's host name) are also
 * replaced wherever they appear.
 */

/** What a secret becomes. */
export const SCRUBBED = 'SCRUBBED';
/** What a host name becomes (a reserved name: it resolves nowhere). */
export const SCRUBBED_HOST = 'host.example.invalid';

/** Elements / JSON keys / form fields whose whole value is a secret. */
const SECRET_KEYS = [
  'password',
  'root_password',
  'custom_script',
  'authorized_ssh_keys',
  'ssh_public_key',
  'public_key',
  'private_key',
  'content',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'username',
  'user_name',
];
/** Elements / JSON keys whose value names a machine: host names, IP addresses, certificate subjects (MACs are kept). */
const HOST_KEYS = [
  'address',
  'fqdn',
  'host_name',
  'hostname',
  'domain',
  'dns_servers',
  'dns_search',
  'gateway',
  'subject',
  'organization',
];

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Unstructured secrets found anywhere: SSH public keys, PEM private keys, bearer / basic credentials. */
const PATTERNS: [RegExp, string][] = [
  [
    /(ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]{16,}[^\s<"&]*(?: [^\s<"&]+)?/g,
    `$1 ${SCRUBBED}`,
  ],
  [
    /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    `-----BEGIN $1PRIVATE KEY-----${SCRUBBED}-----END $1PRIVATE KEY-----`,
  ],
  // A credential has a digit or a symbol: "Basic authentication" in a fault text is not one.
  [/\b(Bearer|Basic) (?=[A-Za-z]*[0-9+/=._~-])[A-Za-z0-9+/=._~-]{8,}/g, `$1 ${SCRUBBED}`],
];

function hostPlaceholder(value: string): string {
  if (MAC.test(value.trim())) return value;
  if (IPV4.test(value.trim())) return '192.0.2.1';
  if (value.includes(':')) return '2001:db8::1';
  return SCRUBBED_HOST;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (keys: string[]) => keys.map(escapeRe).join('|');
const XML_SECRET = new RegExp(`<(${alternation(SECRET_KEYS)})(\\s[^>]*)?>[\\s\\S]*?</\\1>`, 'g');
const XML_HOST = new RegExp(`<(${alternation(HOST_KEYS)})(\\s[^>]*)?>([^<]*)</\\1>`, 'g');
const JSON_SECRET = new RegExp(`"(${alternation(SECRET_KEYS)})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
const JSON_HOST = new RegExp(`"(${alternation(HOST_KEYS)})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'g');

/** Replaces secrets in request/response texts; learns tokens as it sees them. */
export class Scrubber {
  private readonly known = new Set<string>();
  private readonly hosts: RegExp[];

  /** `secrets`: values never to be written (the password ...); `hosts`: host names to hide. */
  constructor(secrets: string[], hosts: string[]) {
    for (const s of secrets) this.learn(s);
    // Whole names only: an engine called `engine` must not turn `/ovirt-engine/api` into a placeholder.
    this.hosts = hosts.map((h) => new RegExp(`(?<![A-Za-z0-9-])${escapeRe(h)}(?![A-Za-z0-9-])`, 'gi'));
  }

  /** Remembers a value to replace wherever it appears. Very short values are left to the structural rules. */
  learn(value: string | undefined): void {
    if (value !== undefined && value.length >= 4) this.known.add(value);
  }

  /** Learns the bearer token of an `Authorization` header. */
  learnAuthorization(header: string | undefined): void {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (match) this.learn(match[1]);
  }

  /** Learns the `access_token` of an SSO answer. */
  learnSsoAnswer(text: string): void {
    const match = /"access_token"\s*:\s*"([^"]+)"/.exec(text);
    if (match) this.learn(match[1]);
  }

  /** Scrubs a body (XML, JSON or form-encoded, by content type) or any other text (paths, headers). */
  text(text: string, contentType = ''): string {
    let out = text;
    if (contentType.includes('x-www-form-urlencoded')) out = this.form(out);
    out = out
      .replace(XML_SECRET, (_m, k: string, attrs = '') => `<${k}${attrs}>${SCRUBBED}</${k}>`)
      .replace(XML_HOST, (_m, k: string, attrs = '', v: string) => `<${k}${attrs}>${hostPlaceholder(v)}</${k}>`)
      .replace(JSON_SECRET, (_m, k: string, sep: string) => `"${k}"${sep}"${SCRUBBED}"`)
      .replace(JSON_HOST, (_m, k: string, sep: string, v: string) => `"${k}"${sep}"${hostPlaceholder(v)}"`);
    for (const [re, to] of PATTERNS) out = out.replace(re, to);
    // Longest first, so a secret containing another is replaced whole.
    for (const value of [...this.known].sort((a, b) => b.length - a.length)) {
      out = out.split(value).join(SCRUBBED);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) out = out.split(encoded).join(SCRUBBED);
    }
    for (const re of this.hosts) out = out.replace(re, SCRUBBED_HOST);
    return out;
  }

  private form(body: string): string {
    const params = new URLSearchParams(body);
    for (const k of [...params.keys()]) if (SECRET_KEYS.includes(k)) params.set(k, SCRUBBED);
    return params.toString();
  }

  /** The headers that matter for conformance, scrubbed (`authorization` keeps only its scheme). */
  headers(headers: Record<string, string | string[] | undefined>, keep: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of keep) {
      const value = headers[name];
      if (value === undefined) continue;
      out[name] = this.text(Array.isArray(value) ? value.join(', ') : value);
    }
    return out;
  }
}

/**
 * Signs of an unscrubbed secret in a recorded text (a check for contributed recordings): bearer or
 * basic credentials, SSH key material, private keys, passwords in form bodies. Empty when clean.
 */
export function unscrubbed(text: string): string[] {
  const found: string[] = [];
  for (const [re] of PATTERNS) {
    for (const m of text.matchAll(new RegExp(re.source, 'g')))
      if (!m[0].includes(SCRUBBED)) found.push(m[0].slice(0, 40));
  }
  for (const m of text.matchAll(/(?:^|&)password=([^&"\s]*)/g)) if (m[1] !== SCRUBBED) found.push('password=…');
  for (const m of text.matchAll(XML_SECRET)) if (!m[0].includes(`>${SCRUBBED}<`)) found.push(`<${m[1]}>…`);
  for (const m of text.matchAll(JSON_SECRET)) if (!m[0].endsWith(`"${SCRUBBED}"`)) found.push(`"${m[1]}"…`);
  return found;
}

/**
 * RFC 2397 data URLs as Ignition reads them: encoding file contents so that ignition-validate
 * accepts them, and checking a data URL the way Ignition's parser does.
 */

/** Characters that may stand unescaped in the data part (RFC 2396 unreserved, minus reserved). */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]$/;
const URIC = /[A-Za-z0-9\-_.!~*'();/?:@&=+$,]/;
const TOKEN = /^[A-Za-z0-9!#$&^_.+-]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Percent-encodes bytes the way Ignition's own encoder does (`data:,<escaped>`). */
export function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const char = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(char) ? char : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Encodes file contents as the shorter of `data:,<percent-escaped>` and `data:;base64,<b64>`,
 * so that text stays readable in review and binaries stay compact.
 */
export function toDataUrl(contents: string | Uint8Array): string {
  const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const plain = 'data:,' + percentEncode(bytes);
  const b64 = 'data:;base64,' + Buffer.from(bytes).toString('base64');
  return plain.length <= b64.length ? plain : b64;
}

/** Checks a `data:` URL; returns the problem as ignition-validate words it, or undefined. */
export function checkDataUrl(url: string): string | undefined {
  const rest = url.slice('data:'.length);
  const comma = rest.indexOf(',');
  if (comma < 0) return rest.includes('/') || rest === '' ? 'missing data part' : 'missing media type slash';
  const head = rest.slice(0, comma);
  const data = rest.slice(comma + 1);
  const parts = head.split(';');
  const mediaType = parts.shift()!;
  if (mediaType !== '') {
    const [type, sub, extra] = mediaType.split('/');
    if (sub === undefined) return 'invalid character for media type';
    if (extra !== undefined || !TOKEN.test(type!) || !TOKEN.test(sub)) return 'invalid character for media type';
  }
  let base64 = false;
  for (const [i, p] of parts.entries()) {
    if (p === 'base64' && i === parts.length - 1) {
      base64 = true;
      continue;
    }
    const eq = p.indexOf('=');
    if (eq <= 0) return `expected base64, got ${p}`;
    if (!TOKEN.test(p.slice(0, eq)) || !/^[^\s";,]+$/.test(p.slice(eq + 1))) return 'invalid media type parameter';
  }
  if (base64) return BASE64.test(data) ? undefined : 'illegal base64 data';
  return checkEscapedData(data);
}

function checkEscapedData(data: string): string | undefined {
  for (let i = 0; i < data.length; i++) {
    const char = data[i]!;
    if (char === '%') {
      const hex = data.slice(i + 1, i + 3);
      if (hex.length < 2) return 'rfc2396: unexpected end of unescape sequence';
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return 'rfc2396: invalid char in unescape sequence';
      i += 2;
    } else if (!URIC.test(char)) {
      return 'invalid data character';
    }
  }
  return undefined;
}

/**
 * Ignition's rules for resources (file contents, appends, merged/replaced configs, CA bundles):
 * URL schemes and syntax, data URLs, compression, verification hashes and HTTP headers.
 */
import { checkDataUrl } from './dataurl';
import type { RuleContext } from './rule-context';

type Obj = Record<string, unknown>;

const HASH_SIZES: Record<string, { hexLength: number; since: number }> = {
  sha512: { hexLength: 128, since: 0 },
  sha256: { hexLength: 64, since: 1 },
};

/** Returns the URL's lowercased scheme, or an error text when Go's url.Parse would refuse it. */
export function parseUrlScheme(url: string): { scheme: string } | { error: string } {
  // eslint-disable-next-line no-control-regex -- Go's url.Parse refuses control characters; so do we.
  if (/[\x00-\x1f\x7f]/.test(url)) return { error: 'unable to parse url' };
  if (/%(?![0-9a-fA-F]{2})/.test(url.replace(/#.*$/, ''))) return { error: 'unable to parse url' };
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  if (!schemeMatch) {
    // No scheme: Go refuses a colon in the first path segment, otherwise parses a bare path.
    const first = url.split(/[/?#]/)[0]!;
    return first.includes(':') ? { error: 'unable to parse url' } : { scheme: '' };
  }
  const rest = url.slice(schemeMatch[0].length);
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split(/[/?#]/)[0]!;
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    if (!validHostPort(hostPort)) return { error: 'unable to parse url' };
  }
  return { scheme: schemeMatch[1]!.toLowerCase() };
}

function validHostPort(hp: string): boolean {
  if (hp.startsWith('[')) return /^\[[0-9a-fA-F:.]+(%[^\]]*)?\](:\d*)?$/.test(hp);
  const colon = hp.lastIndexOf(':');
  const host = colon >= 0 ? hp.slice(0, colon) : hp;
  const port = colon >= 0 ? hp.slice(colon + 1) : '';
  return /^\d*$/.test(port) && !/[\s"<>\\^`{|}[\]]/.test(host);
}

function allowedSchemes(minor: number): Set<string> {
  const schemes = new Set(['http', 'https', 'tftp', 's3', 'data']);
  if (minor >= 2) schemes.add('gs');
  return schemes;
}

/** Checks a source URL; returns the scheme when it is acceptable. */
function checkSource(source: string, path: string, ctx: RuleContext): string | undefined {
  const parsed = parseUrlScheme(source);
  if ('error' in parsed) {
    ctx.error(path, parsed.error);
    return undefined;
  }
  if (!allowedSchemes(ctx.minor).has(parsed.scheme)) {
    ctx.error(path, 'invalid url scheme');
    return undefined;
  }
  if (parsed.scheme === 'data') {
    const problem = checkDataUrl(source);
    if (problem) {
      ctx.error(path, problem);
      return undefined;
    }
  }
  return parsed.scheme;
}

/** Checks `sha512-<hex>` / `sha256-<hex>` specifiers (the hex digits themselves are not checked, as in Ignition). */
function checkHash(hash: string, path: string, ctx: RuleContext): void {
  const dash = hash.indexOf('-');
  if (dash < 0) {
    ctx.error(path, 'malformed hash specifier');
    return;
  }
  const fn = HASH_SIZES[hash.slice(0, dash)];
  if (!fn || fn.since > ctx.minor) {
    ctx.error(path, 'unrecognized hash function');
    return;
  }
  if (hash.length - dash - 1 !== fn.hexLength) ctx.error(path, 'incorrect size for hash sum');
}

/** The rules for one resource object; `kind` says where it stands (merge and CA need a source). */
export function checkResource(kind: string, resource: Obj, path: string, ctx: RuleContext): void {
  const source = typeof resource['source'] === 'string' && resource['source'] !== '' ? resource['source'] : undefined;
  let scheme: string | undefined;
  if (source !== undefined) scheme = checkSource(source, `${path}.source`, ctx);
  else if (kind === 'merge' || kind === 'ca') ctx.error(path, 'source is required');
  const compression = resource['compression'];
  if (typeof compression === 'string' && compression !== '' && compression !== 'gzip') {
    ctx.error(`${path}.compression`, 'invalid compression method');
  }
  const hash = (resource['verification'] as Obj | null | undefined)?.['hash'];
  if (typeof hash === 'string') {
    if (source === undefined)
      ctx.error(`${path}.verification.hash`, 'source must be specified if verification is specified');
    checkHash(hash, `${path}.verification.hash`, ctx);
  }
  const headers = resource['httpHeaders'];
  if (Array.isArray(headers) && headers.length > 0) {
    if (source === undefined) ctx.error(`${path}.httpHeaders`, 'unable to parse url');
    else if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
      ctx.error(`${path}.httpHeaders`, 'cannot use HTTP headers with this source scheme');
    }
  }
}

/** Proxies must be http(s) URLs. */
export function checkProxy(proxy: Obj, path: string, ctx: RuleContext): void {
  for (const key of ['httpProxy', 'httpsProxy']) {
    const proxyUrl = proxy[key];
    if (typeof proxyUrl !== 'string' || proxyUrl === '') continue;
    const parsed = parseUrlScheme(proxyUrl);
    if ('error' in parsed) ctx.error(`${path}.${key}`, parsed.error);
    else if (parsed.scheme !== 'http' && parsed.scheme !== 'https')
      ctx.error(`${path}.${key}`, 'proxies must be http(s)');
  }
}

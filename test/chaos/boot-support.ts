/**
 * Helpers of the boot-server chaos scenarios: versioned entries whose every byte says which
 * version it is (so a torn or mixed answer is detectable), and small HTTP helpers.
 */
import { Agent, request } from 'undici';
import type { BootEntrySpec } from '../../src/boot';

/** A marker that must never reach a log: it is inside every Ignition config the suite writes. */
export const IGNITION_SECRET = 'chaos-ignition-secret-6d1f0c';

/** Bytes of filler in each version, so an answer spans many TCP segments. */
const FILLER = 48 * 1024;

/** The Ignition config of version `v` of entry `name`: the version at both ends, filler between. */
export function ignitionOf(name: string, version: number): string {
  const tag = `${name}-v${version}`;
  return JSON.stringify({
    ignition: { version: '3.2.0' },
    storage: {
      files: [
        { path: '/etc/chaos-head', contents: { source: `data:,${tag}` } },
        { path: '/etc/chaos-filler', contents: { source: `data:,${IGNITION_SECRET}-${'x'.repeat(FILLER)}` } },
        { path: '/etc/chaos-tail', contents: { source: `data:,${tag}` } },
      ],
    },
  });
}

/** The iPXE script of version `v`: the version on the first and last line, filler between. */
export function ipxeOf(name: string, version: number): string {
  const tag = `${name}-v${version}`;
  return `#!ipxe\necho ${tag}\n${'#'.repeat(60).concat('\n').repeat(200)}echo ${tag}\nexit\n`;
}

/** The MAC of entry number `i`. */
export function macOf(entry: number): string {
  return `52:54:00:c4:00:${entry.toString(16).padStart(2, '0')}`;
}

/** A full entry spec: version `v` of entry `name` for MAC number `i`. */
export function entryOf(name: string, entry: number, version: number): BootEntrySpec {
  return {
    name,
    selectors: { macs: [macOf(entry)] },
    role: 'worker',
    ipxe: { script: ipxeOf(name, version) },
    ignition: ignitionOf(name, version),
  };
}

/** Which version a fetched Ignition body is, or an error text when it is not exactly one version. */
export function ignitionVersion(name: string, body: string): number | string {
  const marker = new RegExp(`data:,${name}-v(\\d+)"`).exec(body);
  if (!marker) return `no version marker in ${body.length} bytes`;
  const version = Number(marker[1]);
  return body === ignitionOf(name, version)
    ? version
    : `body of ${body.length} bytes is not exactly version ${version}`;
}

/** Which version a fetched iPXE body is, or an error text. */
export function ipxeVersion(name: string, body: string): number | string {
  const marker = new RegExp(`^#!ipxe\\necho ${name}-v(\\d+)\\n`).exec(body);
  if (!marker) return `no version marker in ${body.length} bytes`;
  const version = Number(marker[1]);
  return body === ipxeOf(name, version) ? version : `body of ${body.length} bytes is not exactly version ${version}`;
}

/** An HTTP answer. */
export interface Answer {
  status: number;
  body: string;
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** One request; the body is read in full. */
export async function fetchText(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {},
): Promise<Answer> {
  const res = await request(url, {
    method: (opts.method ?? 'GET') as 'GET',
    headers: opts.headers,
    body: opts.body,
    dispatcher: opts.agent,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, body: raw.toString('utf8'), raw, headers: res.headers };
}

/** PUTs an entry through the admin API. */
export function putEntry(base: string, token: string, spec: BootEntrySpec, agent?: Agent): Promise<Answer> {
  return fetchText(`${base}/api/v1/entries/${spec.name}`, {
    method: 'PUT',
    agent,
    body: JSON.stringify(spec),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
}

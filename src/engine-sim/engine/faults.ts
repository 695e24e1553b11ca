/** Injected faults: latency, random 503s, connection resets, 409-locked answers and redirects; on the imageio endpoint, range faults. */
import { SimError } from '../errors';

/** What to inject, per simulator. Probabilities are in [0, 1]. */
export interface FaultSpec {
  /** Fixed latency added to every API request, in ms. */
  latencyMs?: number;
  /** Random extra latency in [0, jitterMs). */
  jitterMs?: number;
  /** Probability that an API request gets a 503. */
  p503?: number;
  /** Probability that the connection is reset without an answer. */
  pReset?: number;
  /** Probability that a modifying API request gets 409 "Related operation is currently in progress". */
  pLocked?: number;
  /** Probability that an API request gets a 302 to another host (a proxy's login page), as a misconfigured proxy answers. */
  pRedirect?: number;
  /** The same for modifying requests only (POST, PUT, DELETE): reads work, writes are redirected. */
  pRedirectWrite?: number;
  /** Probability that an imageio data request (a PUT range ...) gets a 503 before any byte is taken. */
  pRange503?: number;
  /** Probability that an imageio PUT is cut off (connection reset) half-way through its bytes. */
  pRangeReset?: number;
  /** Slow drip: the imageio endpoint pauses this many ms after every 64 KiB it reads. */
  rangeDripMs?: number;
  /** 1: the host's imageio (`transfer_url`) refuses connections, so clients must use `proxy_url`. */
  hostDown?: number;
}

/** Where an injected redirect points: another host, which must never see a request. */
export const REDIRECT_LOCATION = 'https://login.redirect.invalid/sso/login?return=/ovirt-engine/api';

const KEYS: Record<string, keyof FaultSpec> = {
  latency: 'latencyMs',
  jitter: 'jitterMs',
  '503': 'p503',
  reset: 'pReset',
  locked: 'pLocked',
  redirect: 'pRedirect',
  redirect_write: 'pRedirectWrite',
  range503: 'pRange503',
  rangereset: 'pRangeReset',
  drip: 'rangeDripMs',
  hostdown: 'hostDown',
};

/** Parses `latency=20,jitter=5,503=0.1,reset=0.05,locked=0.1,redirect=0.1,redirect_write=0.1,range503=0.1,rangereset=0.1,drip=5,hostdown=1` (any subset; empty = no faults). */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=');
    const field = KEYS[key?.trim() ?? ''];
    const count = Number(value);
    if (!field || value === undefined || !Number.isFinite(count) || count < 0) {
      throw new SimError(
        'BAD_FAULT_SPEC',
        `bad fault "${part}": expected one of ${Object.keys(KEYS).join(', ')} = a number >= 0`,
      );
    }
    if (field.startsWith('p') && count > 1)
      throw new SimError('BAD_FAULT_SPEC', `bad fault "${part}": a probability must be <= 1`);
    spec[field] = count;
  }
  return spec;
}

/** Checks a programmatic or JSON fault spec, throwing a SimError naming the bad field. */
export function checkFaultSpec(spec: unknown): FaultSpec {
  if (typeof spec === 'string') return parseFaultSpec(spec);
  if (typeof spec !== 'object' || spec === null)
    throw new SimError('BAD_FAULT_SPEC', 'fault spec must be an object or a string');
  const out: FaultSpec = {};
  for (const [k, v] of Object.entries(spec)) {
    if (!Object.values(KEYS).includes(k as keyof FaultSpec))
      throw new SimError('BAD_FAULT_SPEC', `unknown fault field "${k}"`);
    if (typeof v !== 'number' || !(v >= 0) || (k.startsWith('p') && v > 1)) {
      throw new SimError(
        'BAD_FAULT_SPEC',
        `fault field "${k}" must be a number${k.startsWith('p') ? ' in [0, 1]' : ' >= 0'}`,
      );
    }
    out[k as keyof FaultSpec] = v;
  }
  return out;
}

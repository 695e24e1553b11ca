/**
 * The in-memory catalog: every entry compiled once (iPXE body, Ignition body and its gzip,
 * parsed address ranges) and indexed by MAC, UUID and token, so a request costs a few map
 * look-ups. Selection: among the entries whose selectors all match, the most specific wins
 * (MAC, then UUID, then more labels); ties and defaults are broken by name, deterministically.
 */
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { parseCidr, type Cidr } from '../entry';
import { bootScript } from '../ipxe/builder';
import { BootError } from '../errors';
import { prepare, type Prepared } from './http';
import type { StoredEntry } from './store';

const IPXE_TYPE = 'text/plain; charset=utf-8';
const IGNITION_TYPE = 'application/vnd.coreos.ignition+json';

/** An entry's Ignition answers: plain and gzipped, headers included. */
export interface CompiledIgnition {
  readonly raw: Prepared;
  readonly gzip: Prepared;
  readonly etag: string;
}

/** An entry with its answers (bodies and header lists) precomputed. */
export interface CompiledEntry {
  readonly stored: StoredEntry;
  readonly name: string;
  readonly ipxe?: Prepared;
  /** The kernel boot with the server's placeholders filled (iPXE variables left), for GRUB answers. */
  readonly kernelBoot?: { kernel: string; initrd: string[]; args: string[] };
  readonly ignition?: CompiledIgnition;
  /** A templated Ignition, rendered per request (then `ignition` is unset). */
  readonly ignitionTemplate?: string;
  readonly sources?: Cidr[];
  // Copied out of the spec so a request reads one object: with 10,000 entries each extra hop
  // (stored -> spec -> selectors -> ...) is a likely cache miss, and these cost more than the rest.
  readonly uuid?: string;
  readonly macs?: ReadonlySet<string>;
  readonly token?: string;
  readonly oneShot: boolean;
  /** The selectors name exactly one machine (one MAC, or a UUID alone): a bare token fetch is that machine's. */
  readonly soleMachine: boolean;
  readonly localBoot: 'exit' | 'sanboot';
  readonly labels: Array<[string, string]>;
  /** Specificity: higher wins. */
  readonly score: number;
}

/** What a request says about the machine. */
export interface MachineQuery {
  mac?: string;
  uuid?: string;
  labels: Map<string, string>;
}

/** Compiles an entry; throws BootError('invalid_entry') when its iPXE cannot be built. */
export function compileEntry(stored: StoredEntry, baseUrl: string): CompiledEntry {
  const spec = stored.spec;
  const ignitionUrl = `${baseUrl}${ignitionTarget(stored)}`;
  const fill = (s: string) => s.replaceAll('{{ignition_url}}', ignitionUrl).replaceAll('{{base_url}}', baseUrl);
  let script: string | undefined;
  let kernelBoot: CompiledEntry['kernelBoot'];
  if (spec.ipxe?.script !== undefined)
    script = fill(spec.ipxe.script.endsWith('\n') ? spec.ipxe.script : spec.ipxe.script + '\n');
  else if (spec.ipxe?.kernel !== undefined) {
    kernelBoot = {
      kernel: fill(spec.ipxe.kernel),
      initrd: (spec.ipxe.initrd ?? []).map(fill),
      args: (spec.ipxe.args ?? []).map(fill),
    };
    script = bootScript(kernelBoot);
  }
  const ipxe = script === undefined ? undefined : prepare(IPXE_TYPE, Buffer.from(script));
  return {
    stored,
    name: spec.name,
    ipxe,
    kernelBoot,
    ignition: spec.ignition === undefined || spec.ignition_template ? undefined : compileIgnition(spec.ignition),
    ignitionTemplate: spec.ignition_template ? spec.ignition : undefined,
    token: stored.token,
    ...selection(spec),
  };
}

/**
 * The Ignition URL of an entry's iPXE answer. It names the machine (so its fetch is recorded
 * under the machine, whatever address the installer got) and pins the entry: by token, or by name
 * plus the label values that selected it, so the fetch selects exactly the entry the script came from.
 */
export function ignitionTarget(stored: StoredEntry): string {
  const machine = 'mac=${mac:hexhyp}&uuid=${uuid}';
  if (stored.token) return `/ignition/${stored.token}?${machine}`;
  const labels = Object.entries(stored.spec.selectors?.labels ?? {})
    .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('');
  return `/ignition?entry=${encodeURIComponent(stored.spec.name)}&${machine}${labels}`;
}

/** An Ignition config's answers: plain and gzipped, with their ETag. */
export function compileIgnition(text: string): CompiledIgnition {
  const raw = Buffer.from(text);
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
  const common = { etag, vary: 'accept-encoding', 'cache-control': 'no-store' };
  return {
    raw: prepare(IGNITION_TYPE, raw, common),
    gzip: prepare(IGNITION_TYPE, gzipSync(raw), { ...common, 'content-encoding': 'gzip' }),
    etag,
  };
}

function selection(
  spec: StoredEntry['spec'],
): Pick<CompiledEntry, 'labels' | 'score' | 'sources' | 'uuid' | 'macs' | 'soleMachine' | 'oneShot' | 'localBoot'> {
  const sel = spec.selectors ?? {};
  const labels = Object.entries(sel.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const score = (sel.macs?.length ? 1_000_000 : 0) + (sel.uuid ? 1000 : 0) + labels.length;
  const sources = spec.allowed_sources?.map((source) => {
    const cidr = parseCidr(source);
    if (!cidr) throw new BootError('invalid_entry', `allowed_sources: "${source}" is not an address or CIDR`);
    return cidr;
  });
  const macs = sel.macs?.length ? new Set(sel.macs) : undefined;
  const soleMachine = macs ? macs.size === 1 : sel.uuid !== undefined;
  return {
    sources,
    labels,
    score,
    uuid: sel.uuid,
    macs,
    soleMachine,
    oneShot: spec.one_shot === true,
    localBoot: spec.local_boot ?? 'exit',
  };
}

const better = (a: CompiledEntry, b: CompiledEntry) => a.score > b.score || (a.score === b.score && a.name < b.name);
const order = (a: CompiledEntry, b: CompiledEntry) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);

/**
 * Whether an entry found through an index matches the rest of the query. The index already matched
 * what it is keyed by: entries with MACs are only in the MAC index (under each of their MACs),
 * entries with a UUID and no MAC only in the UUID index, the rest have neither.
 */
function matches(entry: CompiledEntry, query: MachineQuery): boolean {
  if (entry.uuid !== undefined && entry.uuid !== query.uuid) return false;
  // Plain loops: selection runs per request and should not allocate closures.
  for (let i = 0; i < entry.labels.length; i++) {
    const [key, value] = entry.labels[i]!;
    if (query.labels.get(key) !== value) return false;
  }
  return true;
}

/** Whether an entry (found by name or token, not through an index) matches every selector of the query. */
export function matchesAll(entry: CompiledEntry, query: MachineQuery): boolean {
  return (entry.macs === undefined || (query.mac !== undefined && entry.macs.has(query.mac))) && matches(entry, query);
}

function firstMatch(list: CompiledEntry[] | undefined, query: MachineQuery): CompiledEntry | undefined {
  if (list) for (let i = 0; i < list.length; i++) if (matches(list[i]!, query)) return list[i];
  return undefined;
}

const pick = (a: CompiledEntry | undefined, b: CompiledEntry | undefined) => (!b ? a : !a || better(b, a) ? b : a);

function addTo(map: Map<string, CompiledEntry[]>, key: string, entry: CompiledEntry): void {
  const list = map.get(key) ?? [];
  list.push(entry);
  list.sort(order);
  map.set(key, list);
}

function removeFrom(map: Map<string, CompiledEntry[]>, key: string, name: string): void {
  const list = map.get(key)?.filter((x) => x.name !== name);
  if (list?.length) map.set(key, list);
  else map.delete(key);
}

/** All entries, indexed for selection. */
export class Catalog {
  private readonly byName = new Map<string, CompiledEntry>();
  private readonly byMac = new Map<string, CompiledEntry[]>();
  private readonly byUuid = new Map<string, CompiledEntry[]>();
  private readonly byToken = new Map<string, CompiledEntry>();
  private rest: CompiledEntry[] = [];

  get size(): number {
    return this.byName.size;
  }

  get(name: string): CompiledEntry | undefined {
    return this.byName.get(name);
  }

  byTokenValue(token: string): CompiledEntry | undefined {
    return this.byToken.get(token);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Adds or replaces an entry. */
  set(entry: CompiledEntry): void {
    this.remove(entry.name);
    this.byName.set(entry.name, entry);
    const sel = entry.stored.spec.selectors;
    if (entry.stored.token) this.byToken.set(entry.stored.token, entry);
    if (sel?.macs?.length) sel.macs.forEach((m) => addTo(this.byMac, m, entry));
    else if (sel?.uuid) addTo(this.byUuid, sel.uuid, entry);
    else this.rest = [...this.rest, entry].sort(order);
  }

  /** Removes an entry by name (no-op when absent). */
  remove(name: string): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.byName.delete(name);
    const sel = old.stored.spec.selectors;
    if (old.stored.token) this.byToken.delete(old.stored.token);
    sel?.macs?.forEach((m) => removeFrom(this.byMac, m, name));
    if (sel?.uuid) removeFrom(this.byUuid, sel.uuid, name);
    this.rest = this.rest.filter((x) => x.name !== name);
  }

  /** The most specific matching entry, or undefined. */
  select(query: MachineQuery): CompiledEntry | undefined {
    let best = query.mac ? firstMatch(this.byMac.get(query.mac), query) : undefined;
    if (query.uuid) best = pick(best, firstMatch(this.byUuid.get(query.uuid), query));
    return pick(best, firstMatch(this.rest, query));
  }
}

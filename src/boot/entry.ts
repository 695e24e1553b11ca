/**
 * The boot entry: what the admin API stores and serves, as plain JSON. One entry says which
 * machines it is for (selectors), what iPXE answers them and which Ignition config they fetch.
 * This module is the wire contract shared by the server, `BootAdminClient` and the provider.
 */
import { z } from 'zod';
import { BootError } from './errors';

export { ENTRY_NAME_PATTERN, normalizeMac, normalizeUuid } from './names';
import { ENTRY_NAME_PATTERN, normalizeMac, normalizeUuid } from './names';

const LABEL_KEY = /^[a-z][a-z0-9_.-]{0,62}$/;
/** Query parameters the server itself reads; an entry cannot select on them as labels. */
const RESERVED_LABELS = new Set(['mac', 'uuid', 'token', 'entry', 'errno']);

const ipOrCidr = z
  .string()
  .refine((s) => parseCidr(s) !== undefined, { message: 'must be an IPv4/IPv6 address or CIDR, e.g. 10.0.0.0/24' });

const ipxeSchema = z
  .object({
    kernel: z
      .string()
      .min(1)
      .optional()
      .describe('Kernel URL (relative URLs resolve against the server, e.g. /assets/...).'),
    initrd: z
      .array(z.string().min(1))
      .max(16)
      .optional()
      .describe('Initrd URLs; each is named for UEFI (`initrd=main` is added to the command line).'),
    args: z
      .array(z.string())
      .max(256)
      .optional()
      .describe(
        'Kernel arguments; `{{ignition_url}}` and `{{base_url}}` are filled in by the server, `${mac:hexhyp}` etc. by iPXE.',
      ),
    script: z
      .string()
      .max(65536)
      .optional()
      .describe('A raw iPXE script starting with `#!ipxe`, instead of kernel/initrd/args.'),
  })
  .strict()
  .refine((v) => (v.kernel === undefined) !== (v.script === undefined), {
    message: 'set exactly one of ipxe.kernel (with initrd/args) or ipxe.script',
  })
  .refine((v) => v.script === undefined || (v.initrd === undefined && v.args === undefined), {
    message: 'ipxe.script cannot be combined with initrd or args',
  })
  .refine((v) => v.script === undefined || v.script.startsWith('#!ipxe'), {
    message: 'ipxe.script must start with #!ipxe',
  });

/** The schema of a boot entry as written through the admin API (PUT body). */
export const bootEntrySpecSchema = z
  .object({
    name: z
      .string()
      .regex(ENTRY_NAME_PATTERN, 'must match [a-z0-9][a-z0-9._-]{0,62}')
      .describe("Unique name; the entry's id in /api/v1/entries/<name>."),
    selectors: z
      .object({
        macs: z
          .array(
            z.string().refine((s) => normalizeMac(s) !== undefined, {
              message: 'is not a MAC address (52:54:00:12:34:56 or 52-54-00-12-34-56)',
            }),
          )
          .max(64)
          .optional()
          .describe("MACs of the machine's NICs, any separator; stored lowercase with colons."),
        uuid: z
          .string()
          .refine((s) => normalizeUuid(s) !== undefined, { message: 'is not a UUID' })
          .optional()
          .describe("SMBIOS UUID as iPXE's ${uuid} gives it."),
        labels: z
          .record(z.string(), z.string().max(256))
          .refine((o) => Object.keys(o).every((k) => LABEL_KEY.test(k) && !RESERVED_LABELS.has(k)), {
            message: 'label keys must match [a-z][a-z0-9_.-]* (mac, uuid, token, entry and errno are not labels)',
          })
          .optional()
          .describe(
            'Query parameters the request must carry with exactly these values: arch, platform, hostname, domain, serial, manufacturer (from /boot.ipxe) or any other.',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Which machines the entry is for; none makes it a default entry. The most specific match wins (MAC, then UUID, then more labels; ties by name).',
      ),
    role: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must match [a-z0-9][a-z0-9._-]*')
      .optional()
      .describe('Free-form role (bootstrap, master, worker).'),
    ipxe: ipxeSchema.optional().describe('The iPXE answer: kernel with initrd/args, or a script.'),
    ignition: z
      .string()
      .max(16 * 1024 * 1024)
      .optional()
      .describe('The Ignition config as JSON text; validated on PUT.'),
    one_shot: z
      .boolean()
      .optional()
      .describe(
        'After a machine fetched its Ignition (a GET that delivered it), answer its iPXE with a local-disk boot.',
      ),
    local_boot: z
      .enum(['exit', 'sanboot'])
      .optional()
      .describe(
        'How a one-shot machine boots locally: exit (default) or sanboot of the first BIOS disk (UEFI exits to the firmware).',
      ),
    require_token: z
      .boolean()
      .optional()
      .describe(
        'Serve the Ignition only at /ignition/<token>. With {{ignition_url}} in ipxe this needs allowed_sources.',
      ),
    allowed_sources: z
      .array(ipOrCidr)
      .max(256)
      .optional()
      .describe("Client addresses or CIDRs allowed to fetch this entry's iPXE and Ignition."),
    ignition_template: z
      .boolean()
      .optional()
      .describe(
        'The ignition is a template: {{name}} inside its strings is filled per machine from metadata, labels, mac, uuid and entry; every rendering is validated.',
      ),
    metadata: z
      .record(
        z.string(),
        z
          .string()
          .max(4096)
          .regex(/^[^\r\n\0]*$/, 'must be one line'),
      )
      .optional()
      .describe('Free key/value metadata served at /metadata (as KEY=value lines) to the machines the entry selects.'),
  })
  .strict();

/** A boot entry as written through the admin API (the PUT body). */
export interface BootEntrySpec {
  /** Unique name, `[a-z0-9][a-z0-9._-]{0,62}`; the entry's id in `/api/v1/entries/<name>`. */
  name: string;
  /** Which machines the entry is for; none at all makes it a default entry. */
  selectors?: {
    /** MACs of the machine's NICs, any separator (`:`/`-`/none); stored lowercase with colons. */
    macs?: string[];
    /** SMBIOS UUID as iPXE's `${uuid}` gives it. */
    uuid?: string;
    /** Extra query parameters the request must carry with exactly these values. */
    labels?: Record<string, string>;
  };
  /** Free-form role (bootstrap, master, worker), shown in metrics and listings. */
  role?: string;
  /**
   * The iPXE answer: kernel/initrd/args (args may use `{{ignition_url}}` and `{{base_url}}`, which
   * the server fills in, and iPXE's own `${mac:hexhyp}` etc., which iPXE fills in), or a raw script.
   */
  ipxe?: { kernel?: string; initrd?: string[]; args?: string[]; script?: string };
  /** The Ignition config as a JSON string (validated on PUT). */
  ignition?: string;
  /** After a machine fetched its Ignition, answer its iPXE with a local-disk boot. */
  one_shot?: boolean;
  /** How a one-shot machine boots locally: iPXE `exit` (default) or `sanboot` of the first disk. */
  local_boot?: 'exit' | 'sanboot';
  /** Serve the Ignition only at `/ignition/<token>`; the server generates the token. */
  require_token?: boolean;
  /** Client addresses or CIDRs allowed to fetch this entry's iPXE and Ignition. */
  allowed_sources?: string[];
  /** The Ignition is a template filled per machine (`{{hostname}}` from metadata, labels, `mac`, `uuid`, `entry`). */
  ignition_template?: boolean;
  /** Key/value metadata served at `/metadata` (keys like label keys). */
  metadata?: Record<string, string>;
}

/** What the server records about one machine that booted from an entry. */
export interface MachineState {
  /**
   * The machine key: `mac:<mac>`, else `uuid:<uuid>`, else `token` for a fetch of the bare token
   * URL (it names no machine), else `ip:<address>`.
   */
  key: string;
  mac?: string;
  uuid?: string;
  /** Source address of the latest request. */
  source: string;
  first_ipxe_at?: string;
  ipxe_fetches: number;
  first_ignition_at?: string;
  ignition_fetches: number;
  /** When the server last answered this machine with a local-disk boot (one-shot, installed). */
  last_local_boot_at?: string;
  /** How many local-disk boot answers it got. */
  local_boots?: number;
  last_seen_at: string;
}

/** A stored entry as the admin API returns it. */
export interface BootEntry extends BootEntrySpec {
  /** The entry's Ignition token when `require_token` is set (generated, stable across updates). */
  token?: string;
  /** Path of the token URL, `/ignition/<token>`, when `require_token` is set. */
  ignition_path?: string;
  created_at: string;
  updated_at: string;
  /** Per-machine boot state, sorted by key. */
  machines: MachineState[];
}

/** Validates and normalises a PUT body; throws BootError('invalid_entry') naming the field. */
export function parseEntrySpec(input: unknown): BootEntrySpec {
  checkLabelKeys(input);
  const parsed = bootEntrySpecSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'entry';
    throw new BootError('invalid_entry', `${where}: ${issue.message}`);
  }
  const spec: BootEntrySpec = parsed.data;
  const sel = spec.selectors;
  if (sel?.macs) sel.macs = [...new Set(sel.macs.map((m) => normalizeMac(m)!))].sort();
  if (sel?.uuid) sel.uuid = normalizeUuid(sel.uuid);
  return spec;
}

/**
 * Label keys as the client sent them. The parsed record loses keys such as `__proto__` (an
 * assignment to it sets the prototype), which would silently turn the entry into a catch-all.
 */
function checkLabelKeys(input: unknown): void {
  const shaped = input as { selectors?: { labels?: unknown }; metadata?: unknown } | null;
  for (const [where, o] of [
    ['selectors.labels', shaped?.selectors?.labels],
    ['metadata', shaped?.metadata],
  ] as const) {
    if (typeof o !== 'object' || o === null) continue;
    for (const k of Object.keys(o)) {
      if (!LABEL_KEY.test(k) || (where !== 'metadata' && RESERVED_LABELS.has(k))) {
        throw new BootError(
          'invalid_entry',
          `${where}: key "${k.slice(0, 64)}" must match [a-z][a-z0-9_.-]* (mac, uuid, token, entry and errno are not labels)`,
        );
      }
    }
  }
}

/** A parsed address range: family, network bytes and prefix length. */
export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

/** Parses `a.b.c.d[/n]` or an IPv6 address `[/n]`; IPv4-mapped IPv6 becomes IPv4. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const prefix = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { bytes, prefix };
}

/** Parses an IPv4 or IPv6 address into bytes (IPv4-mapped IPv6 gives 4 bytes). */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((x) => x <= 255) ? Uint8Array.from(octets) : undefined;
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return parseIp(mapped[1]!);
  if (!/^[0-9a-f:]+$/i.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (x: string | undefined) => (x ? x.split(':') : []);
  const headGroups = groups(head);
  const tailGroups = groups(tail);
  const fill = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  if (fill < 0 || (tail === undefined && headGroups.length !== 8)) return undefined;
  const all = [...headGroups, ...Array<string>(fill).fill('0'), ...tailGroups];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const out = new Uint8Array(16);
  all.forEach((group, index) => {
    const value = parseInt(group, 16);
    out[2 * index] = value >> 8;
    out[2 * index + 1] = value & 255;
  });
  return out;
}

/** True when `addr` (as Node reports a remote address) lies in one of `ranges`. */
export function addressAllowed(addr: string, ranges: readonly Cidr[]): boolean {
  const ip = parseIp(addr);
  if (!ip) return false;
  return ranges.some((range) => {
    if (range.bytes.length !== ip.length) return false;
    let bits = range.prefix;
    for (let i = 0; bits > 0; i++, bits -= 8) {
      const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((ip[i]! & mask) !== (range.bytes[i]! & mask)) return false;
    }
    return true;
  });
}

/**
 * The summary table: one row per VM the stack manages, with its live status, MAC and IP as the
 * engine reports them, and the boot server's role and URLs for it. Each column comes from the
 * system that owns it (Terraform state for which VMs, the engine for status/MAC/IP, the boot
 * server's admin API for role and URLs), so the table shows what is, not what was planned.
 */
import type { BootEntry } from '../../boot';
import type { SimControl } from '../../engine-sim';

/** One node of the summary. */
export interface NodeRow {
  vm: string;
  vmId: string;
  role: string;
  status: string;
  mac: string;
  ip: string;
  ipxeUrl: string;
  ignitionUrl: string;
}

/** The part of `terraform show -json` the demo reads. */
export interface ShownState {
  values?: { root_module?: { resources?: { type: string; mode?: string; values: Record<string, unknown> }[] } };
}

/** Ids of the managed resources of one type (default `ovirt_vm`) in a state. */
export function managedVmIds(state: ShownState, type = 'ovirt_vm'): string[] {
  return (state.values?.root_module?.resources ?? [])
    .filter((r) => r.type === type && (r.mode ?? 'managed') === 'managed')
    .map((r) => String(r.values['id'] ?? ''))
    .filter(Boolean);
}

function at(tree: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), tree);
}

const ROLE_ORDER = ['bootstrap', 'master', 'worker'];

function roleFromName(name: string): string {
  return ROLE_ORDER.find((r) => new RegExp(`-${r}(-|$)`).test(name)) ?? '-';
}

/** The Ignition URL of an entry for one MAC: the token URL when the entry requires one. */
function ignitionUrl(bootUrl: string, entry: BootEntry | undefined, mac: string): string {
  if (!entry) return '-';
  if (entry.ignition_path) return `${bootUrl}${entry.ignition_path}`;
  return entry.ignition ? `${bootUrl}/ignition?mac=${mac}` : '-';
}

/** Builds the rows for `vmIds`, reading the simulator (the engine) and the boot entries. */
export function collectRows(vmIds: string[], engine: SimControl, entries: BootEntry[], bootUrl: string): NodeRow[] {
  const rows = vmIds.flatMap((id): NodeRow[] => {
    const vm = engine.get('vms', id);
    if (!vm) return [];
    const name = String(at(vm.data, 'name') ?? id);
    const nic = engine.list('nics').find((n) => n.parent === id);
    const mac = String(at(nic?.data, 'mac.address') ?? '');
    const dev = engine.list('reporteddevices').find((d) => d.parent === id && at(d.data, 'mac.address') === mac);
    const ips = (at(dev?.data, 'ips.ip') as { address?: string; version?: string }[] | undefined) ?? [];
    // By MAC (PXE entries), else by name (entries selected by labels, e.g. a bootstrap's token-only entry).
    const entry =
      entries.find((e) => mac && e.selectors?.macs?.includes(mac.toLowerCase())) ??
      entries.find((e) => e.name === name);
    return [
      {
        vm: name,
        vmId: id,
        role: entry?.role ?? roleFromName(name),
        status: String(at(vm.data, 'status') ?? '?'),
        mac: mac || '-',
        ip: ips.find((i) => i.version === 'v4')?.address ?? '-',
        ipxeUrl: entry?.ipxe && mac ? `${bootUrl}/ipxe?mac=${mac}` : '-',
        ignitionUrl: ignitionUrl(bootUrl, entry, mac),
      },
    ];
  });
  const rank = (r: string) => (ROLE_ORDER.includes(r) ? ROLE_ORDER.indexOf(r) : ROLE_ORDER.length);
  return rows.sort((a, b) => rank(a.role) - rank(b.role) || a.vm.localeCompare(b.vm, 'en', { numeric: true }));
}

/** Hides the secret part of a token URL (`/ignition/<token>`), keeping a few characters to tell them apart. */
export function maskToken(url: string): string {
  return url.replace(/\/ignition\/([^/?#]{4})[^/?#]+/, '/ignition/$1…');
}

/** Renders rows as an aligned text table (token URLs masked). */
export function formatTable(rows: NodeRow[]): string {
  const head = ['VM', 'ROLE', 'STATUS', 'MAC', 'IP', 'iPXE URL', 'IGNITION URL'];
  const cells = rows.map((r) => [r.vm, r.role, r.status, r.mac, r.ip, r.ipxeUrl, maskToken(r.ignitionUrl)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

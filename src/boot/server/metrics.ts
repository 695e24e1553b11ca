/** Prometheus text metrics: requests by route and status, fetches per entry and kind. */

type FetchKind = 'ipxe' | 'ignition' | 'local_boot';

/** Counters, rendered in the Prometheus text exposition format. */
export class Metrics {
  // Nested maps keep the per-request cost to look-ups: no label strings are built on the hot path.
  private readonly requests = new Map<string, Map<number, number>>();
  private readonly fetches = new Map<string, Record<FetchKind, number>>();

  /** Counts one answered request. */
  request(route: string, status: number): void {
    let byStatus = this.requests.get(route);
    if (!byStatus) { byStatus = new Map(); this.requests.set(route, byStatus); }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** Counts one served iPXE script, local-boot answer or Ignition config of an entry. */
  fetch(entry: string, kind: FetchKind): void {
    let c = this.fetches.get(entry);
    if (!c) { c = { ipxe: 0, ignition: 0, local_boot: 0 }; this.fetches.set(entry, c); }
    c[kind]++;
  }

  /** Forgets the counters of a deleted entry. */
  forget(entry: string): void {
    this.fetches.delete(entry);
  }

  /** The exposition text, with `entries` as a gauge. */
  render(entries: number): string {
    const req = [...this.requests].flatMap(([route, m]) => [...m].map(([code, v]) => `boot_requests_total{route="${route}",code="${code}"} ${v}`));
    const fetches = [...this.fetches].flatMap(([entry, c]) => (Object.keys(c) as FetchKind[])
      .filter((k) => c[k] > 0).map((k) => `boot_entry_fetches_total{entry="${entry}",kind="${k}"} ${c[k]}`));
    const lines = [
      '# HELP boot_requests_total HTTP requests answered, by route and status code.',
      '# TYPE boot_requests_total counter',
      ...req.sort(),
      '# HELP boot_entry_fetches_total iPXE scripts and Ignition configs served, by entry.',
      '# TYPE boot_entry_fetches_total counter',
      ...fetches.sort(),
      '# HELP boot_entries Boot entries stored.',
      '# TYPE boot_entries gauge',
      `boot_entries ${entries}`,
    ];
    return lines.join('\n') + '\n';
  }
}

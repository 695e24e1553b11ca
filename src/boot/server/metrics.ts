/** Prometheus text metrics: requests by route and status, fetches per entry and kind. */

/** Counters, rendered in the Prometheus text exposition format. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly fetches = new Map<string, number>();

  /** Counts one answered request. */
  request(route: string, status: number): void {
    const k = `route="${route}",code="${status}"`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
  }

  /** Counts one served iPXE script or Ignition config of an entry. */
  fetch(entry: string, kind: 'ipxe' | 'ignition' | 'local_boot'): void {
    const k = `entry="${entry}",kind="${kind}"`;
    this.fetches.set(k, (this.fetches.get(k) ?? 0) + 1);
  }

  /** Forgets the counters of a deleted entry. */
  forget(entry: string): void {
    for (const k of this.fetches.keys()) if (k.startsWith(`entry="${entry}",`)) this.fetches.delete(k);
  }

  /** The exposition text, with `entries` as a gauge. */
  render(entries: number): string {
    const lines = [
      '# HELP boot_requests_total HTTP requests answered, by route and status code.',
      '# TYPE boot_requests_total counter',
      ...[...this.requests].sort().map(([k, v]) => `boot_requests_total{${k}} ${v}`),
      '# HELP boot_entry_fetches_total iPXE scripts and Ignition configs served, by entry.',
      '# TYPE boot_entry_fetches_total counter',
      ...[...this.fetches].sort().map(([k, v]) => `boot_entry_fetches_total{${k}} ${v}`),
      '# HELP boot_entries Boot entries stored.',
      '# TYPE boot_entries gauge',
      `boot_entries ${entries}`,
    ];
    return lines.join('\n') + '\n';
  }
}

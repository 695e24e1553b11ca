/**
 * Prometheus text metrics: requests by route and status, fetches per entry and kind, refusals
 * by reason (unknown machines included), and the size of the machine state.
 */

type FetchKind = 'ipxe' | 'ignition' | 'local_boot';

/** Counters, rendered in the Prometheus text exposition format. */
export class Metrics {
  // Nested maps keep the per-request cost to look-ups: no label strings are built on the hot path.
  private readonly requests = new Map<string, Map<number, number>>();
  private readonly fetches = new Map<string, Record<FetchKind, number>>();
  private readonly refusals = new Map<string, number>();

  /** Counts one refused boot request (`unknown_machine`, `source`, `bad_token`, ...). */
  refusal(reason: string): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  /** Counts one answered request. */
  request(route: string, status: number): void {
    let byStatus = this.requests.get(route);
    if (!byStatus) {
      byStatus = new Map();
      this.requests.set(route, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** Counts one served iPXE script, local-boot answer or Ignition config of an entry. */
  fetch(entry: string, kind: FetchKind): void {
    let counts = this.fetches.get(entry);
    if (!counts) {
      counts = { ipxe: 0, ignition: 0, local_boot: 0 };
      this.fetches.set(entry, counts);
    }
    counts[kind]++;
  }

  /** Forgets the counters of a deleted entry. */
  forget(entry: string): void {
    this.fetches.delete(entry);
  }

  /** The exposition text, with `entries` and the machine state's size as gauges. */
  render(entries: number, machines: { size: number; evictions: number; lastError?: string }): string {
    const req = [...this.requests].flatMap(([route, m]) =>
      [...m].map(([code, v]) => `boot_requests_total{route="${route}",code="${code}"} ${v}`),
    );
    const fetches = [...this.fetches].flatMap(([entry, counts]) =>
      (Object.keys(counts) as FetchKind[])
        .filter((k) => counts[k] > 0)
        .map((k) => `boot_entry_fetches_total{entry="${entry}",kind="${k}"} ${counts[k]}`),
    );
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
      '# HELP boot_refusals_total Boot requests refused, by reason (unknown_machine, source, bad_token, token_required, ...).',
      '# TYPE boot_refusals_total counter',
      ...[...this.refusals].map(([reason, v]) => `boot_refusals_total{reason="${reason}"} ${v}`).sort(),
      '# HELP boot_machines Machine-state records kept.',
      '# TYPE boot_machines gauge',
      `boot_machines ${machines.size}`,
      '# HELP boot_machine_evictions_total Machine-state records evicted to stay within the limits.',
      '# TYPE boot_machine_evictions_total counter',
      `boot_machine_evictions_total ${machines.evictions}`,
      '# HELP boot_state_save_failing 1 while machine state cannot be saved.',
      '# TYPE boot_state_save_failing gauge',
      `boot_state_save_failing ${machines.lastError ? 1 : 0}`,
    ];
    return lines.join('\n') + '\n';
  }
}

import type { MachineState } from '../../src/boot/entry';
import { MachineTracker } from '../../src/boot/server/machines';
import { MemoryStore } from '../../src/boot/server/store';

// A record as PostgreSQL's jsonb gives it back: keys sorted by length, then bytewise.
const fromJsonb = (mac: string): MachineState =>
  JSON.parse(
    `{"key": "mac:${mac}", "mac": "${mac}", "source": "10.0.0.9", "last_seen_at": "2026-12-02T08:00:01.000Z", ` +
      `"ipxe_fetches": 2, "first_ipxe_at": "2026-12-02T08:00:00.000Z", "ignition_fetches": 1, ` +
      `"first_ignition_at": "2026-12-02T08:00:01.000Z"}`,
  ) as MachineState;

describe('machine records from a store', () => {
  // The hot path's optimised code sees one property order, whatever the record came from: another
  // order is another hidden class, and `record` deoptimised on it in the PostgreSQL replicas.
  it('are kept in the property order this process gives its own records, with the same values', () => {
    const tracker = new MachineTracker(new MemoryStore(), () => undefined);
    tracker.record('site', { mac: '52:54:00:00:00:01', source: '10.0.0.1' }, 'ipxe');
    tracker.record('site', { mac: '52:54:00:00:00:01', source: '10.0.0.1' }, 'ignition');
    const own = tracker.list('site')[0]!;

    const remote = fromJsonb('52:54:00:00:00:02');
    tracker.applyRemote({ entry: 'site', key: remote.key, state: remote });
    const loaded = fromJsonb('52:54:00:00:00:03');
    tracker.load('other', [loaded]);

    const adopted = [tracker.list('site')[1]!, tracker.list('other')[0]!];
    expect(Object.keys(remote)).not.toEqual(Object.keys(own));
    for (const record of adopted) expect(Object.keys(record)).toEqual(Object.keys(own));
    expect(adopted).toEqual([remote, loaded]);
  });
});

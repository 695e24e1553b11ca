/**
 * `npm run test:acceptance` with OVIRT_URL unset: the suite starts its own simulator and runs every
 * scenario, those needing the simulator's control included, then removes what it created.
 */
import { runAcceptance } from './run';
import { SCENARIOS } from './scenarios';

it('runs every scenario against its own simulator and leaves nothing behind', async () => {
  const lines: string[] = [];
  const r = await runAcceptance({ env: {}, out: (l) => lines.push(l) });
  const failed = r.outcomes.filter((o) => o.result !== 'passed');
  expect(failed).toEqual([]);
  expect(r.outcomes.map((o) => o.name)).toEqual(SCENARIOS.map((s) => s.name));
  expect(SCENARIOS.filter((s) => s.needsSimulator).length).toBeGreaterThan(0);
  expect(r.leftBehind).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.engine).toBe('oVirt Engine 4.5.5-sim');
  expect(lines[0]).toBe(`acceptance: run ${r.prefix} against its own simulator (${r.engine})`);
  expect(lines[lines.length - 1]).toContain(`${SCENARIOS.length} passed, 0 failed, 0 skipped in `);
  expect(lines[lines.length - 1]).toContain(`engine ${r.engine}; left behind: nothing`);
}, 600_000);

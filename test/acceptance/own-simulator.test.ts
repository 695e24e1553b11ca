/**
 * `npm run test:acceptance` with OVIRT_URL unset: the suite starts its own simulator and runs the
 * scenarios that need the simulator's control (the others run in engine.test.ts, against a
 * simulator named by OVIRT_URL), then removes what it created.
 */
import { runAcceptance } from './run';
import { SCENARIOS } from './scenarios';
import { nth } from '../support/nth';

it('runs the simulator-only scenarios against its own simulator and leaves nothing behind', async () => {
  const only = [
    nth(SCENARIOS, 0),
    ...SCENARIOS.filter((s) => s.needsSimulator),
    nth(SCENARIOS, SCENARIOS.length - 1),
  ].map((s) => s.name);
  expect(only.length).toBe(4);
  const lines: string[] = [];
  const report = await runAcceptance({ env: {}, only, out: (l) => lines.push(l) });
  expect(report.outcomes.filter((o) => o.result === 'passed').map((o) => o.name)).toEqual(only);
  expect(report.outcomes.filter((o) => o.result !== 'passed').map((o) => o.reason)).toEqual(
    Array(SCENARIOS.length - only.length).fill('not selected'),
  );
  expect(report.leftBehind).toEqual([]);
  expect(report.exitCode).toBe(0);
  expect(report.engine).toBe('oVirt Engine 4.5.5-sim');
  expect(lines[0]).toBe(`acceptance: run ${report.prefix} against its own simulator (${report.engine})`);
  expect(lines[lines.length - 1]).toContain(`4 passed, 0 failed, ${SCENARIOS.length - 4} skipped in `);
  expect(lines[lines.length - 1]).toContain(`engine ${report.engine}; left behind: nothing`);
}, 600_000);

/**
 * Engine faults during a large apply: 10% 503s, 5% connection resets, random 409s and latency
 * jitter. The apply must succeed and the state must match the simulator exactly; an update and a
 * destroy under the same faults must leave nothing behind.
 */
import { expectOk } from '../support/terraform';
import {
  compareObjects,
  compareVms,
  countFaults,
  devicesConfig,
  countOps,
  simObjects,
  simVms,
  simWorkspace,
  SIZES,
  vmsConfig,
  writeConfig,
  type SimWorkspace,
} from './support';

/** The faults of the issue. */
export const ENGINE_FAULTS = { p503: 0.1, pReset: 0.05, pLocked: 0.1, jitterMs: 20 };

/** Registers the scenario. */
export function providerFaultScenarios(): void {
  describe(`${SIZES.vms} VMs under engine faults`, () => {
    let w: SimWorkspace;
    let baseline: Set<string>;
    const prefix = 'faulty';
    const par = `-parallelism=${SIZES.parallelism}`;

    beforeAll(async () => {
      w = await simWorkspace();
      w.sim.control.setFaults(ENGINE_FAULTS);
      baseline = simObjects(w.sim);
    });
    afterAll(async () => {
      if (w) countFaults(w.sim);
      await w?.close();
    });

    it('apply succeeds and the state matches the simulator exactly', async () => {
      writeConfig(w, vmsConfig(prefix, SIZES.vms) + devicesConfig(prefix, SIZES.vms, 5));
      expectOk(await w.tf(['apply', '-auto-approve', par], undefined, 600_000));
      countOps('VMs created', SIZES.vms);
      countOps('devices created (NICs, disks, attachments)', 3 * Math.ceil(SIZES.vms / 5));
      const state = await w.ws.state();
      expect(compareVms(state, w.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expect(compareObjects(state, w.sim, baseline)).toEqual({ orphans: [], mismatches: [] });
      expect(simObjects(w.sim).size - baseline.size).toBe(SIZES.vms + 3 * Math.ceil(SIZES.vms / 5));
      expect(simVms(w.sim, prefix)).toHaveLength(SIZES.vms);
    });

    it('an in-place update of every VM converges, then the plan is empty', async () => {
      writeConfig(w, vmsConfig(prefix, SIZES.vms, 1024) + devicesConfig(prefix, SIZES.vms, 5));
      expectOk(await w.tf(['apply', '-auto-approve', par], undefined, 600_000));
      countOps('VMs updated', SIZES.vms);
      const cmp = compareVms(await w.ws.state(), w.sim, prefix);
      expect(cmp).toEqual({ orphans: [], mismatches: [] });
      expect(simVms(w.sim, prefix).every((v) => v.memory === 1024 * 1024 * 1024)).toBe(true);
      // -detailed-exitcode: 0 = no changes, 2 = changes.
      const plan = await w.tf(['plan', '-detailed-exitcode', par], undefined, 600_000);
      expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    });

    it('destroy leaves zero objects of the config', async () => {
      expectOk(await w.tf(['destroy', '-auto-approve', par], undefined, 600_000));
      countOps('VMs destroyed', SIZES.vms);
      const left = simVms(w.sim, prefix);
      const state = await w.ws.state();
      expect(left).toEqual([]);
      expect(compareVms(state, w.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expect([...simObjects(w.sim)].filter((k) => !baseline.has(k))).toEqual([]);
    });
  });
}

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
    let workspace: SimWorkspace;
    let baseline: Set<string>;
    const prefix = 'faulty';
    const par = `-parallelism=${SIZES.parallelism}`;

    beforeAll(async () => {
      workspace = await simWorkspace();
      workspace.sim.control.setFaults(ENGINE_FAULTS);
      baseline = simObjects(workspace.sim);
    });
    afterAll(async () => {
      if (workspace) countFaults(workspace.sim);
      await workspace?.close();
    });

    it('apply succeeds and the state matches the simulator exactly', async () => {
      writeConfig(workspace, vmsConfig(prefix, SIZES.vms) + devicesConfig(prefix, SIZES.vms, 5));
      expectOk(await workspace.tf(['apply', '-auto-approve', par], undefined, 600_000));
      countOps('VMs created', SIZES.vms);
      countOps('devices created (NICs, disks, attachments)', 3 * Math.ceil(SIZES.vms / 5));
      const state = await workspace.ws.state();
      expect(compareVms(state, workspace.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expect(compareObjects(state, workspace.sim, baseline)).toEqual({ orphans: [], mismatches: [] });
      expect(simObjects(workspace.sim).size - baseline.size).toBe(SIZES.vms + 3 * Math.ceil(SIZES.vms / 5));
      expect(simVms(workspace.sim, prefix)).toHaveLength(SIZES.vms);
    });

    it('an in-place update of every VM converges, then the plan is empty', async () => {
      writeConfig(workspace, vmsConfig(prefix, SIZES.vms, 1024) + devicesConfig(prefix, SIZES.vms, 5));
      expectOk(await workspace.tf(['apply', '-auto-approve', par], undefined, 600_000));
      countOps('VMs updated', SIZES.vms);
      const cmp = compareVms(await workspace.ws.state(), workspace.sim, prefix);
      expect(cmp).toEqual({ orphans: [], mismatches: [] });
      expect(simVms(workspace.sim, prefix).every((v) => v.memory === 1024 * 1024 * 1024)).toBe(true);
      // -detailed-exitcode: 0 = no changes, 2 = changes.
      const plan = await workspace.tf(['plan', '-detailed-exitcode', par], undefined, 600_000);
      expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    });

    it('destroy leaves zero objects of the config', async () => {
      expectOk(await workspace.tf(['destroy', '-auto-approve', par], undefined, 600_000));
      countOps('VMs destroyed', SIZES.vms);
      const left = simVms(workspace.sim, prefix);
      const state = await workspace.ws.state();
      expect(left).toEqual([]);
      expect(compareVms(state, workspace.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expect([...simObjects(workspace.sim)].filter((k) => !baseline.has(k))).toEqual([]);
    });
  });
}

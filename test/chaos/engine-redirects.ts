/**
 * A proxy that answers with redirects (302 to another host): nothing may read as done. A destroy
 * answered 302 fails and keeps every VM in state and in the simulator; a lookup answered 302 is
 * an error naming the status and the Location, not "no cluster"; an apply under random redirects
 * leaves state equal to the simulator, and the next clean apply converges.
 */
import { REDIRECT_LOCATION } from '../../src/engine-sim';
import { expectOk } from '../support/terraform';
import {
  compareVms,
  countFaults,
  countOps,
  simVms,
  simWorkspace,
  vmsConfig,
  writeConfig,
  type SimWorkspace,
} from './support';

const N = 4;

/** Terraform wraps diagnostics at 78 columns. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/** Registers the scenario. */
export function engineRedirectScenarios(): void {
  describe('engine answers with redirects (3xx)', () => {
    let w: SimWorkspace;
    const prefix = 'redirected';
    beforeAll(async () => {
      w = await simWorkspace();
    });
    afterAll(async () => {
      if (w) countFaults(w.sim);
      await w?.close();
    });

    it('a destroy answered 302 fails and keeps every VM in state and in the simulator', async () => {
      writeConfig(w, vmsConfig(prefix, N));
      expectOk(await w.tf(['apply', '-auto-approve']));
      w.sim.control.setFaults({ pRedirectWrite: 1 });
      const r = await w.tf(['destroy', '-auto-approve', '-no-color']);
      w.sim.control.setFaults({});
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toContain(
        `DELETE /vms/${simVms(w.sim, prefix)[0]!.id} failed with HTTP 302 (a redirect to ${REDIRECT_LOCATION}, not followed)`,
      );
      expect(r.stdout).not.toContain('Destroy complete');
      expect(simVms(w.sim, prefix)).toHaveLength(N);
      expect(compareVms(await w.ws.state(), w.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
    });

    it('a lookup answered 302 is an error with the status, not "no cluster"', async () => {
      w.sim.control.setFaults({ pRedirect: 1 });
      const r = await w.tf(['plan', '-no-color']);
      w.sim.control.setFaults({});
      expect(r.code).toBe(1);
      expect(oneLine(r.stderr)).toContain(`failed with HTTP 302 (a redirect to ${REDIRECT_LOCATION}, not followed)`);
      expect(r.stderr).not.toMatch(/No cluster is named/);
    });

    it('an update under random redirects leaves state equal to the simulator; a clean apply converges', async () => {
      writeConfig(w, vmsConfig(prefix, N, 1024));
      w.sim.control.setFaults({ pRedirect: 0.2 });
      await w.tf(['apply', '-auto-approve', '-no-color']);
      w.sim.control.setFaults({});
      expect(compareVms(await w.ws.state(), w.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expectOk(await w.tf(['apply', '-auto-approve']));
      expect(simVms(w.sim, prefix).map((v) => v.memory)).toEqual(Array(N).fill(1024 * 1024 * 1024));
      expectOk(await w.tf(['destroy', '-auto-approve']));
      expect(simVms(w.sim, prefix)).toEqual([]);
      countOps('VMs created', N);
    });
  });
}

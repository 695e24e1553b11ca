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

const VMS = 4;

/** Terraform wraps diagnostics at 78 columns. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/** Registers the scenario. */
export function engineRedirectScenarios(): void {
  describe('engine answers with redirects (3xx)', () => {
    let workspace: SimWorkspace;
    const prefix = 'redirected';
    beforeAll(async () => {
      workspace = await simWorkspace();
    });
    afterAll(async () => {
      if (workspace) countFaults(workspace.sim);
      await workspace?.close();
    });

    it('a destroy answered 302 fails and keeps every VM in state and in the simulator', async () => {
      writeConfig(workspace, vmsConfig(prefix, VMS));
      expectOk(await workspace.tf(['apply', '-auto-approve']));
      workspace.sim.control.setFaults({ pRedirectWrite: 1 });
      const destroyed = await workspace.tf(['destroy', '-auto-approve', '-no-color']);
      workspace.sim.control.setFaults({});
      expect(destroyed.code).toBe(1);
      expect(oneLine(destroyed.stderr)).toContain(
        `DELETE /vms/${simVms(workspace.sim, prefix)[0]!.id} failed with HTTP 302 (a redirect to ${REDIRECT_LOCATION}, not followed)`,
      );
      expect(destroyed.stdout).not.toContain('Destroy complete');
      expect(simVms(workspace.sim, prefix)).toHaveLength(VMS);
      expect(compareVms(await workspace.ws.state(), workspace.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
    });

    it('a lookup answered 302 is an error with the status, not "no cluster"', async () => {
      workspace.sim.control.setFaults({ pRedirect: 1 });
      const planned = await workspace.tf(['plan', '-no-color']);
      workspace.sim.control.setFaults({});
      expect(planned.code).toBe(1);
      expect(oneLine(planned.stderr)).toContain(
        `failed with HTTP 302 (a redirect to ${REDIRECT_LOCATION}, not followed)`,
      );
      expect(planned.stderr).not.toMatch(/No cluster is named/);
    });

    it('an update under random redirects leaves state equal to the simulator; a clean apply converges', async () => {
      writeConfig(workspace, vmsConfig(prefix, VMS, 1024));
      workspace.sim.control.setFaults({ pRedirect: 0.2 });
      await workspace.tf(['apply', '-auto-approve', '-no-color']);
      workspace.sim.control.setFaults({});
      expect(compareVms(await workspace.ws.state(), workspace.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expectOk(await workspace.tf(['apply', '-auto-approve']));
      expect(simVms(workspace.sim, prefix).map((v) => v.memory)).toEqual(Array(VMS).fill(1024 * 1024 * 1024));
      expectOk(await workspace.tf(['destroy', '-auto-approve']));
      expect(simVms(workspace.sim, prefix)).toEqual([]);
      countOps('VMs created', VMS);
    });
  });
}

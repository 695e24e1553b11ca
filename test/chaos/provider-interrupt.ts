/**
 * Interrupted applies: Ctrl-C (SIGINT to terraform's process group) at several points, and the
 * provider process killed (SIGKILL) mid-apply. The next apply converges with no duplicate and
 * no orphaned VM, and destroy leaves the simulator with zero objects of the config.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { expectOk } from '../support/terraform';
import {
  chaosProvider,
  compareObjects,
  compareVms,
  countFault,
  devicesConfig,
  simObjects,
  countFaults,
  countOps,
  simVms,
  simWorkspace,
  SIZES,
  stateVms,
  vmsConfig,
  writeConfig,
  type SimWorkspace,
} from './support';

/** Slow enough that creates are in flight when the signal lands. */
const SLOW = { latencyMs: 40, jitterMs: 40, p503: 0.05, pLocked: 0.05 };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `cond()` holds (polling), or after `ms` with false. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await pause(25)) if (cond()) return true;
  return cond();
}

/** Resolves when the child ends; `started()` is true once it printed anything (its signal handlers are in place). */
function exited(child: ChildProcess): Promise<{ code: number | null; output: string }> & { started(): boolean } {
  let output = '';
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
  return Object.assign(done, { started: () => output.length > 0 });
}

/** Pids of provider processes (the bundled entry) in terraform's process group `pgid`. */
function providerPids(entry: string, pgid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (cmd.includes(entry) && pgrp === pgid) out.push(Number(d));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

/** Registers the scenarios. */
export function providerInterruptScenarios(): void {
  const vmCount = SIZES.interruptVms;
  const par = `-parallelism=${SIZES.parallelism}`;

  describe(`interrupted applies of ${vmCount} VMs`, () => {
    let workspace: SimWorkspace;
    afterEach(async () => {
      if (workspace) countFaults(workspace.sim);
      await workspace?.close();
    });

    it.each([
      ['right after start', 0],
      ['after a quarter of the VMs', Math.ceil(vmCount / 4)],
      ['during the NIC, disk and attachment creates', 2 * vmCount],
    ])('Ctrl-C %s: the next apply converges, destroy leaves zero objects', async (_when, after) => {
      // `after`: how many objects of the config exist when the signal is sent.
      workspace = await simWorkspace();
      workspace.sim.control.setFaults(SLOW);
      const prefix = `int${after}`;
      const baseline = simObjects(workspace.sim);
      // Every VM gets a NIC, a disk and an attachment: Ctrl-C lands in creates of every kind.
      writeConfig(workspace, vmsConfig(prefix, vmCount) + devicesConfig(prefix, vmCount, 1));
      const child = workspace.ws.spawn(['apply', '-auto-approve', par]);
      countOps('terraform runs');
      const done = exited(child);
      // Right after start = as soon as terraform prints (a signal before its handlers exist would just kill it).
      if (after > 0) await until(() => simObjects(workspace.sim).size - baseline.size >= after, 60_000);
      else await until(done.started, 60_000);
      process.kill(-child.pid!, 'SIGINT');
      countFault('SIGINT to terraform');
      const first = await done;
      // Interrupted mid-apply, terraform says so and fails (with delays on, it cannot finish first).
      expect({ code: first.code, said: /interrupt/i.test(first.output) }).toEqual({ code: 1, said: true });
      workspace.sim.control.setFaults({});
      expectOk(await workspace.tf(['apply', '-auto-approve', par]));
      const state = await workspace.ws.state();
      expect(compareVms(state, workspace.sim, prefix)).toEqual({ orphans: [], mismatches: [] });
      expect(compareObjects(state, workspace.sim, baseline)).toEqual({ orphans: [], mismatches: [] });
      expect(simVms(workspace.sim, prefix)).toHaveLength(vmCount);
      expect(simObjects(workspace.sim).size - baseline.size).toBe(4 * vmCount);
      countOps('VMs created', vmCount);
      countOps('devices created (NICs, disks, attachments)', 3 * vmCount);
      // Ctrl-C during destroy as well, then destroy again.
      const destroying = workspace.ws.spawn(['destroy', '-auto-approve', par]);
      countOps('terraform runs');
      const dDone = exited(destroying);
      workspace.sim.control.setFaults(SLOW);
      await until(() => simVms(workspace.sim, prefix).length <= vmCount / 2, 60_000);
      process.kill(-destroying.pid!, 'SIGINT');
      countFault('SIGINT to terraform');
      const interrupted = await dDone;
      workspace.sim.control.setFaults({});
      // The interrupted destroy says so and fails, and loses nothing: every VM it had not deleted
      // yet is still in the state. (The state may still name a VM whose DELETE the engine carried
      // out as the signal landed; the next refresh drops it, as the destroy below shows.)
      expect({ code: interrupted.code, said: /interrupt/i.test(interrupted.output) }).toEqual({ code: 1, said: true });
      const inState = new Set(stateVms(await workspace.ws.state()).map((v) => v.id));
      const left = simVms(workspace.sim, prefix);
      expect(left.filter((v) => !inState.has(v.id))).toEqual([]);
      expect(left.length).toBeLessThan(vmCount);
      expectOk(await workspace.tf(['destroy', '-auto-approve', par]));
      countOps('VMs destroyed', vmCount);
      expect(simVms(workspace.sim, prefix)).toEqual([]);
      expect([...simObjects(workspace.sim)].filter((k) => !baseline.has(k))).toEqual([]);
    });

    it('SIGKILL of the provider mid-apply: terraform reports it; the next apply converges without duplicates', async () => {
      workspace = await simWorkspace();
      workspace.sim.control.setFaults(SLOW);
      const prefix = 'killed';
      const entry = (await chaosProvider()).entry!;
      writeConfig(workspace, vmsConfig(prefix, vmCount));
      const child = workspace.ws.spawn(['apply', '-auto-approve', par]);
      countOps('terraform runs');
      const done = exited(child);
      await until(() => simVms(workspace.sim, prefix).length >= Math.ceil(vmCount / 3), 60_000);
      const pids = providerPids(entry, child.pid!);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      countFault('SIGKILL of the provider', pids.length);
      const first = await done;
      expect(first.code).not.toBe(0);
      // Which of terraform's three reports for a dead plugin appears depends on where each gRPC call
      // was when the process died: Unavailable ("Plugin did not respond"), a crash report, or
      // Canceled ("The plugin6.(*GRPCProvider).ApplyResourceChange request was cancelled").
      expect(first.output).toMatch(
        /Plugin did not respond|plugin encountered an error|GRPCProvider\)\.\w+ request was cancelled/,
      );
      expectOk(await workspace.tf(['apply', '-auto-approve', par]));
      countOps('VMs created', vmCount);
      const cmp = compareVms(await workspace.ws.state(), workspace.sim, prefix);
      expect(cmp).toEqual({ orphans: [], mismatches: [] });
      expect(simVms(workspace.sim, prefix)).toHaveLength(vmCount);
      expectOk(await workspace.tf(['destroy', '-auto-approve', par]));
      expect(simVms(workspace.sim, prefix)).toEqual([]);
    });
  });
}

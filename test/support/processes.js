/**
 * The suite fails when a process it started outlives it. globalSetup marks this run in the
 * environment (OVIRT_CDKTF_TEST_RUN, inherited by workers and everything they start; helpers that
 * build an environment from scratch add it with `testRunEnv()`); globalTeardown looks for
 * processes still carrying the mark, gives them a few seconds, then kills them and fails.
 */
const fs = require('node:fs');
const { randomUUID } = require('node:crypto');

const MARK = 'OVIRT_CDKTF_TEST_RUN';

/** The environment entry that marks a process as started by this test run. */
function testRunEnv() {
  return process.env[MARK] ? { [MARK]: process.env[MARK] } : {};
}

/** Pids (other than this process) whose environment carries this run's mark, with their command lines. */
function markedProcesses(id) {
  const needle = Buffer.from(`${MARK}=${id}\0`);
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${d}/environ`).includes(needle)) continue;
      out.push({ pid: Number(d), cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch { /* ended meanwhile, or not ours to read */ }
  }
  return out;
}

async function globalSetup() {
  process.env[MARK] = randomUUID();
}

async function globalTeardown() {
  const id = process.env[MARK];
  if (!id) return;
  let left = markedProcesses(id);
  for (let i = 0; i < 50 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = markedProcesses(id);
  }
  if (!left.length) return;
  for (const p of left) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  throw new Error(`processes started by the tests outlived them (killed now):\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}`);
}

module.exports = { MARK, testRunEnv, markedProcesses, globalSetup, globalTeardown };

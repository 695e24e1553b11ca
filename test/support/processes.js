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

/** The parent pid of `pid` (from /proc/<pid>/stat). */
function parentOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Pids whose environment carries this run's mark, with their command lines. Jest's own children
 * (e.g. the esbuild service of the transform, which ends with jest) are not counted.
 */
function markedProcesses(id) {
  const needle = Buffer.from(`${MARK}=${id}\0`);
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${d}/environ`).includes(needle) || parentOf(d) === process.pid) continue;
      out.push({ pid: Number(d), cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      /* ended meanwhile, or not ours to read */
    }
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
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  throw new Error(
    `processes started by the tests outlived them (killed now):\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}`,
  );
}

module.exports = { MARK, testRunEnv, markedProcesses, globalSetup, globalTeardown };

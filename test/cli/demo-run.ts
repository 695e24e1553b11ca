/** Runs the built `ovirt-cdktf demo` as a user would (node bin/ovirt-cdktf.js demo ...). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertDistCurrent } from '../support/dist';
import { testRunEnv } from '../support/test-run';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'ovirt-cdktf.js');

/** Output of one run. */
export interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A temp folder with a private HOME (the demo never touches the user's home in tests). */
export function tempDir(prefix: string): string {
  // Every demo test runs the built CLI: refuse to test a stale build.
  assertDistCurrent(REPO_ROOT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, 'home'));
  return dir;
}

/** Runs the demo in `cwd` with `args`; `env` replaces PATH/HOME when given. Kills it after `timeoutMs`. */
export function runDemo(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 600_000,
): Promise<DemoRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'demo', ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: path.join(cwd, 'home'), LANG: 'C.UTF-8', ...testRunEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stops a child that may still run: SIGINT (the demo stops its servers), SIGKILL after 20 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

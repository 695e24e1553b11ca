/**
 * Runs the real `terraform` for the demo with its output streamed, indented, as it comes (the
 * visible progress of init/apply/destroy). Terraform runs in its own process group so that a
 * terminal's Ctrl-C reaches only the demo, which then forwards exactly one SIGINT: Terraform stops
 * gracefully on the first one and aborts on a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DemoError } from './errors';

/** Where terraform runs and with which environment. */
export interface TerraformRunner {
  /**
   * Runs `terraform <args>`, streaming output through `print`; resolves with stdout, rejects on
   * failure. `show` picks the stdout lines worth showing (stderr, where errors go, is always shown);
   * `quiet` shows nothing and puts stderr into the error instead.
   */
  run(args: string[], opts?: { quiet?: boolean; show?: (line: string) => boolean }): Promise<string>;
  /** Sends SIGINT to a running terraform (no-op when none runs); returns whether one was running. */
  interrupt(): boolean;
}

/** Creates a runner for the stack folder `dir`. `print` receives whole lines. */
export function terraformRunner(dir: string, env: NodeJS.ProcessEnv, print: (line: string) => void): TerraformRunner {
  let current: ChildProcess | undefined;
  return {
    run(args, opts = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn('terraform', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        current = child;
        let stdout = '';
        let stderr = '';
        const lines = (sink: (l: string) => void) => {
          let rest = '';
          return (chunk: Buffer) => {
            rest += chunk.toString();
            const parts = rest.split('\n');
            rest = parts.pop() ?? '';
            for (const p of parts) sink(p);
          };
        };
        child.stdout!.on('data', (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        if (!opts.quiet) {
          child.stdout!.on(
            'data',
            lines((l) => {
              if (!opts.show || opts.show(l)) print(l);
            }),
          );
          child.stderr!.on(
            'data',
            lines((l) => print(l)),
          );
        }
        child.on('error', (err) => {
          current = undefined;
          reject(err);
        });
        child.on('close', (code, signal) => {
          current = undefined;
          if (code === 0) {
            resolve(stdout);
            return;
          }
          const shown = opts.quiet ? `\n${stderr.trim()}` : '';
          reject(
            new DemoError('terraform_failed', `terraform ${args[0]} failed (${signal ?? `exit ${code}`})${shown}`),
          );
        });
      });
    },
    interrupt() {
      if (!current?.pid || current.exitCode !== null) return false;
      try {
        process.kill(-current.pid, 'SIGINT');
      } catch {
        return false;
      }
      return true;
    },
  };
}

/** Progress lines of plan/apply/destroy: per-resource events and the totals, not the plan body. */
export const PROGRESS_LINE =
  /^(\S+: (Creating|Creation complete|Still creating|Reading|Read complete|Still reading|Modifying|Modifications complete|Still modifying|Destroying|Destruction complete|Still destroying)|Plan: |Apply complete|Destroy complete|No changes)/;

/** Lines of `terraform init` worth showing. */
export const INIT_LINE =
  /^(- (Installing|Installed|Using previously|Finding)|Terraform has been successfully initialized)/;

/** The environment terraform (and through it the provider) gets: the caller's PATH and HOME plus `extra`. */
export function terraformEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'TF_LOG', 'TF_LOG_PATH', 'TF_LOG_PROVIDER'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', ...extra };
}

/**
 * End-to-end helpers: run the REAL `terraform` against a provider installed into a filesystem
 * mirror inside a throw-away directory. Nothing touches the user's home or the network (other
 * than what a config itself asks for).
 *
 * Usage:
 * ```ts
 * const ws = await createWorkspace();                 // the real oVirt provider (the release in dist/release)
 * // or: createWorkspace({ provider: { entry: await bundleEntry('test/x/main.ts'), type: 'tftest' } })
 * ws.writeFiles({ 'main.tf': `terraform { required_providers { ovirt = { source = "${ws.source}" } } } ...` });
 * expectOk(await ws.terraform('init'));
 * expectOk(await ws.terraform('apply', '-auto-approve'));
 * const r = await ws.state();                         // parsed `terraform show -json`
 * resourceValues(r, 'ovirt_vm.a');                    // the attribute values of one resource
 * await ws.cleanup();
 * ```
 * - `ws.terraform(...args)` runs with `-input=false` semantics via TF_INPUT=0, TF_IN_AUTOMATION=1,
 *   TF_CLI_CONFIG_FILE=<ws.cliConfig>, HOME=<tmp>/home; resolves to {code, stdout, stderr}.
 * - `ws.spawn(...args)` starts terraform in its own process group (for Ctrl-C tests: send SIGINT
 *   to `-child.pid`, as a terminal would).
 * - `ws.env` is the environment used; pass `env` to add variables (e.g. TF_LOG, TF_REATTACH_PROVIDERS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installProvider, installRelease } from '../../src/tfplugin/install';
import { testRunEnv } from './test-run';
import { assertDistCurrent } from './dist';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The provider to install: a release folder, or a compiled JS entry run through a launcher
 *  (test-only providers, which are never released), and its identity. */
export interface ProviderSpec {
  /** Release folder (zips and SHA256SUMS), installed as users install it. */
  release?: string;
  /** Compiled JavaScript entry that calls serve(...). */
  entry?: string;
  /** Provider type (default "ovirt"). */
  type?: string;
  hostname?: string;
  namespace?: string;
  version?: string;
}

/** The real oVirt provider as `npm run build` releases it (the single executable that
 *  `ovirt-cdktf install-provider` installs). */
export function ovirtProviderSpec(): ProviderSpec {
  assertDistCurrent(REPO_ROOT);
  return { release: path.join(REPO_ROOT, 'dist', 'release'), type: 'ovirt' };
}

/** Result of one terraform run. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of one terraform run. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A workspace: a temp dir with a mirror, a CLI config, a fake home and a working dir. */
export interface Workspace {
  /** Root of everything (removed by cleanup). */
  root: string;
  /** Terraform's working directory (put *.tf / *.tf.json here). */
  dir: string;
  /** The provider's source address, e.g. terraform.local/ovirt-cdktf/ovirt. */
  source: string;
  /** The CLI config file (TF_CLI_CONFIG_FILE). */
  cliConfig: string;
  env: NodeJS.ProcessEnv;
  /** Writes files (relative to dir). */
  writeFiles(files: Record<string, string>): void;
  /** Runs terraform with the args; never throws on a non-zero exit. */
  terraform(...args: string[]): Promise<RunResult>;
  /** Same with extra environment variables, an optional timeout (ms, default 120 s) and a signal
   *  that interrupts terraform like Ctrl-C (it then runs in its own process group, so a terminal's
   *  Ctrl-C reaches it only through the signal, once). */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Starts terraform in its own process group and returns the child (stdout/stderr piped). */
  spawn(args: string[], opts?: { env?: NodeJS.ProcessEnv }): ChildProcess;
  /** `terraform show -json` parsed. */
  state(): Promise<StateJson>;
  cleanup(): Promise<void>;
}

/** The parts of `terraform show -json` output the tests use. */
export interface StateJson {
  values?: {
    root_module?: {
      resources?: {
        address: string;
        type: string;
        name: string;
        values: Record<string, unknown>;
        sensitive_values?: unknown;
      }[];
    };
  };
}

/** Options of {@link createWorkspace}. */
export interface WorkspaceOptions {
  provider?: ProviderSpec;
  /** Extra environment for every run. */
  env?: NodeJS.ProcessEnv;
  /** Timeout and signal of every run that does not give its own. */
  defaults?: Omit<RunOptions, 'env'>;
}

/** Creates a workspace with the provider installed in a private filesystem mirror. */
export async function createWorkspace(opts: WorkspaceOptions = {}): Promise<Workspace> {
  const spec = opts.provider ?? ovirtProviderSpec();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfws-'));
  const dir = path.join(root, 'work');
  const home = path.join(root, 'home');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const where = {
    mirrorDir: path.join(root, 'mirror'),
    cliConfigPath: path.join(root, 'terraform.tfrc'),
    hostname: spec.hostname ?? 'terraform.local',
    namespace: spec.namespace ?? 'ovirt-cdktf',
    type: spec.type ?? 'ovirt',
    version: spec.version ?? '0.1.0',
  };
  if (!spec.release && !spec.entry) throw new Error('createWorkspace: the provider needs a release or an entry');
  const installed = spec.release
    ? installRelease({ ...where, releaseDir: spec.release })
    : installProvider({ ...where, entry: spec.entry! });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    TF_CLI_CONFIG_FILE: installed.cliConfigPath,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...testRunEnv(),
    ...opts.env,
  };
  const run = (args: string[], given: RunOptions = {}) =>
    new Promise<RunResult>((resolve) => {
      const options = { ...opts.defaults, ...given };
      const child = spawn('terraform', args, {
        cwd: dir,
        env: { ...env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: options.signal !== undefined,
      });
      const interrupt = () => child.kill('SIGINT');
      if (options.signal?.aborted) interrupt();
      options.signal?.addEventListener('abort', interrupt, { once: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', interrupt);
        resolve({ code, stdout, stderr });
      });
    });
  const ws: Workspace = {
    root,
    dir,
    source: installed.source,
    cliConfig: installed.cliConfigPath,
    env,
    writeFiles(files) {
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    },
    terraform: (...args) => run(args),
    run,
    spawn: (args, options = {}) =>
      spawn('terraform', args, {
        cwd: dir,
        env: { ...env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    async state() {
      const shown = await run(['show', '-json']);
      if (shown.code !== 0) throw new Error(`terraform show -json failed: ${shown.stderr}`);
      return JSON.parse(shown.stdout) as StateJson;
    },
    async cleanup() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return ws;
}

/** The attribute values of one resource address in `terraform show -json` output (undefined when absent). */
export function resourceValues(state: StateJson, address: string): Record<string, unknown> | undefined {
  return state.values?.root_module?.resources?.find((r) => r.address === address)?.values;
}

/** Throws with terraform's output when a run failed (readable failures in tests). */
export function expectOk(result: RunResult): RunResult {
  if (result.code !== 0)
    throw new Error(`terraform exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

/** Bundles a TypeScript provider entry into one JS file with esbuild (for test-only providers
 *  that are not part of the build). Returns the output path, inside `outDir`. */
export async function bundleEntry(tsEntry: string, outDir: string): Promise<string> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const outfile = path.join(outDir, `${path.basename(tsEntry, '.ts')}.js`);
  await esbuild.build({
    entryPoints: [path.resolve(REPO_ROOT, tsEntry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

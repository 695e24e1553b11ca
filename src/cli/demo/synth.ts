/**
 * Synthesizes a cdktf app the way `cdktf synth` does: runs the app's `main.ts` with `CDKTF_OUTDIR`
 * set, then reads the manifest to find the stack's `cdk.tf.json`. The app runs as TypeScript through
 * ts-node (transpile-only), as the examples' `cdktf.json` would run it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DemoError } from './errors';

/** A synthesized stack. */
export interface SynthResult {
  /** Stack name. */
  stack: string;
  /** Folder holding the stack's cdk.tf.json (terraform's working directory). */
  dir: string;
  /** Wall time of the synth, in ms. */
  ms: number;
}

interface Manifest {
  stacks?: Record<string, { name?: string; workingDirectory?: string; synthesizedStackPath?: string }>;
}

/** Runs the app in `appDir` and returns its only (or first) stack. `env` goes to the app. */
export async function synthesize(
  appDir: string,
  outDir: string,
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): Promise<SynthResult> {
  const main = path.join(appDir, 'main.ts'); // its existence is checked by the preflight
  let register: string;
  try {
    register = require.resolve('ts-node/register/transpile-only', { paths: [repoRoot] });
  } catch (err) {
    throw new DemoError(
      'app_missing',
      'ts-node is not installed: run `npm ci` (the demo synthesizes TypeScript apps with it).',
      { cause: err },
    );
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', register, main], {
      cwd: appDir,
      env: { ...env, CDKTF_OUTDIR: outDir, TS_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(text)
        : reject(
            new DemoError(
              'synth_failed',
              `synthesizing ${path.relative(repoRoot, appDir) || appDir} failed (exit ${code}):\n${text.trim()}`,
            ),
          ),
    );
  });
  const manifestFile = path.join(outDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new DemoError(
      'synth_failed',
      `the app ran but wrote no ${manifestFile} (does main.ts call app.synth()?)\n${output.trim()}`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const [name, stack] = Object.entries(manifest.stacks ?? {})[0] ?? [];
  if (!name || !stack?.workingDirectory) throw new DemoError('synth_failed', `${manifestFile} lists no stack`);
  return { stack: stack.name ?? name, dir: path.join(outDir, stack.workingDirectory), ms: Date.now() - started };
}

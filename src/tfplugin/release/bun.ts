/**
 * Builds a provider as one self-contained executable with Bun's `bun build --compile`: the bundle,
 * its bytecode and the Bun runtime in one file that runs with no Node or Bun installed. Bun, not a
 * Node single executable, because Terraform starts a provider three times per plan and a Node start
 * costs ~110 ms of CPU on a small runner against ~15 ms for this executable to its handshake
 * (bench/RESULTS.md, issue 13). The runtime is an official Bun build of a pinned version taken from
 * the npm registry (`@oven/bun-linux-*`, checked against a pinned integrity), never whatever the
 * build machine has, so two builds anywhere give the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A Bun binary as an npm package: `@oven/bun-linux-x64-baseline@1.4.5`, its target and tarball integrity. */
export interface BunPackage {
  name: string;
  version: string;
  /** `bun build --target` of the executables built from it. */
  target: string;
  integrity: string;
}

function run(cmd: string, args: string[], what: string, cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (error) {
    const err = error as { stderr?: string; message: string };
    throw new Error(`${what} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Path of the package's `bin/bun`, downloaded once with `npm pack` into `cacheDir`. */
export function bunBinary(pkg: BunPackage, cacheDir: string): string {
  const dir = path.join(cacheDir, `${pkg.name.replace('/', '+')}-${pkg.version}`);
  const bin = path.join(dir, 'bun');
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
    run('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/bun'], `unpacking ${spec}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(path.join(tmp, 'package', 'bin', 'bun'), 0o755);
    fs.renameSync(path.join(tmp, 'package', 'bin', 'bun'), bin);
    return bin;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** What {@link buildExecutable} makes. */
export interface ExecutableOptions {
  /** The one-file CommonJS bundle to run (it may `require` Node's built-in modules only). */
  bundle: string;
  /** The Bun package of the target platform and its binary. */
  target: { pkg: BunPackage; bin: string };
  /** A Bun binary that runs here: it compiles. */
  host: string;
  /** Compile the bundle to bytecode ahead of time (faster start, larger file). */
  bytecode: boolean;
  out: string;
}

/**
 * Where the bundle is compiled from. Bun records the source's absolute path in the executable (and
 * its bytecode depends on it), so the path is the same on every machine: a fixed folder under /tmp,
 * named by the bundle's hash, so builds of different code never share it.
 */
function sourceDir(bundle: Buffer): string {
  return path.join(
    '/tmp',
    `terraform-provider-build-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}`,
  );
}

/** Creates `dir`, or checks that the one there is ours and that no one else can write in it. */
function ownDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0)
    throw new Error(`release: ${dir} exists and is not a folder only this user can write; remove it`);
}

/** Writes the executable `out` (mode 0755). */
export function buildExecutable(options: ExecutableOptions): void {
  const code = fs.readFileSync(options.bundle);
  const dir = sourceDir(code);
  ownDir(dir);
  const source = path.join(dir, 'main.js');
  if (!fs.existsSync(source) || !fs.readFileSync(source).equals(code)) {
    // Written aside and renamed: a build running at the same time never reads half a file.
    const part = `${source}.${process.pid}`;
    fs.writeFileSync(part, code);
    fs.renameSync(part, source);
  }
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(path.resolve(options.out)), '.build-'));
  try {
    // The output's file name is recorded too: a fixed one keeps builds identical.
    const exe = path.join(work, 'terraform-provider');
    run(
      options.host,
      [
        'build',
        './main.js',
        '--compile',
        ...(options.bytecode ? ['--bytecode'] : []),
        '--format=cjs',
        `--target=${options.target.pkg.target}`,
        `--compile-executable-path=${options.target.bin}`,
        // Terraform runs the provider in the user's working folder: never read a .env or bunfig.toml there.
        '--no-compile-autoload-dotenv',
        '--no-compile-autoload-bunfig',
        '--outfile',
        exe,
      ],
      'bun build --compile',
      dir,
    );
    fs.chmodSync(exe, 0o755);
    fs.renameSync(exe, options.out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

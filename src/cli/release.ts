/**
 * `npm run release` (`node dist/src/cli/release.js [options]`): builds terraform-provider-ovirt as
 * a single executable per platform (Bun's `--compile`) and writes the release folder (zips,
 * SHA256SUMS, optional signature, manifest, network-mirror tree). A build tool: it needs the
 * devDependency esbuild, `npm` to fetch the pinned Bun runtime, and `npm run build` first. `npm run build` runs it for this machine's platform into
 * dist/release, which is what `ovirt-cdktf install-provider` installs from.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleProvider } from '../tfplugin/bundle';
import { encodeProviderSchema } from '../tfplugin/grpc/serve';
import { platform as hostPlatform } from '../tfplugin/install';
import { releaseNames, writeRelease } from '../tfplugin/release/artifacts';
import { bunBinary, buildExecutable, type BunPackage } from '../tfplugin/release/bun';
import { OVIRT_PROVIDER } from './install-provider';

/**
 * The Bun release each platform's executable is built from (official builds, from the npm registry).
 * amd64 uses Bun's `baseline` build, which runs on x86-64 CPUs without AVX2 too (older runners).
 */
export const BUN_PACKAGES: Record<string, BunPackage> = {
  linux_amd64: {
    name: '@oven/bun-linux-x64-baseline',
    version: '1.4.5',
    target: 'bun-linux-x64-baseline',
    integrity: 'sha512-s8yMwYcFnnrA178gji0gZbkE2WVDej/Ti1x770oPfihxyRxSMNhGhiAQNXV53aDeraZxksdvKV/RAdQBCd0qPA==',
  },
  linux_arm64: {
    name: '@oven/bun-linux-aarch64',
    version: '1.4.5',
    target: 'bun-linux-arm64',
    integrity: 'sha512-4BXmsSKnjOrlGWqZV4x/oWa7AVoR+B6lCXddMzOAXBIm3t50eslg9wb66gmtW1AamEQ1l1CDvmmruysEhqOWMg==',
  },
};

/**
 * Left out of the executable: zod's translations of its messages (about 480 KB, 40 languages; the
 * provider reports in English, which zod loads on its own), compiled by every process that reads
 * from the engine otherwise (bench/plan).
 */
const EMPTY_MODULES = [/[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/];

/** The package root: the nearest folder up with a package.json (from src/ and from dist/). */
function packageRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    if (path.dirname(dir) === dir) throw new Error(`release: no package.json above ${__dirname}`);
    dir = path.dirname(dir);
  }
  return dir;
}

const ROOT = packageRoot(__dirname);

const HELP = `Usage: node dist/src/cli/release.js [--out DIR] [--platform P]... [--gpg-key KEY] [--no-bytecode]

Builds terraform-provider-ovirt as a single executable (no Node or Bun needed where it runs) and writes
the release: one zip per platform, SHA256SUMS (signed with --gpg-key), the manifest and a
provider network mirror tree. Two builds of the same code give byte-identical files (but the
signature, which carries its time).

Options:
  --out DIR        release folder (default ./release)
  --platform P     ${Object.keys(BUN_PACKAGES).join(', ')} or host (repeatable; default all)
  --gpg-key KEY    sign SHA256SUMS with this key (GNUPGHOME applies)
  --no-bytecode    leave the ahead-of-time bytecode out (slower start, smaller file)
`;

/** The provider's GetProviderSchema response, from the compiled declarations the bundle is built from. */
function providerSchema(): Buffer {
  return encodeProviderSchema((require('../provider') as typeof import('../provider')).ovirtProvider);
}

/** What to build. */
export interface ReleaseBuild {
  outDir: string;
  platforms: string[];
  gpgKey?: string;
  bytecode: boolean;
  /** Compiled provider entry (default dist/src/provider/main.js); its schema answer is this
   *  build's own ovirt provider's either way. */
  entry?: string;
  /** Prints progress. */
  log?: (line: string) => void;
}

/** Builds the release; returns the paths of the zips. Skips the executables when nothing changed
 *  since the last build into the same folder (`npm run build` runs this every time). */
export async function buildRelease(build: ReleaseBuild): Promise<string[]> {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const host = BUN_PACKAGES[hostPlatform()];
  if (!host)
    throw new Error(
      `release: building on ${hostPlatform()} is not supported (a Bun binary of ${Object.keys(BUN_PACKAGES).join(' or ')} must run here)`,
    );
  const cache = path.join(ROOT, 'node_modules', '.cache', 'ovirt-cdktf');
  fs.mkdirSync(cache, { recursive: true });
  const work = fs.mkdtempSync(path.join(cache, '.release-'));
  try {
    const bundle = path.join(work, 'provider.js');
    const entry = build.entry ?? path.join(ROOT, 'dist', 'src', 'provider', 'main.js');
    if (
      !(await bundleProvider(entry, bundle, {
        define: {
          __OVIRT_CDKTF_VERSION__: JSON.stringify(version),
          // The schema answer, computed once here rather than by each process Terraform starts.
          __OVIRT_PROVIDER_SCHEMA__: JSON.stringify(providerSchema().toString('base64')),
        },
        sourcemap: false,
        root: ROOT,
        emptyModules: EMPTY_MODULES,
      }))
    )
      throw new Error('release: esbuild is required');
    const names = releaseNames({ type: OVIRT_PROVIDER.type, version });
    // Whatever shapes the output: the bundle, the options, and the release code itself.
    const key = createHash('sha256')
      .update(fs.readFileSync(bundle))
      .update(JSON.stringify([build.platforms, build.bytecode, BUN_PACKAGES]));
    for (const m of [__filename, '../tfplugin/release/bun', '../tfplugin/release/artifacts', '../tfplugin/release/zip'])
      key.update(fs.readFileSync(require.resolve(m)));
    const digest = key.digest('hex');
    const keyFile = path.join(build.outDir, '.build-key');
    const zips = build.platforms.map((platform) => path.join(build.outDir, names.zip(platform)));
    if (
      !build.gpgKey &&
      fs.existsSync(keyFile) &&
      fs.readFileSync(keyFile, 'utf8') === digest &&
      zips.every((z) => fs.existsSync(z))
    ) {
      build.log?.(`release: ${build.outDir} is up to date`);
      return zips;
    }
    const hostBun = bunBinary(host, cache);
    const executables: Record<string, string> = {};
    for (const platform of build.platforms) {
      const pkg = BUN_PACKAGES[platform];
      if (!pkg)
        throw new Error(`release: unknown platform ${platform} (known: ${Object.keys(BUN_PACKAGES).join(', ')})`);
      build.log?.(`release: building ${names.executable} for ${platform} from ${pkg.name}@${pkg.version}`);
      executables[platform] = path.join(work, platform, names.executable);
      buildExecutable({
        bundle,
        target: { pkg, bin: bunBinary(pkg, cache) },
        host: hostBun,
        bytecode: build.bytecode,
        out: executables[platform],
      });
    }
    fs.rmSync(keyFile, { force: true });
    writeRelease({ ...OVIRT_PROVIDER, version, outDir: build.outDir, executables, gpgKey: build.gpgKey });
    fs.writeFileSync(keyFile, digest);
    build.log?.(`release: wrote ${build.outDir}`);
    return zips;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Parses the command line; undefined after --help. */
export function parseReleaseArgs(args: string[]): ReleaseBuild | undefined {
  const build: ReleaseBuild = { outDir: 'release', platforms: [], bytecode: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[++i];
      if (!next) throw new Error(`release: ${arg} needs a value`);
      return next;
    };
    if (arg === '-h' || arg === '--help') return undefined;
    else if (arg === '--out') build.outDir = value();
    else if (arg === '--platform') {
      const platform = value();
      build.platforms.push(platform === 'host' ? hostPlatform() : platform);
    } else if (arg === '--gpg-key') build.gpgKey = value();
    else if (arg === '--no-bytecode') build.bytecode = false;
    else throw new Error(`release: unknown option "${arg}"`);
  }
  if (!build.platforms.length) build.platforms = Object.keys(BUN_PACKAGES);
  build.outDir = path.resolve(build.outDir);
  return build;
}

if (require.main === module) {
  const fail = (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  };
  try {
    const build = parseReleaseArgs(process.argv.slice(2));
    if (!build) process.stdout.write(HELP);
    else buildRelease({ ...build, log: (line) => process.stderr.write(`${line}\n`) }).catch(fail);
  } catch (err) {
    fail(err);
  }
}

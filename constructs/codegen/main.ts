/**
 * `npm run generate:bindings`: installs the built provider into a throw-away filesystem mirror,
 * reads its schema through `terraform init` + `terraform providers schema -json`, and writes the L1
 * bindings to constructs/generated with cdktf's generator. Needs `npm run build` first (the mirror's
 * launcher runs dist/src/provider/main.js). Development tool; the library never loads it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installProvider } from '../../src/tfplugin/install';
import { emitBindings, ProviderSchemaJson } from './emit';
import { PROVIDER_SOURCE, readProviderSchema } from './schema';

/** The package root: the nearest folder up with a package.json (works from the source and from dist/). */
function packageRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('generate:bindings: no package.json above ' + __dirname);
    dir = up;
  }
  return dir;
}

const ROOT = packageRoot(__dirname);

/** Reads the schema of the provider as built in dist/, through a temporary mirror. */
export async function builtProviderSchema(): Promise<ProviderSchemaJson> {
  const version = (require(join(ROOT, 'package.json')) as { version: string }).version;
  const tmp = await mkdtemp(join(tmpdir(), 'ovirt-cdktf-mirror-'));
  try {
    const [hostname, namespace, type] = PROVIDER_SOURCE.split('/') as [string, string, string];
    const mirrorDir = join(tmp, 'mirror');
    installProvider({
      mirrorDir,
      entry: join(ROOT, 'dist', 'src', 'provider', 'main.js'),
      hostname,
      namespace,
      type,
      version,
    });
    return await readProviderSchema(mirrorDir, version);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Generates the bindings into `outDir` (default constructs/generated). */
export async function generateBindings(outDir = join(ROOT, 'constructs', 'generated')): Promise<string[]> {
  return emitBindings(await builtProviderSchema(), outDir);
}

if (require.main === module) {
  generateBindings().then(
    (files) => {
      process.stderr.write(`generate:bindings: wrote ${files.length} files to constructs/generated\n`);
    },
    (err: unknown) => {
      process.stderr.write(`generate:bindings: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

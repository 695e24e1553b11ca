/**
 * `npm run generate:docs`: writes the generated reference under docs/ (the provider's index page,
 * one page per resource and data source, the construct API) and removes generated pages that no
 * longer have a source. `--check` writes nothing and exits 1 when any page is stale (the docs test
 * does the same check).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openApiDocument } from '../boot/server/openapi';
import type { AnyProvider } from '../tfplugin/schema/define';
import { constructApiPage } from './construct-markdown';
import { GENERATED_NOTE, providerPages } from './schema-markdown';

/** The provider's source address and version constraint used in examples. */
const SOURCE = 'terraform.local/ovirt-cdktf/ovirt';

const CONSTRUCTS_HEADER = [
  '# Construct API reference',
  '',
  GENERATED_NOTE.replace('the provider schema', 'the doc comments of constructs/'),
  '',
  "Everything `import { … } from 'ovirt-cdktf'` exports, in the order of `constructs/index.ts`. The L1",
  'bindings (`l1.vm.Vm`, `l1.bootEntry.BootEntry`, …) mirror the provider schema one to one: see the',
  '[resource pages](index.md) for their attributes.',
  '',
];

/** The repository root (this file is src/docs/generate.ts, or dist/src/docs/generate.js). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Every generated page, by path relative to docs/. */
export async function generatedPages(provider: AnyProvider, root = repoRoot()): Promise<Map<string, string>> {
  // Examples are hand-written HCL under docs/examples/ (test/docs/examples.test.ts applies them all).
  const example = (folder: string, name: string) => {
    const file = path.join(root, 'docs', 'examples', folder, `${name}.tf`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const pages = await providerPages(provider, SOURCE, example('provider', 'provider') ?? '', example);
  pages.set('constructs.md', constructApiPage(path.join(root, 'constructs', 'index.ts'), CONSTRUCTS_HEADER));
  pages.set('boot-server-openapi.json', JSON.stringify(openApiDocument(), null, 2) + '\n');
  return pages;
}

/** Generated files under `docsDir` that `pages` no longer contains (a resource was removed). */
export function orphanPages(docsDir: string, pages: Map<string, string>): string[] {
  const found: string[] = [];
  for (const sub of ['resources', 'data-sources']) {
    const dir = path.join(docsDir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (!pages.has(`${sub}/${f}`)) found.push(`${sub}/${f}`);
  }
  return found;
}

/** Pages whose file content differs from what the generator makes now (missing ones included). */
export function stalePages(docsDir: string, pages: Map<string, string>): string[] {
  const stale = [...pages]
    .filter(([rel, text]) => {
      const file = path.join(docsDir, rel);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
    })
    .map(([rel]) => rel);
  return [...stale, ...orphanPages(docsDir, pages)];
}

async function main(argv: string[]): Promise<number> {
  const root = repoRoot();
  const docsDir = path.join(root, 'docs');
  const { ovirtProvider } = require('../provider') as { ovirtProvider: AnyProvider };
  const pages = await generatedPages(ovirtProvider, root);
  if (argv.includes('--check')) {
    const stale = stalePages(docsDir, pages);
    for (const s of stale) process.stderr.write(`stale: docs/${s}\n`);
    if (stale.length) process.stderr.write('run `npm run generate:docs` and commit the result\n');
    return stale.length ? 1 : 0;
  }
  for (const rel of orphanPages(docsDir, pages)) fs.rmSync(path.join(docsDir, rel));
  for (const [rel, text] of pages) {
    const file = path.join(docsDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  }
  process.stderr.write(`docs: ${pages.size} pages current in ${path.relative(process.cwd(), docsDir) || docsDir}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`generate:docs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

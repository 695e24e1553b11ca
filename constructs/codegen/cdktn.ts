/**
 * Build step (`npm run build`): the `cdktn` entry point. cdktn, the maintained fork of cdktf, has
 * the same API under another package name, so dist/cdktn is dist/constructs (the constructs and the
 * generated bindings) with its imports of `cdktf` rewritten to `cdktn`: one source tree, two entry
 * points, and nothing for either user to install that they do not use.
 *
 * Usage: node dist/constructs/codegen/cdktn.js <dist/constructs> <dist/cdktn>
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The module references to rewrite: exactly cdktf's package root, as tsc writes it. */
const REFERENCES: readonly [RegExp, string][] = [
  [/require\("cdktf"\)/g, 'require("cdktn")'],
  [/from 'cdktf'/g, "from 'cdktn'"],
];
/** Any other reference into cdktf (a deep import) would break under cdktn: refuse to build. */
const DEEP = /require\("cdktf\/|from 'cdktf\//;

/** One compiled file for cdktn; throws on a deep import of cdktf. */
export function rewriteForCdktn(text: string, file: string): string {
  if (DEEP.test(text))
    throw new Error(`${file} imports a path inside cdktf; the cdktn entry point only maps the package root`);
  return REFERENCES.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** Writes the cdktn copy of `from` (compiled .js and .d.ts, without this build tool) to `to`. */
export function buildCdktnEntry(from: string, to: string): number {
  rmSync(to, { recursive: true, force: true });
  let files = 0;
  const walk = (src: string, dst: string): void => {
    for (const name of readdirSync(src)) {
      const source = join(src, name);
      if (statSync(source).isDirectory()) {
        if (name !== 'codegen') walk(source, join(dst, name));
      } else if (name.endsWith('.js') || name.endsWith('.d.ts')) {
        mkdirSync(dst, { recursive: true });
        writeFileSync(join(dst, name), rewriteForCdktn(readFileSync(source, 'utf8'), source));
        files++;
      }
    }
  };
  walk(from, to);
  return files;
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) throw new Error('usage: cdktn.js <dist/constructs> <dist/cdktn>');
  buildCdktnEntry(from, to);
}

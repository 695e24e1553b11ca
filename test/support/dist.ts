/**
 * End-to-end tests run the provider and the CLI from `dist/`: after editing `src/` without a build
 * they would silently test old code. They call {@link assertDistCurrent} first, which fails with
 * what to do when a source file is newer than the build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The newest `.ts` file under `dir` and its mtime (ms). */
function newestSource(dir: string): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  const todo = [dir];
  for (let d = todo.pop(); d !== undefined; d = todo.pop()) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, e.name);
      if (e.isDirectory()) todo.push(file);
      else if (e.name.endsWith('.ts')) {
        const mtimeMs = fs.statSync(file).mtimeMs;
        if (!newest || mtimeMs > newest.mtimeMs) newest = { file: file, mtimeMs: mtimeMs };
      }
    }
  }
  return newest;
}

/** Why `dist/` under `root` cannot be trusted (missing, or older than a file in `src/`), or undefined. */
export function distProblem(root: string): string | undefined {
  const built = path.join(root, 'dist', 'src', 'provider', 'main.js');
  if (!fs.existsSync(built)) return `${path.relative(root, built)} is missing: run npm run build`;
  const src = newestSource(path.join(root, 'src'));
  if (src && src.mtimeMs > fs.statSync(built).mtimeMs) {
    return `dist/ is older than ${path.relative(root, src.file)}: run npm run build (end-to-end tests run the built provider and CLI)`;
  }
  return undefined;
}

let checked: string | undefined | null = null;

/** Throws when `dist/` of the repository is missing or older than `src/` (checked once per process). */
export function assertDistCurrent(root: string): void {
  if (checked === null) checked = distProblem(root);
  if (checked) throw new Error(checked);
}

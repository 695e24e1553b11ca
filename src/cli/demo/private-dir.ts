/**
 * The demo's working folder holds secrets (demo.env, Terraform state and synthesized JSON with
 * Ignition, boot data): owner-only, also when an older run or the user created it more open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Creates `dir` (0700) or tightens an existing one: folders 0700, files lose group and other bits. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const todo = [dir];
  for (let d = todo.pop(); d !== undefined; d = todo.pop()) {
    fs.chmodSync(d, 0o700);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const entryPath = path.join(d, e.name);
      if (e.isDirectory()) todo.push(entryPath);
      else if (e.isFile()) fs.chmodSync(entryPath, fs.statSync(entryPath).mode & 0o700);
    }
  }
}

/**
 * Reads and writes Terraform's dependency lock file (`.terraform.lock.hcl`) in the layout
 * `terraform init` itself writes (header, one `provider` block per address sorted by address,
 * hashes sorted), so a file written here is left unchanged by `terraform init` and passes
 * `-lockfile=readonly`. Blocks of other providers are kept as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One provider's entry. */
export interface LockEntry {
  /** Full source address, e.g. `terraform.local/ovirt-cdktf/ovirt`. */
  address: string;
  version: string;
  /** The configuration's version constraint, e.g. `0.1.0` (omitted when the config has none). */
  constraints?: string;
  hashes: string[];
}

const HEADER =
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';

/** The text of one provider block. */
export function lockBlock(entry: LockEntry): string {
  const hashes = [...new Set(entry.hashes)]
    .sort()
    .map((h) => `    ${JSON.stringify(h)},\n`)
    .join('');
  const constraints = entry.constraints !== undefined ? `  constraints = ${JSON.stringify(entry.constraints)}\n` : '';
  return `provider ${JSON.stringify(entry.address)} {\n  version     = ${JSON.stringify(entry.version)}\n${constraints}  hashes = [\n${hashes}  ]\n}\n`;
}

/** The provider blocks of a lock file's text, by address (each block's text as written). */
export function lockBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of text.matchAll(/^provider "([^"]+)" \{\n[\s\S]*?^\}\n?/gm))
    blocks.set(m[1]!, m[0].endsWith('\n') ? m[0] : `${m[0]}\n`);
  return blocks;
}

/** `text` (a lock file, or '' for none) with `entry`'s block added or replaced. */
export function updateLockText(text: string, entry: LockEntry): string {
  const blocks = lockBlocks(text);
  blocks.set(entry.address, lockBlock(entry));
  const sorted = [...blocks.keys()].sort().map((a) => blocks.get(a)!);
  return `${HEADER}\n${sorted.join('\n')}`;
}

/** Writes or updates `<dir>/.terraform.lock.hcl`; returns its path. */
export function updateLockFile(dir: string, entry: LockEntry): string {
  const file = path.join(dir, '.terraform.lock.hcl');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const text = updateLockText(old, entry);
  if (text !== old) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

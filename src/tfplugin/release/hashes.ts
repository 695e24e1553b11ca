/**
 * The two package hashes Terraform records in `.terraform.lock.hcl`:
 * - `zh:` the SHA-256 of the release zip, in hex (what a registry's SHA256SUMS lists);
 * - `h1:` Go's dirhash "Hash1" of the package's files: for each file, sorted by its `/`-separated
 *   path, the line `<hex sha256 of its content>  <path>\n`; then the SHA-256 of all those lines,
 *   base64. It is the same whether Terraform hashes the zip's entries or the unpacked folder, so
 *   it is computed here from the zip's entries.
 */
import { createHash } from 'node:crypto';
import type { ZipEntry } from './zip';

/** Hex SHA-256 of `data`. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The `zh:` hash of a zip file's bytes. */
export function zipHash(zip: Buffer): string {
  return `zh:${sha256Hex(zip)}`;
}

/** The `h1:` hash of a package's files (the entries of its zip, or the files of its folder). */
export function h1Hash(files: Pick<ZipEntry, 'name' | 'data'>[]): string {
  const bad = files.find((f) => f.name.includes('\n'));
  if (bad) throw new Error(`h1: file name ${JSON.stringify(bad.name)} contains a newline`);
  const summary = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${sha256Hex(f.data)}  ${f.name}\n`)
    .join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

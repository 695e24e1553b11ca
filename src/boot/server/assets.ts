/**
 * Static assets (kernels, initramfs, root filesystems) from one folder, with single-range
 * requests. Paths are decoded, cleaned and resolved (symlinks included) and must stay inside the
 * folder.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { posix, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BootError } from '../errors';

/** Resolves `/assets/<rel>` to a file inside `root`, or throws 400/403/404. */
export async function resolveAsset(root: string, rel: string): Promise<{ file: string; size: number; mtime: Date }> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    throw new BootError('invalid_request', 'malformed percent-encoding in the asset path');
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    throw new BootError('invalid_request', 'asset path contains a NUL or backslash');
  // A `..` segment is refused outright rather than clamped at the root, so probing is visible.
  if (decoded.split('/').includes('..')) throw new BootError('forbidden', 'asset path escapes the asset folder');
  const clean = posix.normalize('/' + decoded);
  const realRoot = await fs.realpath(root).catch(() => {
    throw new BootError('not_found', 'no asset folder configured');
  });
  const candidate = resolve(realRoot, '.' + clean);
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new BootError('not_found', `no asset ${clean}`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep))
    throw new BootError('forbidden', 'asset path escapes the asset folder');
  const st = await fs.stat(real);
  if (!st.isFile()) throw new BootError('not_found', `no asset ${clean}`);
  return { file: real, size: st.size, mtime: st.mtime };
}

/** Parses a single `bytes=` range against a size: undefined for "whole file", or throws 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // multi-range or odd forms: send it all (allowed by RFC 9110)
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new BootError('invalid_request', `range ${header} not satisfiable for ${size} bytes`, { status: 416 });
  return { start, end };
}

/** Serves an asset (GET or HEAD), with Range support. */
export async function serveAsset(root: string, rel: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const asset = await resolveAsset(root, rel);
  let range: { start: number; end: number } | undefined;
  try {
    range = parseRange(req.headers.range, asset.size);
  } catch (err) {
    res.setHeader('content-range', `bytes */${asset.size}`);
    throw err;
  }
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream',
    'accept-ranges': 'bytes',
    'last-modified': asset.mtime.toUTCString(),
  };
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${asset.size}`;
    headers['content-length'] = range.end - range.start + 1;
    res.writeHead(206, headers);
  } else {
    headers['content-length'] = asset.size;
    res.writeHead(200, headers);
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(asset.file, range ? { start: range.start, end: range.end } : {});
  await new Promise<void>((done) => {
    stream.on('error', () => {
      res.destroy();
      done();
    });
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
}

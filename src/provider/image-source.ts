/**
 * The `source` of `ovirt_disk_from_image`: a local file path or an http(s) URL. Resolving it gives
 * what the image is (from its header), its sha256 and, for an upload, a local file: a URL is
 * streamed to a temporary file (hashed on the way), never held in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReadableStream as WebReadableStream } from 'node:stream/web';
import { classify, probeImage, type ImageInfo } from '../ovirt/images/probe';
import { propertyOf } from './common';

/** A resolved source. */
export interface ResolvedSource {
  info: ImageInfo;
  sha256: string;
  /** Local file holding the bytes (the source itself, or a temporary download). */
  file: string;
  /** Removes the temporary download, if any. */
  release(): Promise<void>;
}

/** True for `http://` and `https://` sources. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Header bytes enough to classify an image (qcow2 header, ISO volume descriptor). */
const HEAD_BYTES = 0x8010;

/** A pass-through stream that hashes what flows and keeps the first bytes. */
function tap(): Transform & { sha: () => string; head: () => Buffer } {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let kept = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      if (kept < HEAD_BYTES) {
        parts.push(chunk.subarray(0, HEAD_BYTES - kept));
        kept += Math.min(chunk.length, HEAD_BYTES - kept);
      }
      cb(null, chunk);
    },
  });
  return Object.assign(stream, { sha: () => hash.digest('hex'), head: () => Buffer.concat(parts) });
}

async function open(url: string, signal?: AbortSignal): Promise<{ body: Readable }> {
  let res: Response;
  try {
    res = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    // fetch reports 'fetch failed' and puts the reason (DNS, refused, TLS) in `cause`.
    const why = String(propertyOf(propertyOf(err, 'cause'), 'message') ?? propertyOf(err, 'message') ?? err);
    throw new Error(`${url} cannot be reached: ${why}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`${url} answered HTTP ${res.status} ${res.statusText}`.trim());
  }
  // Node's fetch body is a node:stream/web stream; the check tells the type checker so.
  if (!(res.body instanceof WebReadableStream)) throw new Error(`${url}: the response body is not a stream`);
  return { body: Readable.fromWeb(res.body) };
}

/** sha256 and kind of a source without keeping the bytes (for plans). */
export async function inspectSource(
  source: string,
  signal?: AbortSignal,
): Promise<{ info: ImageInfo; sha256: string }> {
  if (!isUrl(source)) {
    const info = await probeImage(source);
    const hasher = tap();
    await pipeline(
      createReadStream(source, { highWaterMark: 1 << 20 }),
      hasher,
      async (chunks: AsyncIterable<Buffer>) => {
        for await (const _ of chunks) void _;
      },
      { signal },
    );
    return { info, sha256: hasher.sha() };
  }
  const { body } = await open(source, signal);
  const hasher = tap();
  let size = 0;
  await pipeline(
    body,
    hasher,
    async (chunks: AsyncIterable<Buffer>) => {
      for await (const c of chunks) size += c.length;
    },
    { signal },
  );
  return { info: classify(hasher.head(), size, source), sha256: hasher.sha() };
}

/** Resolves a source for an upload: a URL is downloaded to a temporary file first. */
export async function resolveSource(source: string, signal?: AbortSignal): Promise<ResolvedSource> {
  if (!isUrl(source)) {
    const { info, sha256 } = await inspectSource(source, signal);
    return { info, sha256, file: source, release: async () => undefined };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ovirt-image-'));
  const release = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'image');
    const { body } = await open(source, signal);
    const hasher = tap();
    await pipeline(body, hasher, createWriteStream(file), { signal });
    const info = classify(hasher.head(), (await fs.stat(file)).size, source);
    return { info, sha256: hasher.sha(), file, release };
  } catch (err) {
    await release();
    throw err;
  }
}

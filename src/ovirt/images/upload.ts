/**
 * Upload a local image file into a new disk: probe the file, create the disk (format and virtual
 * size from the image header), start an image transfer, send the file in ranges (in parallel when
 * the server allows; a failed range is resent alone, so a reset never restarts the upload), flush,
 * finalize, wait for `finished_success` and the disk `ok`. On any failure, Ctrl-C or timeout the
 * transfer is cancelled and the half-made disk removed: nothing is left behind.
 */
import { backoffDelay, sleep } from '../backoff';
import { OvirtError } from '../errors';
import { asId, type DiskId } from '../ids';
import type { Disk } from '../models/disk';
import type { ImageTransfer } from '../models/image-transfer';
import type { WaitOptions } from '../request-options';
import type { DisksService } from '../services/disks';
import { ImageTransfersService, type ImageTransferId } from '../services/image-transfers';
import { flushTarget, openTarget, putRange, type ImageioTarget, type ImageioTls } from './imageio';
import { checkImage, probeImage, type ImageInfo } from './probe';

/** What to upload and the disk to make for it. */
export interface UploadSpec {
  /** Local image file: qcow2, raw or ISO. */
  file: string;
  storageDomainId: string;
  alias: string;
  description?: string;
  /** Thin provisioning; default: true for qcow2, the engine's default for raw. */
  sparse?: boolean;
  /** The format the caller expects; an image whose header says otherwise is refused. */
  format?: 'cow' | 'raw';
  /** Disk virtual size in bytes; default the image's own. Smaller than the image is refused. */
  size?: number;
}

/** Upload progress, reported every `progressIntervalMs` and at the end. */
export interface UploadProgress {
  sent: number;
  total: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

/** How to upload. */
export interface UploadOptions {
  /** Cancels the upload (Ctrl-C, timeout): the transfer is cancelled and the disk removed. */
  signal?: AbortSignal;
  /** Bytes per PUT; default 8 MiB. */
  rangeBytes?: number;
  /** Parallel PUTs at most (the server's `max_writers` caps it); default 4. */
  maxParallel?: number;
  /** Attempts per range before the upload fails; default 10. */
  rangeAttempts?: number;
  progress?: (p: UploadProgress) => void;
  progressIntervalMs?: number;
  /** Hears notable events (endpoint fallback, retried ranges, cleanup). */
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** How long the cleanup after a failure may take; default 2 minutes. */
  cleanupTimeoutMs?: number;
}

/** What the uploader needs from the client. */
export interface UploadDeps {
  disks: DisksService;
  transfers: ImageTransfersService;
  tls: ImageioTls;
}

const MiB = 1024 * 1024;
const RETRYABLE = new Set(['connection', 'unavailable', 'server', 'timeout']);

/** Runs one imageio request, resending it after failures that a retry can cure (resets, 503s, timeouts). */
async function resent(
  options: UploadOptions,
  signal: AbortSignal,
  what: string,
  fn: () => Promise<void>,
): Promise<void> {
  const attempts = options.rangeAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const err = error as OvirtError;
      if (signal.aborted || !RETRYABLE.has(err.code) || attempt >= attempts) throw err;
      const delay = backoffDelay(attempt, { baseDelayMs: 200, maxDelayMs: 10_000 });
      options.log?.('image upload: resending after a failure', { what, attempt, code: err.code, delay });
      await sleep(delay, signal, `resending ${what}`);
    }
  }
}

/** Sends every range of the file, `parallel` at a time, each retried on its own. */
async function sendRanges(
  target: ImageioTarget,
  info: ImageInfo,
  file: string,
  options: UploadOptions,
  signal: AbortSignal,
): Promise<void> {
  const rangeBytes = options.rangeBytes ?? 8 * MiB;
  const total = info.fileSize;
  const starts: number[] = [];
  for (let s = 0; s < total; s += rangeBytes) starts.push(s);
  const began = Date.now();
  let sent = 0;
  let lastReport = 0;
  let lastSent = -1;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!options.progress || sent === lastSent || (!force && now - lastReport < (options.progressIntervalMs ?? 2000)))
      return;
    lastReport = now;
    lastSent = sent;
    const rate = sent / Math.max(0.001, (now - began) / 1000);
    options.progress({
      sent,
      total,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.round((total - sent) / rate) : undefined,
    });
  };
  // One failed range stops the others: the caller cancels the transfer.
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  let next = 0;
  const worker = async () => {
    while (next < starts.length && !both.aborted) {
      const start = starts[next++]!;
      const length = Math.min(rangeBytes, total - start);
      await resent(options, both, `bytes ${start}-${start + length - 1}`, () =>
        putRange(target, file, start, length, both),
      );
      sent += length;
      report(false);
    }
  };
  const parallel = Math.max(1, Math.min(options.maxParallel ?? 4, target.maxWriters, starts.length));
  try {
    await Promise.all(
      Array.from({ length: parallel }, () =>
        worker().catch((err: unknown) => {
          stop.abort();
          throw err;
        }),
      ),
    );
  } catch (err) {
    // The first failure is the one to report, not the aborts it caused in the other workers.
    throw signal.aborted ? new OvirtError({ code: 'aborted', message: 'image upload cancelled', cause: err }) : err;
  }
  report(true);
}

/** Cancels the transfer if it runs, waits until it ended, then removes the disk (waiting out its lock). */
async function cleanup(
  deps: UploadDeps,
  disk: Disk | undefined,
  transfer: ImageTransfer | undefined,
  options: UploadOptions,
): Promise<string | undefined> {
  const signal = AbortSignal.timeout(options.cleanupTimeoutMs ?? 120_000);
  const wait: WaitOptions = {
    signal,
    timeoutMs: options.cleanupTimeoutMs ?? 120_000,
    intervalMs: 100,
    maxIntervalMs: 2000,
  };
  try {
    if (transfer) {
      const id = asId<ImageTransferId>(transfer.id);
      const cur = await deps.transfers.tryGet(id, { signal });
      if (cur && ImageTransfersService.isRunning(cur.phase)) {
        await deps.transfers.cancel(id, { signal }).catch(() => undefined);
        await deps.transfers
          .waitForPhase(
            id,
            ['finished_failure', 'finished_cleanup', 'cancelled', 'cancelled_user', 'cancelled_system'],
            wait,
          )
          .catch(() => undefined);
      }
    }
    if (disk) {
      const id = asId<DiskId>(disk.id);
      for (let attempt = 1; ; attempt++) {
        try {
          await deps.disks.remove(id, { signal });
          break;
        } catch (err) {
          if (OvirtError.is(err, 'not_found')) break;
          if (!OvirtError.is(err, 'locked', 'in_progress', 'conflict') || signal.aborted) throw err;
          await sleep(Math.min(2000, 100 * 2 ** attempt), signal, `removing disk ${disk.id}`);
        }
      }
      options.log?.('image upload: removed the unfinished disk', { disk: disk.id });
    }
    return undefined;
  } catch (e) {
    return `the unfinished disk ${disk?.id ?? ''} could not be removed: ${(e as Error).message}`;
  }
}

/** Uploads `spec.file` into a new disk on `spec.storageDomainId`; resolves to the disk, `ok`. */
export async function uploadToNewDisk(deps: UploadDeps, spec: UploadSpec, options: UploadOptions = {}): Promise<Disk> {
  const signal = options.signal ?? new AbortController().signal;
  const info = await probeImage(spec.file);
  const size = checkImage(info, spec);
  const wait: WaitOptions = { signal, timeoutMs: 24 * 3600_000, intervalMs: 100, maxIntervalMs: 2000 };
  let disk: Disk | undefined;
  let transfer: ImageTransfer | undefined;
  let target: ImageioTarget | undefined;
  try {
    disk = await deps.disks.create(
      {
        alias: spec.alias,
        description: spec.description,
        format: info.format,
        provisioned_size: size,
        // A qcow2 file can be larger than its virtual size (metadata): the volume must hold the file.
        initial_size: info.format === 'cow' ? info.fileSize : undefined,
        sparse: spec.sparse ?? (info.format === 'cow' ? true : undefined),
        storage_domains: [{ id: spec.storageDomainId }],
      },
      { signal },
    );
    const diskId = asId<DiskId>(disk.id);
    if (disk.status !== 'ok') disk = await deps.disks.waitForOk(diskId, wait);
    transfer = await deps.transfers.create(
      { disk: { id: disk.id }, direction: 'upload', format: info.format },
      { signal },
    );
    const tid = asId<ImageTransferId>(transfer.id);
    transfer = (await deps.transfers.waitForPhase(tid, ['transferring'], wait)) ?? transfer;
    const urls = [transfer.transfer_url, transfer.proxy_url].filter((u): u is string => !!u);
    target = await openTarget(urls, deps.tls, options.maxParallel ?? 4, signal, (url, why) =>
      options.log?.('image upload: imageio endpoint unreachable, trying the next', { url, error: why.message }),
    );
    options.log?.('image upload: sending', {
      url: target.url,
      bytes: info.fileSize,
      format: info.format,
      max_writers: target.maxWriters,
    });
    await sendRanges(target, info, spec.file, options, signal);
    await resent(options, signal, 'flush', () => flushTarget(target as ImageioTarget, signal));
    await deps.transfers.finalize(tid, { signal });
    const done = await deps.transfers.waitForPhase(tid, ['finished_success'], wait);
    // The engine may already have dropped the finished transfer: the disk's status tells the outcome.
    const final = await deps.disks.waitForOk(diskId, wait);
    if (!done && final.status !== 'ok')
      throw new OvirtError({ code: 'conflict', message: `the upload into disk ${disk.id} failed verification` });
    return final;
  } catch (error) {
    const err = OvirtError.is(error)
      ? error
      : new OvirtError({ code: 'unexpected', message: (error as Error).message, cause: error });
    const problem = await cleanup(deps, disk, transfer, options);
    if (!problem) throw err;
    throw new OvirtError({ code: err.code, message: `${err.message}; ${problem}`, cause: err });
  } finally {
    await target?.pool.destroy();
  }
}

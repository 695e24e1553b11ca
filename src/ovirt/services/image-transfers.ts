/** Image transfers: start an upload, follow its phases, finalize or cancel it. */
import { imageTransferSchema, type ImageTransfer } from '../models/image-transfer';
import type { Spec, RefSpec } from '../models/spec';
import type { Id } from '../ids';
import type { RequestOptions, WaitOptions } from '../request-options';
import { OvirtError } from '../errors';
import { waitFor } from '../wait';
import { Api, Collection } from './base';

/** An image transfer's id. */
export type ImageTransferId = Id<'image_transfer'>;

/** Body of `POST /imagetransfers`: the disk, the direction and the format of the bytes sent. */
export type ImageTransferCreateSpec = Spec<ImageTransfer> & {
  disk: RefSpec;
  direction: 'upload' | 'download';
  format: 'cow' | 'raw';
};

/** Phases after which the transfer will not change any more. */
const FINISHED = new Set([
  'finished_success',
  'finished_failure',
  'finished_cleanup',
  'cancelled',
  'cancelled_system',
  'cancelled_user',
]);

/** The `/imagetransfers` collection. */
export class ImageTransfersService extends Collection<typeof imageTransferSchema, ImageTransferId> {
  constructor(api: Api) {
    super(api, {
      path: '/imagetransfers',
      plural: 'image_transfers',
      element: 'image_transfer',
      schema: imageTransferSchema,
      searchable: false,
    });
  }

  /** Starts a transfer (phase `initializing`; the disk is locked until the transfer ends). */
  create(spec: ImageTransferCreateSpec, opts?: RequestOptions): Promise<ImageTransfer> {
    // No look-up after an ambiguous failure: a twin transfer fails on the locked disk, it is never silently made.
    return this.api.create(this.shape, spec, opts);
  }

  /** `finalize`: the engine verifies the image and unlocks the disk. */
  async finalize(id: ImageTransferId, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/finalize`, {}, 'unexecuted', opts);
  }

  /** `cancel`: the ticket is revoked and the transfer ends in failure. */
  async cancel(id: ImageTransferId, opts?: RequestOptions): Promise<void> {
    await this.api.action(`${this.path(id)}/cancel`, {}, 'safe', opts);
  }

  /** Waits until the transfer is in one of `phases`, or gone (undefined: the engine drops ended transfers). */
  async waitForPhase(id: ImageTransferId, phases: string[], opts?: WaitOptions): Promise<ImageTransfer | undefined> {
    const transfer = await waitFor(
      `image transfer ${id} to reach ${phases.join(' or ')}`,
      (o) => this.tryGet(id, o),
      (current) =>
        current === undefined ||
        phases.includes(current.phase ?? '') ||
        FINISHED.has(current.phase ?? '') ||
        (current.phase ?? '').startsWith('paused'),
      opts,
      (x) => (x ? `phase ${x.phase}` : 'gone'),
    );
    if (transfer && !phases.includes(transfer.phase ?? '')) {
      throw new OvirtError({
        code: 'conflict',
        message: `image transfer ${id} ended in phase ${transfer.phase} instead of ${phases.join(' or ')}`,
      });
    }
    return transfer;
  }

  /** True when a transfer in this phase is still running (cancel applies). */
  static isRunning(phase: string | undefined): boolean {
    return phase !== undefined && !FINISHED.has(phase);
  }

  private path(id: ImageTransferId): string {
    return `/imagetransfers/${encodeURIComponent(id)}`;
  }
}

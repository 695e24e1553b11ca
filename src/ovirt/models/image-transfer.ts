/** Image transfer model (`/imagetransfers`): an upload or download of one disk's image through imageio. */
import { z } from 'zod';
import { model, zBool, zInt, zRef, zStr } from './zod-helpers';

/**
 * ImageTransferPhase on the wire: `initializing, transferring, resuming, paused_system, paused_user,
 * cancelled, cancelled_system, cancelled_user, finalizing_success, finalizing_failure,
 * finalizing_cleanup, finished_success, finished_failure, finished_cleanup, unknown`.
 */
export type ImageTransferPhase = string;

/** An image transfer as returned by `GET /imagetransfers/{id}`. */
export const imageTransferSchema = model('image_transfer', () =>
  z.object({
    id: zStr,
    href: zStr.optional(),
    phase: zStr.optional(),
    direction: zStr.optional(),
    format: zStr.optional(),
    active: zBool.optional(),
    transferred: zInt.optional(),
    inactivity_timeout: zInt.optional(),
    timeout_policy: zStr.optional(),
    shallow: zBool.optional(),
    transfer_url: zStr.optional(),
    proxy_url: zStr.optional(),
    disk: zRef.optional(),
    image: zRef.optional(),
    host: zRef.optional(),
  }),
);
/** An image transfer. */
export type ImageTransfer = z.infer<typeof imageTransferSchema>;

/**
 * Image transfers (`/imagetransfers`): the engine side of an upload or download. Phases:
 * initializing -> transferring (ticket installed, `transfer_url` / `proxy_url` set) -> finalize ->
 * finalizing_success -> verification -> finished_success (disk ok) or finalizing_failure ->
 * finished_failure (disk illegal); cancel -> cancelled_user -> finished_failure. The disk is locked
 * meanwhile. Finished transfers disappear after a while (GET answers 404), as on the engine.
 */
import { EngineFault, incomplete, opFailed } from '../errors';
import { qcow2Header } from '../store/image-data';
import { num, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, badValue, many, one, searched } from '../engine/handler';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';
import { SEED_IDS } from '../store/seed';

/** How long (simulator clock) a finished transfer can still be read before it is removed. */
const LINGER_MS = 5000;
/** Finishers of the engine jobs of running transfers, by transfer id (jobs end with their transfer). */
const jobFinishers = new Map<string, (ok?: boolean) => void>();
const ACTIVE = new Set(['initializing', 'transferring', 'finalizing_success', 'finalizing_failure', 'cancelled_user']);

/** The transfer that owns an imageio ticket, while the ticket is valid. */
export function transferOfTicket(sim: Sim, ticket: string): Entity | undefined {
  return sim.store.list('imagetransfers').find((t) => t.meta.ticket === ticket);
}

/** Bytes a disk can take from an upload: its virtual size, or the initial size asked for a qcow2 file. */
export function diskCapacity(disk: Entity): number {
  const size = num(disk.data, 'provisioned_size') ?? 0;
  const initial = (disk.meta.initialSize as number | undefined) ?? 0;
  return str(disk.data, 'format') === 'cow' ? Math.max(size, initial) : size;
}

/** Moves the transfer to `phase` now; returns a token that stale scheduled steps check. */
function setPhase(sim: Sim, transfer: Entity, phase: string): number {
  transfer.data.phase = phase;
  transfer.data.active = phase === 'transferring';
  const gen = ((transfer.meta.gen as number | undefined) ?? 0) + 1;
  transfer.meta.gen = gen;
  sim.onChange();
  return gen;
}

/** Why the uploaded bytes cannot be the disk's image, or undefined when they can. */
function verify(sim: Sim, disk: Entity): string | undefined {
  const file = sim.images.get(disk.id);
  if (!file || file.end === 0) return 'no data was uploaded';
  const header = qcow2Header(file.read(0, 72));
  const size = num(disk.data, 'provisioned_size') ?? 0;
  if (str(disk.data, 'format') === 'cow') {
    if (!header) return 'the uploaded image is not a qcow2 image (the disk format is cow)';
    if (header.virtualSize > size) return `the qcow2 virtual size ${header.virtualSize} exceeds the disk size ${size}`;
  } else if (header) {
    return 'the uploaded image is a qcow2 image but the disk format is raw';
  }
  return undefined;
}

function finish(
  sim: Sim,
  transfer: Entity,
  disk: Entity | undefined,
  ok: boolean,
  jobDone: (ok?: boolean) => void,
): void {
  const gen = setPhase(sim, transfer, ok ? 'finished_success' : 'finished_failure');
  transfer.meta.ticket = undefined;
  if (disk && sim.store.get('disks', disk.id)) {
    disk.data.status = ok ? 'ok' : 'illegal';
    const file = sim.images.get(disk.id);
    if (ok && file) disk.data.actual_size = disk.data.total_size = file.allocated();
  }
  jobDone(ok);
  sim.later(transfer, gen, LINGER_MS, () => {
    sim.store.remove('imagetransfers', transfer.id);
  });
}

function diskOf(ctx: Ctx): Entity {
  const tree = sub(ctx.body, 'disk');
  const img = sub(ctx.body, 'image');
  if (tree && (str(tree, 'id') || str(tree, 'name')))
    return ctx.sim.resolve('disks', tree, 'Cannot transfer Virtual Disk. The disk does not exist.') as Entity;
  const imageId = str(img, 'id');
  if (!imageId) throw incomplete('ImageTransfer', 'disk.id|image.id');
  const hit = ctx.sim.store.list('disks').find((x) => x.id === imageId || str(x.data, 'image_id') === imageId);
  if (!hit) throw opFailed(400, 'Cannot transfer Virtual Disk. The disk does not exist.');
  return hit;
}

export function addTransfer(ctx: Ctx): Reply {
  const disk = diskOf(ctx);
  const direction = str(ctx.body, 'direction') ?? 'upload';
  if (direction !== 'upload' && direction !== 'download') {
    throw new EngineFault(
      400,
      'Invalid Enum value',
      `${direction} is not a member of ImageTransferDirection. Possible values for ImageTransferDirection are: upload, download`,
    );
  }
  const format = str(ctx.body, 'format') ?? str(disk.data, 'format') ?? 'raw';
  if (format !== 'cow' && format !== 'raw')
    throw badValue(`${format} is not a member of DiskFormat. Possible values for DiskFormat are: cow, raw`);
  ctx.sim.assertUnlocked(disk, 'transfer');
  if (str(disk.data, 'status') === 'illegal')
    throw opFailed(409, 'Cannot transfer Virtual Disk. Disk is in illegal status.');
  const id = ctx.sim.newId();
  const transfer: Entity = {
    kind: 'imagetransfers',
    id,
    meta: { disk: disk.id },
    data: {
      active: false,
      direction,
      format,
      inactivity_timeout: num(ctx.body, 'inactivity_timeout') ?? 60,
      phase: 'initializing',
      shallow: false,
      timeout_policy: str(ctx.body, 'timeout_policy') ?? 'legacy',
      transferred: 0,
      disk: ref('disks', disk.id),
      host: ref('hosts', SEED_IDS.hosts[0]),
      image: { id: str(disk.data, 'image_id') ?? disk.id },
    },
  };
  ctx.sim.store.put(transfer);
  ctx.sim.setStatus(disk, 'locked');
  const job = ctx.sim.startJob(
    `${direction === 'upload' ? 'Uploading' : 'Downloading'} image ${str(disk.data, 'alias') ?? disk.id}`,
    ctx.correlationId,
  );
  jobFinishers.set(id, job.finish);
  const gen = setPhase(ctx.sim, transfer, 'initializing');
  ctx.sim.later(transfer, gen, ctx.sim.delays.diskLock, () => {
    const ticket = ctx.sim.newId();
    setPhase(ctx.sim, transfer, 'transferring');
    transfer.meta.ticket = ticket;
    transfer.data.transfer_url = `${ctx.sim.imageio.hostOrigin}/images/${ticket}`;
    transfer.data.proxy_url = `${ctx.sim.imageio.proxyOrigin}/images/${ticket}`;
  });
  return { ...one(transfer, 201, view(ctx.sim, transfer)), location: transfer.id };
}

function jobOf(transfer: Entity): (ok?: boolean) => void {
  const fin = jobFinishers.get(transfer.id);
  jobFinishers.delete(transfer.id);
  return fin ?? (() => undefined);
}

export function finalizeTransfer(ctx: Ctx): Reply {
  const transfer = ctx.sim.must('imagetransfers', ctx.params.id);
  const phase = str(transfer.data, 'phase');
  if (phase !== 'transferring') throw opFailed(409, `Cannot finalize the image transfer: it is in phase ${phase}.`);
  const disk = ctx.sim.store.get('disks', transfer.meta.disk as string);
  transfer.meta.ticket = undefined;
  const gen = setPhase(ctx.sim, transfer, 'finalizing_success');
  ctx.sim.later(transfer, gen, ctx.sim.delays.diskLock, () => {
    const why = disk && str(transfer.data, 'direction') === 'upload' ? verify(ctx.sim, disk) : undefined;
    if (why) {
      transfer.meta.reason = why;
      const generation = setPhase(ctx.sim, transfer, 'finalizing_failure');
      ctx.sim.later(transfer, generation, ctx.sim.delays.diskLock, () =>
        finish(ctx.sim, transfer, disk, false, jobOf(transfer)),
      );
    } else {
      finish(ctx.sim, transfer, disk, true, jobOf(transfer));
    }
  });
  return actionDone();
}

export function cancelTransfer(ctx: Ctx): Reply {
  const transfer = ctx.sim.must('imagetransfers', ctx.params.id);
  if (!ACTIVE.has(str(transfer.data, 'phase') ?? ''))
    throw opFailed(409, `Cannot cancel the image transfer: it is in phase ${str(transfer.data, 'phase')}.`);
  const disk = ctx.sim.store.get('disks', transfer.meta.disk as string);
  transfer.meta.ticket = undefined;
  const gen = setPhase(ctx.sim, transfer, 'cancelled_user');
  ctx.sim.later(transfer, gen, ctx.sim.delays.diskLock, () => finish(ctx.sim, transfer, disk, false, jobOf(transfer)));
  return actionDone();
}

/** The transfer as shown, with the bytes received so far. */
function view(sim: Sim, transfer: Entity) {
  const file = sim.images.get(transfer.meta.disk as string);
  return { ...transfer.data, transferred: file?.transferred ?? 0 };
}

/** `GET /imagetransfers`. */
export function listTransfers(ctx: Ctx): Reply {
  return many('imagetransfers', searched(ctx, ctx.sim.store.list('imagetransfers')), (t) => view(ctx.sim, t));
}

/** `GET /imagetransfers/{id}`. */
export function getTransfer(ctx: Ctx): Reply {
  const transfer = ctx.sim.must('imagetransfers', ctx.params.id);
  return one(transfer, 200, view(ctx.sim, transfer));
}

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
import { Ctx, Reply, Route, actionDone, badValue, many, one, searched } from '../engine/handler';
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
function setPhase(sim: Sim, t: Entity, phase: string): number {
  t.data.phase = phase;
  t.data.active = phase === 'transferring';
  const gen = ((t.meta.gen as number | undefined) ?? 0) + 1;
  t.meta.gen = gen;
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

function finish(sim: Sim, t: Entity, disk: Entity | undefined, ok: boolean, jobDone: (ok?: boolean) => void): void {
  const gen = setPhase(sim, t, ok ? 'finished_success' : 'finished_failure');
  t.meta.ticket = undefined;
  if (disk && sim.store.get('disks', disk.id)) {
    disk.data.status = ok ? 'ok' : 'illegal';
    const file = sim.images.get(disk.id);
    if (ok && file) disk.data.actual_size = disk.data.total_size = file.allocated();
  }
  jobDone(ok);
  sim.later(t, gen, LINGER_MS, () => {
    sim.store.remove('imagetransfers', t.id);
  });
}

function diskOf(c: Ctx): Entity {
  const d = sub(c.body, 'disk');
  const img = sub(c.body, 'image');
  if (d && (str(d, 'id') || str(d, 'name')))
    return c.sim.resolve('disks', d, 'Cannot transfer Virtual Disk. The disk does not exist.') as Entity;
  const imageId = str(img, 'id');
  if (!imageId) throw incomplete('ImageTransfer', 'disk.id|image.id');
  const hit = c.sim.store.list('disks').find((x) => x.id === imageId || str(x.data, 'image_id') === imageId);
  if (!hit) throw opFailed(400, 'Cannot transfer Virtual Disk. The disk does not exist.');
  return hit;
}

function addTransfer(c: Ctx): Reply {
  const disk = diskOf(c);
  const direction = str(c.body, 'direction') ?? 'upload';
  if (direction !== 'upload' && direction !== 'download') {
    throw new EngineFault(
      400,
      'Invalid Enum value',
      `${direction} is not a member of ImageTransferDirection. Possible values for ImageTransferDirection are: upload, download`,
    );
  }
  const format = str(c.body, 'format') ?? str(disk.data, 'format') ?? 'raw';
  if (format !== 'cow' && format !== 'raw')
    throw badValue(`${format} is not a member of DiskFormat. Possible values for DiskFormat are: cow, raw`);
  c.sim.assertUnlocked(disk, 'transfer');
  if (str(disk.data, 'status') === 'illegal')
    throw opFailed(409, 'Cannot transfer Virtual Disk. Disk is in illegal status.');
  const id = c.sim.newId();
  const t: Entity = {
    kind: 'imagetransfers',
    id,
    meta: { disk: disk.id },
    data: {
      active: false,
      direction,
      format,
      inactivity_timeout: num(c.body, 'inactivity_timeout') ?? 60,
      phase: 'initializing',
      shallow: false,
      timeout_policy: str(c.body, 'timeout_policy') ?? 'legacy',
      transferred: 0,
      disk: ref('disks', disk.id),
      host: ref('hosts', SEED_IDS.hosts[0]),
      image: { id: str(disk.data, 'image_id') ?? disk.id },
    },
  };
  c.sim.store.put(t);
  c.sim.setStatus(disk, 'locked');
  const job = c.sim.startJob(
    `${direction === 'upload' ? 'Uploading' : 'Downloading'} image ${str(disk.data, 'alias') ?? disk.id}`,
    c.correlationId,
  );
  jobFinishers.set(id, job.finish);
  const gen = setPhase(c.sim, t, 'initializing');
  c.sim.later(t, gen, c.sim.delays.diskLock, () => {
    const ticket = c.sim.newId();
    setPhase(c.sim, t, 'transferring');
    t.meta.ticket = ticket;
    t.data.transfer_url = `${c.sim.imageio.hostOrigin}/images/${ticket}`;
    t.data.proxy_url = `${c.sim.imageio.proxyOrigin}/images/${ticket}`;
  });
  return { ...one(t, 201, view(c.sim, t)), location: t.id };
}

function jobOf(t: Entity): (ok?: boolean) => void {
  const fin = jobFinishers.get(t.id);
  jobFinishers.delete(t.id);
  return fin ?? (() => undefined);
}

function finalize(c: Ctx): Reply {
  const t = c.sim.must('imagetransfers', c.params.id);
  const phase = str(t.data, 'phase');
  if (phase !== 'transferring') throw opFailed(409, `Cannot finalize the image transfer: it is in phase ${phase}.`);
  const disk = c.sim.store.get('disks', t.meta.disk as string);
  t.meta.ticket = undefined;
  const gen = setPhase(c.sim, t, 'finalizing_success');
  c.sim.later(t, gen, c.sim.delays.diskLock, () => {
    const why = disk && str(t.data, 'direction') === 'upload' ? verify(c.sim, disk) : undefined;
    if (why) {
      t.meta.reason = why;
      const g = setPhase(c.sim, t, 'finalizing_failure');
      c.sim.later(t, g, c.sim.delays.diskLock, () => finish(c.sim, t, disk, false, jobOf(t)));
    } else {
      finish(c.sim, t, disk, true, jobOf(t));
    }
  });
  return actionDone();
}

function cancel(c: Ctx): Reply {
  const t = c.sim.must('imagetransfers', c.params.id);
  if (!ACTIVE.has(str(t.data, 'phase') ?? ''))
    throw opFailed(409, `Cannot cancel the image transfer: it is in phase ${str(t.data, 'phase')}.`);
  const disk = c.sim.store.get('disks', t.meta.disk as string);
  t.meta.ticket = undefined;
  const gen = setPhase(c.sim, t, 'cancelled_user');
  c.sim.later(t, gen, c.sim.delays.diskLock, () => finish(c.sim, t, disk, false, jobOf(t)));
  return actionDone();
}

/** The transfer as shown, with the bytes received so far. */
function view(sim: Sim, t: Entity) {
  const file = sim.images.get(t.meta.disk as string);
  return { ...t.data, transferred: file?.transferred ?? 0 };
}

/** Routes of `/imagetransfers`. */
export const imageTransferRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'imagetransfers',
    handler: (c) => many('imagetransfers', searched(c, c.sim.store.list('imagetransfers')), (t) => view(c.sim, t)),
  },
  {
    method: 'POST',
    pattern: 'imagetransfers',
    root: 'image_transfer',
    service: 'imagetransfers/methods/add',
    handler: addTransfer,
  },
  {
    method: 'GET',
    pattern: 'imagetransfers/{id}',
    handler: (c) => {
      const t = c.sim.must('imagetransfers', c.params.id);
      return one(t, 200, view(c.sim, t));
    },
  },
  {
    method: 'POST',
    pattern: 'imagetransfers/{id}/finalize',
    root: 'action',
    service: 'imagetransfer/methods/finalize',
    handler: finalize,
  },
  {
    method: 'POST',
    pattern: 'imagetransfers/{id}/cancel',
    root: 'action',
    service: 'imagetransfer/methods/cancel',
    handler: cancel,
  },
];

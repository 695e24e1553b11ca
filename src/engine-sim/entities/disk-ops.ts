/** Disk actions (move, copy, sparsify) and the data-center form of storage domains with its actions. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { checkDiskConfig, createDisk } from './disks';
import { Tree, bool, list, num, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, many, searched } from '../engine/handler';
import { Sim } from '../engine/sim';
import { API, Entity, ref } from '../store/store';
import { render } from '../engine/render';

function domainOf(disk: Entity): string {
  return String(list(disk.data, 'storage_domains.storage_domain')[0]?.id ?? '');
}

function dataCenters(sd: Entity | undefined): string[] {
  return list(sd?.data, 'data_centers.data_center').map((r) => String(r.id));
}

/** The target domain of a move or copy, checked as the engine does; `verb` fills its texts. */
function targetDomain(sim: Sim, disk: Entity, body: Tree, verb: 'move' | 'copy'): Entity {
  const tree = sub(body, 'storage_domain');
  if (!tree || (!str(tree, 'id') && !str(tree, 'name'))) throw incomplete('Action', 'storageDomain.id|name', verb);
  const sd = sim.resolve(
    'storagedomains',
    tree,
    `Cannot ${verb} Virtual Disk. Storage Domain doesn't exist.`,
  ) as Entity;
  sim.assertUnlocked(disk, verb);
  const from = domainOf(disk);
  if (verb === 'move' && sd.id === from)
    throw opFailed(409, `Cannot ${verb} Virtual Disk. The source and target storage domains are the same.`);
  const source = sim.store.get('storagedomains', from);
  if (!dataCenters(sd).some((dc) => dataCenters(source).includes(dc))) {
    throw opFailed(409, `Cannot ${verb} Virtual Disk. The selected Storage Domain is not part of the Data Center.`);
  }
  const status = str(sd.data, 'status');
  if (status !== 'active')
    throw opFailed(
      409,
      `Cannot ${verb} Virtual Disk. The relevant Storage Domain's status is ${status === 'maintenance' ? 'Maintenance' : status}.`,
    );
  checkDiskConfig(
    sim,
    {
      alias: str(disk.data, 'alias') ?? '',
      size: num(disk.data, 'provisioned_size') ?? 0,
      format: str(disk.data, 'format') ?? 'cow',
      sparse: bool(disk.data, 'sparse'),
      domainId: sd.id,
    },
    verb,
    'Virtual Disk',
  );
  return sd;
}

export function moveDisk(ctx: Ctx): Reply {
  const disk = ctx.sim.must('disks', ctx.params.id);
  const sd = targetDomain(ctx.sim, disk, ctx.body, 'move');
  const job = ctx.sim.startJob(
    `Moving Disk ${str(disk.data, 'alias')} to domain ${str(sd.data, 'name')}`,
    ctx.correlationId,
  );
  const gen = ctx.sim.setStatus(disk, 'locked');
  ctx.sim.later(disk, gen, ctx.sim.delays.diskLock, () => {
    disk.data.storage_domains = { storage_domain: [ref('storagedomains', sd.id)] };
    disk.data.status = 'ok';
    job.finish();
  });
  return actionDone();
}

export function copyDisk(ctx: Ctx): Reply {
  const disk = ctx.sim.must('disks', ctx.params.id);
  const sd = targetDomain(ctx.sim, disk, ctx.body, 'copy');
  const alias = str(ctx.body, 'disk.alias') ?? str(ctx.body, 'disk.name') ?? str(disk.data, 'alias') ?? 'disk';
  const job = ctx.sim.startJob(
    `Copying Disk ${str(disk.data, 'alias')} to domain ${str(sd.data, 'name')}`,
    ctx.correlationId,
  );
  const copyOf = createDisk(
    ctx.sim,
    {
      alias,
      size: num(disk.data, 'provisioned_size') ?? 0,
      format: str(disk.data, 'format') ?? 'cow',
      sparse: bool(disk.data, 'sparse'),
      domainId: sd.id,
      description: str(disk.data, 'description'),
    },
    () => job.finish(),
  );
  return actionDone({ disk: ref('disks', copyOf.id) });
}

export function sparsifyDisk(ctx: Ctx): Reply {
  const disk = ctx.sim.must('disks', ctx.params.id);
  ctx.sim.assertUnlocked(disk, 'sparsify');
  if (!bool(disk.data, 'sparse')) throw opFailed(409, 'Cannot sparsify Virtual Disk. Disk is preallocated.');
  return actionDone();
}

/** A storage domain as seen from one data center: href under it, its actions, its status there. */
function dcView(dc: Entity, sd: Entity): Tree {
  const tree = render(sd);
  const href = `${API}/datacenters/${dc.id}/storagedomains/${sd.id}`;
  const data: Tree = {
    ...tree,
    href,
    actions: { link: ['activate', 'deactivate'].map((rel) => ({ href: `${href}/${rel}`, rel })) },
    link: [{ href: `${href}/disks`, rel: 'disks' }],
    data_center: ref('datacenters', dc.id),
  };
  return data;
}

function dcDomain(ctx: Ctx): { dc: Entity; sd: Entity } {
  const dc = ctx.sim.must('datacenters', ctx.params.dc);
  const sd = ctx.sim.must('storagedomains', ctx.params.id);
  if (!dataCenters(sd).includes(dc.id)) throw new EngineFault(404, '');
  return { dc, sd };
}

function setDomainStatus(ctx: Ctx, want: 'active' | 'maintenance'): Reply {
  const { sd } = dcDomain(ctx);
  const verb = want === 'active' ? 'activate' : 'deactivate';
  const status = str(sd.data, 'status');
  if (status === want)
    throw opFailed(
      409,
      `Cannot ${verb} Storage. The relevant Storage Domain's status is ${want === 'active' ? 'Active' : 'Maintenance'}.`,
    );
  if (
    want === 'maintenance' &&
    ctx.sim.store.list('disks').some((d) => domainOf(d) === sd.id && str(d.data, 'status') === 'locked')
  ) {
    throw opFailed(
      409,
      'Cannot deactivate Storage. Related operation is currently in progress. Please try again later.',
    );
  }
  const gen = ctx.sim.setStatus(sd, want === 'active' ? 'activating' : 'preparing_for_maintenance');
  ctx.sim.later(sd, gen, ctx.sim.delays.diskLock, () => {
    sd.data.status = want;
  });
  return actionDone();
}

/** `GET /datacenters/{dc}/storagedomains`. */
export function listDatacentersStoragedomains(ctx: Ctx): Reply {
  const dc = ctx.sim.must('datacenters', ctx.params.dc);
  const sds = searched(
    ctx,
    ctx.sim.store.list('storagedomains').filter((sd) => dataCenters(sd).includes(dc.id)),
  );
  return { root: 'storage_domains', body: { storage_domain: sds.map((sd) => dcView(dc, sd)) } };
}

/** `GET /datacenters/{dc}/storagedomains/{id}`. */
export function getDatacentersStoragedomains(ctx: Ctx): Reply {
  const { dc, sd } = dcDomain(ctx);
  return { root: 'storage_domain', body: dcView(dc, sd) };
}

/** `GET /datacenters/{dc}/storagedomains/{id}/disks`. */
export function listDatacentersStoragedomainsDisks(ctx: Ctx): Reply {
  const { sd } = dcDomain(ctx);
  return many(
    'disks',
    searched(
      ctx,
      ctx.sim.store.list('disks').filter((d) => domainOf(d) === sd.id),
    ),
  );
}

/** `POST /datacenters/{dc}/storagedomains/{id}/activate`. */
export function activateDatacentersStoragedomains(ctx: Ctx): Reply {
  return setDomainStatus(ctx, 'active');
}

/** `POST /datacenters/{dc}/storagedomains/{id}/deactivate`. */
export function deactivateDatacentersStoragedomains(ctx: Ctx): Reply {
  return setDomainStatus(ctx, 'maintenance');
}

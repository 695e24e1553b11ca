/** Templates: made from a down VM (locked -> ok, the VM image_locked meanwhile), versions, remove. */
import { incomplete, opFailed } from '../errors';
import { createDisk } from './disks';
import { allocateMac } from './nics';
import { Tree, bool, clone, list, merge, num, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, many, one, searched } from '../engine/handler';
import { Entity, ref } from '../store/store';

const BLANK = '00000000-0000-0000-0000-000000000000';

function versionOf(ctx: Ctx, id: string, name: string): Tree {
  const base = ctx.sim.resolve(
    'templates',
    sub(ctx.body, 'version.base_template'),
    "Cannot add Template. The base template doesn't exist.",
  );
  if (!base)
    return {
      base_template: ref('templates', id),
      version_name: str(ctx.body, 'version.version_name') ?? 'base version',
      version_number: 1,
    };
  const siblings = ctx.sim.store.list('templates').filter((t) => str(t.data, 'version.base_template.id') === base.id);
  const count = Math.max(...siblings.map((t) => num(t.data, 'version.version_number') ?? 1)) + 1;
  return {
    base_template: ref('templates', base.id),
    version_name: str(ctx.body, 'version.version_name') ?? `${name}_${count}`,
    version_number: count,
  };
}

function copyDisks(ctx: Ctx, vm: Entity, template: Entity, done: () => void): void {
  const atts = ctx.sim.store.list('diskattachments', vm.id);
  let waiting = atts.length;
  if (waiting === 0) done();
  for (const a of atts) {
    const src = ctx.sim.must('disks', a.id);
    const domain = String(list(src.data, 'storage_domains.storage_domain')[0]?.id);
    const disk = createDisk(
      ctx.sim,
      {
        alias: str(src.data, 'alias') ?? 'disk',
        size: num(src.data, 'provisioned_size') ?? 0,
        format: str(src.data, 'format') ?? 'cow',
        sparse: bool(src.data, 'sparse'),
        domainId: domain,
      },
      () => {
        if (--waiting === 0) done();
      },
    );
    disk.meta.template = template.id;
    ctx.sim.store.put({
      kind: 'diskattachments',
      id: disk.id,
      parent: template.id,
      meta: { owner: 'templates' },
      data: {
        ...clone(a.data),
        disk: ref('disks', disk.id),
        template: ref('templates', template.id),
        vm: ref('vms', template.id),
      },
    });
  }
}

export function addTemplate(ctx: Ctx): Reply {
  const name = str(ctx.body, 'name');
  if (!name) throw incomplete('Template', 'name');
  if (!str(ctx.body, 'vm.id') && !str(ctx.body, 'vm.name')) throw incomplete('Template', 'vm.id|name');
  const vm = ctx.sim.resolve('vms', sub(ctx.body, 'vm'), 'Cannot add Template. VM does not exist.') as Entity;
  if (str(vm.data, 'status') !== 'down' || ctx.sim.locked.has(vm.id)) {
    throw opFailed(409, 'Cannot add Template. VM is locked or still running, try again once VM is in the Down state.');
  }
  const isVersion = sub(ctx.body, 'version.base_template') !== undefined;
  if (!isVersion && ctx.sim.store.list('templates').some((t) => str(t.data, 'name') === name)) {
    throw opFailed(
      409,
      'Cannot add Template. The Template name is already in use, please choose a unique name and try again.',
    );
  }
  const id = ctx.sim.newId();
  const data = clone(vm.data);
  for (const k of [
    'status',
    'host',
    'start_time',
    'stop_time',
    'template',
    'original_template',
    'run_once',
    'next_run_configuration_exists',
    'numa_tune_mode',
    'fqdn',
    'quota',
    'instance_type',
  ])
    delete data[k];
  Object.assign(data, {
    name,
    description: str(ctx.body, 'description') ?? '',
    comment: str(ctx.body, 'comment') ?? '',
    creation_time: ctx.sim.nowIso(),
    status: 'locked',
    version: versionOf(ctx, id, name),
  });
  const template: Entity = { kind: 'templates', id, data, meta: {} };
  ctx.sim.store.put(template);
  const job = ctx.sim.startJob(`Creating Template ${name} from VM ${str(vm.data, 'name')}`, ctx.correlationId);
  const tGen = ctx.sim.setStatus(template, 'locked');
  const vmGen = ctx.sim.setStatus(vm, 'image_locked');
  copyDisks(ctx, vm, template, () =>
    ctx.sim.later(template, tGen, ctx.sim.delays.templateLock, () => {
      template.data.status = 'ok';
      if (vm.meta.gen === vmGen && ctx.sim.store.get('vms', vm.id)) vm.data.status = 'down';
      job.finish();
    }),
  );
  for (const n of ctx.sim.store.list('nics', vm.id)) {
    ctx.sim.store.put({
      kind: 'nics',
      id: ctx.sim.newId(),
      parent: template.id,
      meta: { owner: 'templates' },
      data: {
        ...clone(n.data),
        mac: { address: allocateMac(ctx.sim) },
        vm: undefined,
        template: ref('templates', template.id),
      },
    });
  }
  return { ...one(template, 201), location: template.id };
}

export function removeTemplate(ctx: Ctx): Reply {
  const template = ctx.sim.must('templates', ctx.params.id);
  if (template.id === BLANK) throw opFailed(409, 'Cannot delete Template. Removing Blank Template is not allowed.');
  ctx.sim.assertUnlocked(template, 'delete');
  const users = ctx.sim.store.list('vms').filter((v) => str(v.data, 'template.id') === template.id);
  if (users.length) {
    throw opFailed(
      409,
      `Cannot delete Template. Template is being used by the following VMs: ${users.map((v) => str(v.data, 'name')).join(',')}.`,
    );
  }
  for (const a of ctx.sim.store.list('diskattachments', template.id)) {
    ctx.sim.store.remove('diskattachments', a.id, template.id);
    ctx.sim.store.remove('disks', a.id);
  }
  for (const n of ctx.sim.store.list('nics', template.id)) ctx.sim.store.remove('nics', n.id, template.id);
  ctx.sim.store.remove('templates', template.id);
  ctx.sim.onChange();
  return actionDone();
}

export function updateTemplate(ctx: Ctx): Reply {
  const template = ctx.sim.must('templates', ctx.params.id);
  ctx.sim.assertUnlocked(template, 'edit');
  const name = str(ctx.body, 'name');
  if (
    name !== undefined &&
    name !== str(template.data, 'name') &&
    ctx.sim.store.list('templates').some((o) => str(o.data, 'name') === name)
  ) {
    throw opFailed(
      409,
      'Cannot edit Template. The Template name is already in use, please choose a unique name and try again.',
    );
  }
  const patch: Tree = { ...ctx.body };
  for (const k of ['id', 'href', 'status', 'version', 'vm', 'link', 'actions', 'creation_time', 'cluster'])
    delete patch[k];
  template.data = merge(template.data, patch);
  ctx.sim.onChange();
  return one(template);
}

/** `GET /templates`. */
export function listTemplates(ctx: Ctx): Reply {
  return many('templates', searched(ctx, ctx.sim.store.list('templates')));
}

/** `GET /templates/{id}`. */
export function getTemplate(ctx: Ctx): Reply {
  return one(ctx.sim.must('templates', ctx.params.id));
}

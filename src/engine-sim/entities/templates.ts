/** Templates: made from a down VM (locked -> ok, the VM image_locked meanwhile), versions, remove. */
import { incomplete, opFailed } from '../errors';
import { createDisk } from './disks';
import { allocateMac } from './nics';
import { Tree, bool, clone, list, merge, num, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone, many, one, searched } from '../engine/handler';
import { Entity, ref } from '../store/store';

const BLANK = '00000000-0000-0000-0000-000000000000';

function versionOf(c: Ctx, id: string, name: string): Tree {
  const base = c.sim.resolve(
    'templates',
    sub(c.body, 'version.base_template'),
    "Cannot add Template. The base template doesn't exist.",
  );
  if (!base)
    return {
      base_template: ref('templates', id),
      version_name: str(c.body, 'version.version_name') ?? 'base version',
      version_number: 1,
    };
  const siblings = c.sim.store.list('templates').filter((t) => str(t.data, 'version.base_template.id') === base.id);
  const n = Math.max(...siblings.map((t) => num(t.data, 'version.version_number') ?? 1)) + 1;
  return {
    base_template: ref('templates', base.id),
    version_name: str(c.body, 'version.version_name') ?? `${name}_${n}`,
    version_number: n,
  };
}

function copyDisks(c: Ctx, vm: Entity, t: Entity, done: () => void): void {
  const atts = c.sim.store.list('diskattachments', vm.id);
  let waiting = atts.length;
  if (waiting === 0) done();
  for (const a of atts) {
    const src = c.sim.must('disks', a.id);
    const domain = String(list(src.data, 'storage_domains.storage_domain')[0]?.id);
    const disk = createDisk(
      c.sim,
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
    disk.meta.template = t.id;
    c.sim.store.put({
      kind: 'diskattachments',
      id: disk.id,
      parent: t.id,
      meta: { owner: 'templates' },
      data: { ...clone(a.data), disk: ref('disks', disk.id), template: ref('templates', t.id), vm: ref('vms', t.id) },
    });
  }
}

function addTemplate(c: Ctx): Reply {
  const name = str(c.body, 'name');
  if (!name) throw incomplete('Template', 'name');
  if (!str(c.body, 'vm.id') && !str(c.body, 'vm.name')) throw incomplete('Template', 'vm.id|name');
  const vm = c.sim.resolve('vms', sub(c.body, 'vm'), 'Cannot add Template. VM does not exist.') as Entity;
  if (str(vm.data, 'status') !== 'down' || c.sim.locked.has(vm.id)) {
    throw opFailed(409, 'Cannot add Template. VM is locked or still running, try again once VM is in the Down state.');
  }
  const isVersion = sub(c.body, 'version.base_template') !== undefined;
  if (!isVersion && c.sim.store.list('templates').some((t) => str(t.data, 'name') === name)) {
    throw opFailed(
      409,
      'Cannot add Template. The Template name is already in use, please choose a unique name and try again.',
    );
  }
  const id = c.sim.newId();
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
    description: str(c.body, 'description') ?? '',
    comment: str(c.body, 'comment') ?? '',
    creation_time: c.sim.nowIso(),
    status: 'locked',
    version: versionOf(c, id, name),
  });
  const t: Entity = { kind: 'templates', id, data, meta: {} };
  c.sim.store.put(t);
  const job = c.sim.startJob(`Creating Template ${name} from VM ${str(vm.data, 'name')}`, c.correlationId);
  const tGen = c.sim.setStatus(t, 'locked');
  const vmGen = c.sim.setStatus(vm, 'image_locked');
  copyDisks(c, vm, t, () =>
    c.sim.later(t, tGen, c.sim.delays.templateLock, () => {
      t.data.status = 'ok';
      if (vm.meta.gen === vmGen && c.sim.store.get('vms', vm.id)) vm.data.status = 'down';
      job.finish();
    }),
  );
  for (const n of c.sim.store.list('nics', vm.id)) {
    c.sim.store.put({
      kind: 'nics',
      id: c.sim.newId(),
      parent: t.id,
      meta: { owner: 'templates' },
      data: { ...clone(n.data), mac: { address: allocateMac(c.sim) }, vm: undefined, template: ref('templates', t.id) },
    });
  }
  return { ...one(t, 201), location: t.id };
}

function removeTemplate(c: Ctx): Reply {
  const t = c.sim.must('templates', c.params.id);
  if (t.id === BLANK) throw opFailed(409, 'Cannot delete Template. Removing Blank Template is not allowed.');
  c.sim.assertUnlocked(t, 'delete');
  const users = c.sim.store.list('vms').filter((v) => str(v.data, 'template.id') === t.id);
  if (users.length) {
    throw opFailed(
      409,
      `Cannot delete Template. Template is being used by the following VMs: ${users.map((v) => str(v.data, 'name')).join(',')}.`,
    );
  }
  for (const a of c.sim.store.list('diskattachments', t.id)) {
    c.sim.store.remove('diskattachments', a.id, t.id);
    c.sim.store.remove('disks', a.id);
  }
  for (const n of c.sim.store.list('nics', t.id)) c.sim.store.remove('nics', n.id, t.id);
  c.sim.store.remove('templates', t.id);
  c.sim.onChange();
  return actionDone();
}

function updateTemplate(c: Ctx): Reply {
  const t = c.sim.must('templates', c.params.id);
  c.sim.assertUnlocked(t, 'edit');
  const name = str(c.body, 'name');
  if (
    name !== undefined &&
    name !== str(t.data, 'name') &&
    c.sim.store.list('templates').some((o) => str(o.data, 'name') === name)
  ) {
    throw opFailed(
      409,
      'Cannot edit Template. The Template name is already in use, please choose a unique name and try again.',
    );
  }
  const patch: Tree = { ...c.body };
  for (const k of ['id', 'href', 'status', 'version', 'vm', 'link', 'actions', 'creation_time', 'cluster'])
    delete patch[k];
  t.data = merge(t.data, patch);
  c.sim.onChange();
  return one(t);
}

/** Routes of `/templates`. */
export const templateRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'templates',
    handler: (c) => many('templates', searched(c, c.sim.store.list('templates'))),
  },
  { method: 'POST', pattern: 'templates', root: 'template', service: 'templates/methods/add', handler: addTemplate },
  { method: 'GET', pattern: 'templates/{id}', handler: (c) => one(c.sim.must('templates', c.params.id)) },
  {
    method: 'PUT',
    pattern: 'templates/{id}',
    root: 'template',
    service: 'template/methods/update',
    handler: updateTemplate,
  },
  { method: 'DELETE', pattern: 'templates/{id}', handler: removeTemplate },
];

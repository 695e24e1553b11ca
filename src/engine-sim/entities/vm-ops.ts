/**
 * Running-VM operations: console tickets, live migration (and its cancellation), CPU auto-pinning,
 * host maintenance.
 */
import { opFailed } from '../errors';
import { Tree, bool, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone } from '../engine/handler';
import { Sim } from '../engine/sim';
import { logicalCpus } from './cpu-pinning';
import { Entity, ref } from '../store/store';

/** Statuses in which a VM occupies a host. */
const ON_HOST = ['up', 'powering_up', 'reboot_in_progress', 'paused', 'migrating'];

export function ticketVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  if (!ON_HOST.includes(str(vm.data, 'status') ?? ''))
    throw opFailed(409, 'Cannot set Virtual Machine Ticket. VM is not running.');
  const expiry = Number(str(ctx.body, 'ticket.expiry') ?? 7200);
  return actionDone({ ticket: { expiry, value: ctx.sim.rng.hex(12) } });
}

/** Checks a migration of `vm` to `target` (or any other host) and returns the destination. */
function destination(sim: Sim, vm: Entity, targetRef: Tree | undefined): Entity {
  if (str(vm.data, 'placement_policy.affinity') === 'pinned')
    throw opFailed(409, 'Cannot migrate VM. VM is pinned to Host.');
  const from = str(vm.data, 'host.id');
  const target = sim.resolve('hosts', targetRef, 'Cannot migrate VM. Host does not exist.');
  if (target) {
    if (target.id === from) throw opFailed(409, 'Cannot migrate VM. source and destination is the same.');
    if (str(target.data, 'cluster.id') !== str(vm.data, 'cluster.id')) {
      throw opFailed(
        409,
        'Cannot migrate VM. If target Cluster is not specified VM can be migrated only between Hosts in the same Cluster.\n-Please select target Host in the same Cluster to run the VM or specify a target Cluster.',
      );
    }
    if (str(target.data, 'status') !== 'up')
      throw opFailed(409, 'Cannot migrate VM. Operation can be performed only when Host status is Up.');
    return target;
  }
  const other = sim.store
    .list('hosts')
    .find(
      (h) =>
        h.id !== from && str(h.data, 'status') === 'up' && str(h.data, 'cluster.id') === str(vm.data, 'cluster.id'),
    );
  if (!other)
    throw opFailed(
      409,
      'Cannot migrate VM. There is no available operational Host (in UP state) in the relevant Cluster.',
    );
  return other;
}

/** Starts a live migration: `migrating` on the source, then `up` on the target; `done` runs on arrival. */
export function migrateVm(sim: Sim, vm: Entity, target: Entity, correlationId?: string, done?: () => void): void {
  const job = sim.startJob(`Migrating VM ${str(vm.data, 'name')} to Host ${str(target.data, 'name')}`, correlationId);
  const gen = sim.setStatus(vm, 'migrating');
  vm.meta.migratingTo = target.id;
  sim.later(vm, gen, sim.delays.poweringUp, () => {
    vm.data.status = 'up';
    vm.data.host = ref('hosts', target.id);
    vm.data.display = { ...(vm.data.display as object), address: str(target.data, 'address') ?? '' };
    delete vm.meta.migratingTo;
    job.finish();
    done?.();
  });
}

export function migrateAction(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  ctx.sim.assertUnlocked(vm, 'migrate');
  const status = str(vm.data, 'status');
  if (status === 'migrating') throw opFailed(409, 'Cannot migrate VM. VM is being migrated.');
  if (status !== 'up') throw opFailed(409, 'Cannot migrate VM. VM is not running.');
  const target = destination(ctx.sim, vm, sub(ctx.body, 'host'));
  migrateVm(ctx.sim, vm, target, ctx.correlationId);
  return actionDone({ vm: ref('vms', vm.id) });
}

export function cancelMigration(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  if (str(vm.data, 'status') !== 'migrating') throw opFailed(409, 'Cannot cancel migration for non migrating VM.');
  ctx.sim.setStatus(vm, 'up');
  delete vm.meta.migratingTo;
  return actionDone();
}

/**
 * `autopincpuandnumanodes`: with `optimize_cpu_settings` true, pins each vCPU of the VM to one CPU
 * of an up host of its cluster (round robin over the host's logical CPUs); false clears the pinning.
 * `POST /vms/{id}/autopincpuandnumanodes`.
 */
export function autoPin(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  ctx.sim.assertUnlocked(vm, 'autopincpuandnumanodes');
  const cpu = (vm.data.cpu ?? {}) as Tree;
  if (!bool(ctx.body, 'optimize_cpu_settings')) {
    delete cpu.cpu_tune;
    vm.data.cpu = cpu;
    vm.data.cpu_pinning_policy = 'none';
    return actionDone();
  }
  const cluster = str(vm.data, 'cluster.id');
  const host = ctx.sim.store
    .list('hosts')
    .find((h) => str(h.data, 'cluster.id') === cluster && str(h.data, 'status') === 'up');
  if (!host)
    throw opFailed(
      409,
      'Cannot edit VM. There is no available operational Host (in UP state) in the relevant Cluster.',
    );
  const hostCpus = logicalCpus(host.data);
  const pins = Array.from({ length: logicalCpus(vm.data) }, (_, vcpu) => ({ vcpu, cpu_set: String(vcpu % hostCpus) }));
  vm.data.cpu = { ...cpu, cpu_tune: { vcpu_pins: { vcpu_pin: pins } } };
  vm.data.cpu_pinning_policy = 'manual';
  return actionDone();
}

/** Host maintenance: running VMs migrate away first; a VM that cannot leave blocks it. */
export function deactivateHost(ctx: Ctx): Reply {
  const host = ctx.sim.must('hosts', ctx.params.id);
  if (str(host.data, 'status') === 'maintenance')
    throw opFailed(409, 'Cannot switch Host to Maintenance mode. Host is already in Maintenance mode.');
  const vms = ctx.sim.store
    .list('vms')
    .filter((v) => str(v.data, 'host.id') === host.id && ON_HOST.includes(str(v.data, 'status') ?? ''));
  const stuck = vms.filter((v) => str(v.data, 'placement_policy.affinity') === 'pinned');
  if (stuck.length) {
    throw opFailed(
      409,
      `Cannot switch the following Hosts to Maintenance mode: ${str(host.data, 'name')}.\nOne or more running VMs are indicated as non-migratable. The non-migratable VMs are: ${stuck.map((v) => str(v.data, 'name')).join(', ')}.`,
    );
  }
  const moves = vms.map((vm) => [vm, destination(ctx.sim, vm, undefined)] as const);
  const gen = ctx.sim.setStatus(host, 'preparing_for_maintenance');
  let left = moves.length;
  const finish = (): void =>
    ctx.sim.later(host, gen, ctx.sim.delays.poweringDown, () => {
      host.data.status = 'maintenance';
    });
  for (const [vm, target] of moves)
    migrateVm(ctx.sim, vm, target, undefined, () => {
      if (--left === 0) finish();
    });
  if (!moves.length) finish();
  return actionDone();
}

export function activateHost(ctx: Ctx): Reply {
  const host = ctx.sim.must('hosts', ctx.params.id);
  if (str(host.data, 'status') === 'up') throw opFailed(409, 'Cannot activate Host. Host in Up status.');
  const gen = ctx.sim.setStatus(host, 'activating');
  ctx.sim.later(host, gen, ctx.sim.delays.poweringUp, () => {
    host.data.status = 'up';
  });
  return actionDone();
}

/** `POST /hosts/{id}/refresh`. */
export function refreshHost(ctx: Ctx): Reply {
  ctx.sim.must('hosts', ctx.params.id);
  return actionDone();
}

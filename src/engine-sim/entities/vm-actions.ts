/** VM actions and their state machines: start, stop, shutdown, reboot, suspend. */
import { opFailed } from '../errors';
import { Tree, bool, list, str, strings, sub } from '../store/repr';
import { Ctx, Reply, actionDone } from '../engine/handler';
import { clearDevices, reportDevices } from './nics';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';
import { applyNextRun } from './vms';

const RUNNING = [
  'up',
  'powering_up',
  'wait_for_launch',
  'reboot_in_progress',
  'powering_down',
  'migrating',
  'paused',
  'saving_state',
  'restoring_state',
  'not_responding',
  'unknown',
];

/** Hosts of the VM's cluster that satisfy its placement policy and enforcing affinity groups. */
function pickHost(sim: Sim, vm: Entity): Entity {
  let hosts = sim.store
    .list('hosts')
    .filter((h) => str(h.data, 'cluster.id') === str(vm.data, 'cluster.id') && str(h.data, 'status') === 'up');
  const pinned = list(vm.data, 'placement_policy.hosts.host').map((h) => h.id ?? sim.resolve('hosts', h)?.id);
  if (pinned.length) hosts = hosts.filter((h) => pinned.includes(h.id));
  for (const g of sim.store.list('affinitygroups', str(vm.data, 'cluster.id'))) {
    if (!list(g.data, 'vms.vm').some((r) => r.id === vm.id)) continue;
    const groupHosts = list(g.data, 'hosts.host').map((r) => r.id);
    if (groupHosts.length && bool(g.data, 'hosts_rule.enforcing') && bool(g.data, 'hosts_rule.enabled') !== false) {
      const positive = bool(g.data, 'hosts_rule.positive') !== false;
      hosts = hosts.filter((h) => groupHosts.includes(h.id) === positive);
    }
    if (
      bool(g.data, 'vms_rule.enforcing') &&
      bool(g.data, 'vms_rule.enabled') !== false &&
      bool(g.data, 'vms_rule.positive') === false
    ) {
      const others = list(g.data, 'vms.vm')
        .map((r) => sim.store.get('vms', String(r.id)))
        .filter((o) => o && o.id !== vm.id && RUNNING.includes(str(o.data, 'status') ?? ''));
      const taken = new Set(others.map((o) => str(o?.data, 'host.id')));
      hosts = hosts.filter((h) => !taken.has(h.id));
    }
  }
  const [host] = hosts;
  if (!host)
    throw opFailed(
      409,
      'Cannot run VM. There is no host that satisfies current scheduling constraints. See below for details:, The host did not satisfy internal filter Affinity because of affinity rules.',
    );
  return host;
}

function hasBootableDisk(sim: Sim, vm: Entity): boolean {
  return sim.store
    .list('diskattachments', vm.id)
    .some((a) => bool(a.data, 'bootable') && bool(a.data, 'active') !== false);
}

export function startVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  const status = str(vm.data, 'status');
  ctx.sim.assertUnlocked(vm, 'run');
  if (status !== 'down' && status !== 'suspended') {
    throw opFailed(
      409,
      status === 'up' ? 'Cannot run VM. VM is running.' : `Cannot run VM because the VM is in ${status} status.`,
    );
  }
  const inits = ['use_cloud_init', 'use_sysprep', 'use_ignition'].filter((k) => bool(ctx.body, k));
  if (inits.length > 1) throw opFailed(409, 'Cannot use multiple initialization tags simultaneously when running VM.');
  const once = sub(ctx.body, 'vm');
  const devices = strings(once ?? vm.data, 'os.boot.devices.device');
  const bootDevices = devices.length ? devices : strings(vm.data, 'os.boot.devices.device');
  if (!bootDevices.some((d) => d === 'network' || d === 'cdrom') && !hasBootableDisk(ctx.sim, vm)) {
    throw opFailed(
      409,
      "Cannot run VM without at least one bootable disk.\nAlternatives:\n-Create a disk for this VM, and rerun the VM.\n-Change the boot sequence using the Edit VM command (Boot Option Sub-Tab).\n-Use the 'Run-Once' command to select a different boot option and rerun the VM.",
    );
  }
  const host = pickHost(ctx.sim, vm);
  const job = ctx.sim.startJob(`Launching VM ${str(vm.data, 'name')}`, ctx.correlationId);
  vm.data.run_once = once !== undefined;
  if (once) vm.meta.runOnce = once;
  const delays = ctx.sim.delays;
  const resumed = status === 'suspended';
  vm.data.host = ref('hosts', host.id);
  vm.data.start_time = ctx.sim.nowIso();
  const gen = ctx.sim.setStatus(vm, resumed ? 'restoring_state' : 'wait_for_launch');
  ctx.sim.later(vm, gen, delays.waitForLaunch, () => {
    vm.data.status = resumed ? 'restoring_state' : 'powering_up';
    ctx.sim.later(vm, gen, delays.poweringUp, () => {
      vm.data.status = 'up';
      showDisplay(ctx.sim, vm, host);
      job.finish();
      ctx.sim.later(vm, gen, delays.ipReport, () => reportDevices(ctx.sim, vm));
    });
  });
  return actionDone(withJob(job.job, vm));
}

function withJob(job: Tree | undefined, vm: Entity): Tree {
  return job ? { job, vm: ref('vms', vm.id) } : { vm: ref('vms', vm.id) };
}

/** A running VM's console endpoint on its host. */
function showDisplay(sim: Sim, vm: Entity, host: Entity): void {
  const port = 5900 + 2 * (sim.store.next('display') % 50);
  vm.data.display = {
    ...(sub(vm.data, 'display') ?? {}),
    address: str(host.data, 'address') ?? '',
    port,
    secure_port: port + 1,
    certificate: {
      content: sim.caPem,
      organization: 'sim.local',
      subject: `O=sim.local,CN=${str(host.data, 'name')}.sim.local`,
    },
  };
}

/** Puts the VM down: host and reported devices cleared, next-run configuration applied. */
function goDown(sim: Sim, vm: Entity): void {
  vm.data.status = 'down';
  vm.data.stop_time = sim.nowIso();
  delete vm.data.host;
  delete vm.data.start_time;
  const display = { ...(sub(vm.data, 'display') ?? {}) };
  for (const k of ['address', 'port', 'secure_port', 'certificate']) delete display[k];
  vm.data.display = display;
  vm.data.run_once = false;
  delete vm.meta.runOnce;
  clearDevices(sim, vm);
  applyNextRun(vm);
}

function powerOff(ctx: Ctx, verb: 'stop' | 'shutdown'): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  const status = str(vm.data, 'status') ?? 'down';
  if (ctx.sim.locked.has(vm.id)) ctx.sim.assertUnlocked(vm, verb);
  if (!RUNNING.includes(status)) throw opFailed(409, `Cannot ${verb} VM. VM is not running.`);
  if ((status === 'saving_state' || status === 'restoring_state') && !bool(ctx.body, 'force')) {
    throw opFailed(
      409,
      `Cannot ${verb} VM. VM is in saving/restoring state.\n-Please try again when the VM is either up or down.`,
    );
  }
  const job = ctx.sim.startJob(
    `${verb === 'stop' ? 'Stopping' : 'Shutting down'} VM ${str(vm.data, 'name')}`,
    ctx.correlationId,
  );
  const gen = ctx.sim.setStatus(vm, 'powering_down');
  if (verb === 'stop') clearDevices(ctx.sim, vm);
  ctx.sim.later(vm, gen, ctx.sim.delays.poweringDown, () => {
    goDown(ctx.sim, vm);
    job.finish();
  });
  return actionDone(withJob(job.job, vm));
}

export function rebootVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  ctx.sim.assertUnlocked(vm, 'reboot');
  if (str(vm.data, 'status') !== 'up') throw opFailed(409, 'Cannot reboot VM. VM is not running.');
  const gen = ctx.sim.setStatus(vm, 'reboot_in_progress');
  ctx.sim.later(vm, gen, ctx.sim.delays.reboot, () => {
    vm.data.status = 'up';
  });
  return actionDone(withJob(undefined, vm));
}

export function suspendVm(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.id);
  ctx.sim.assertUnlocked(vm, 'hibernate');
  if (str(vm.data, 'status') !== 'up') throw opFailed(409, 'Cannot hibernate VM. VM is not running.');
  const gen = ctx.sim.setStatus(vm, 'saving_state');
  clearDevices(ctx.sim, vm);
  ctx.sim.later(vm, gen, ctx.sim.delays.suspend, () => {
    vm.data.status = 'suspended';
    delete vm.data.host;
  });
  return actionDone(withJob(undefined, vm));
}

/** `POST /vms/{id}/stop`. */
export function stopVm(ctx: Ctx): Reply {
  return powerOff(ctx, 'stop');
}

/** `POST /vms/{id}/shutdown`. */
export function shutdownVm(ctx: Ctx): Reply {
  return powerOff(ctx, 'shutdown');
}

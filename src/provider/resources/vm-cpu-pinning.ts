/**
 * `cpu_pinning` of `ovirt_vm`: manual pinning of vCPUs to host CPUs (the engine's
 * `cpu.cpu_tune.vcpu_pins`), as a map from the vCPU index to a host CPU list in the engine's
 * grammar (`2`, `0-3`, `0-3,^1`). Checked at plan time like the engine checks it.
 */
import type { Vm } from '../../ovirt';
import { isUnknown, type AttributePath, type Diagnostics } from '../../tfplugin';
import { num } from '../common';
import type { VmPlan } from './vm-schema';

type PinTune = NonNullable<NonNullable<Vm['cpu']>['cpu_tune']>;

/** A host CPU list: comma-separated CPUs (`3`), increasing ranges (`0-3`) and exclusions (`^2`). */
const HOST_CPU_LIST = /^(\d+|\d+-\d+|\^\d+)(,(\d+|\d+-\d+|\^\d+))*$/;

/** A vCPU index as the engine prints it (no sign, no leading zeros). */
const VCPU_INDEX = /^(0|[1-9]\d*)$/;

const at = (vcpu: string): AttributePath => [{ attribute: 'cpu_pinning' }, { key: vcpu }];

/**
 * Why the host CPU list `cpuSet` is not one the engine takes, or undefined when it is: its grammar,
 * ranges that run upwards, and at least one CPU left after the exclusions.
 */
export function cpuListProblem(cpuSet: string): string | undefined {
  if (!HOST_CPU_LIST.test(cpuSet))
    return 'is not a host CPU list: give CPUs (`3`), ranges (`0-3`) and exclusions (`^2`) joined by commas, e.g. `0-3,^1`.';
  const chosen = new Set<number>();
  const dropped = new Set<number>();
  for (const part of cpuSet.split(',')) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (part.startsWith('^')) dropped.add(Number(part.slice(1)));
    else if (!range) chosen.add(Number(part));
    else if (Number(range[1]) >= Number(range[2]))
      return `has the range \`${part}\`: a range must run upwards (e.g. \`0-3\`).`;
    else for (let cpu = Number(range[1]); cpu <= Number(range[2]); cpu++) chosen.add(cpu);
  }
  const left = [...chosen].filter((cpu) => !dropped.has(cpu));
  return left.length
    ? undefined
    : 'leaves no host CPU after its exclusions; the engine refuses a vCPU pinned to no CPU.';
}

/**
 * Plan-time checks of `cpu_pinning`: keys are vCPU indexes, values host CPU lists, and (when the
 * planned topology is known) every index is a vCPU the VM has.
 */
export function checkCpuPinning(plan: VmPlan, diags: Diagnostics): void {
  const pins = plan.cpu_pinning;
  if (!pins || isUnknown(pins)) return;
  const topology = [plan.cpu_sockets, plan.cpu_cores, plan.cpu_threads].map((figure) => num(figure));
  const vcpus = topology.every((figure) => figure !== undefined) ? topology.reduce((a, b) => a! * b!, 1) : undefined;
  for (const [vcpu, cpuSet] of Object.entries(pins as Record<string, unknown>)) {
    if (!VCPU_INDEX.test(vcpu)) {
      diags.error(
        'Invalid vCPU Index',
        `cpu_pinning key "${vcpu}" is not a vCPU index: use 0, 1, 2, ... (the VM's vCPUs count from 0).`,
        at(vcpu),
      );
      continue;
    }
    if (vcpus !== undefined && Number(vcpu) >= vcpus) {
      diags.error(
        'No Such vCPU',
        `cpu_pinning pins vCPU ${vcpu}, but the VM has ${vcpus} vCPUs (cpu_sockets x cpu_cores x cpu_threads), numbered 0 to ${vcpus - 1}; the engine refuses it ("virtual CPU does not exist in vm").`,
        at(vcpu),
      );
    }
    if (typeof cpuSet !== 'string') continue;
    const problem = cpuListProblem(cpuSet);
    if (problem) diags.error('Invalid Host CPU List', `cpu_pinning["${vcpu}"] = "${cpuSet}" ${problem}`, at(vcpu));
  }
}

/** The pinning the engine reports, as the attribute's map. */
export function pinningFromEngine(vm: Vm): Record<string, string> {
  const pins = vm.cpu?.cpu_tune?.vcpu_pins ?? [];
  return Object.fromEntries(pins.map((pin) => [String(pin.vcpu ?? 0), pin.cpu_set ?? '']));
}

/** The engine's `cpu_tune` for the attribute's map (empty: no pins, which clears the pinning). */
export function pinningToEngine(pins: Record<string, string>): PinTune {
  const ordered = Object.entries(pins).sort(([a], [b]) => Number(a) - Number(b));
  return { vcpu_pins: ordered.map(([vcpu, cpuSet]) => ({ vcpu: Number(vcpu), cpu_set: cpuSet })) };
}

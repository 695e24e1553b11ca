/**
 * Manual CPU pinning of a VM (`cpu.cpu_tune.vcpu_pins`): the engine's checks of the pins a request
 * sends, and how they replace the VM's. The engine keeps the pinning policy `manual` exactly while
 * pins exist (a database constraint), so setting pins sets it and clearing them resets it.
 */
import { opFailed } from '../errors';
import { Tree, get, list, num, str } from '../store/repr';

/** One entry of a host CPU list as the engine's pinning grammar allows: `^n`, `n-m` or `n`. */
const CPU_ENTRY = /^(\^\d+|\d+-\d+|\d+)$/;

/** The host CPUs a cpu_set names (includes minus `^` excludes), or undefined when it is malformed. */
function cpuSetOf(cpuSet: string): Set<number> | undefined {
  const entries = cpuSet.split(',');
  if (!entries.every((entry) => CPU_ENTRY.test(entry))) return undefined;
  const included = new Set<number>();
  const excluded = new Set<number>();
  for (const entry of entries) {
    if (entry.startsWith('^')) excluded.add(Number(entry.slice(1)));
    else if (entry.includes('-')) {
      const [start, end] = entry.split('-').map(Number) as [number, number];
      // The engine takes a range only in increasing order ("2-2" and "3-1" are malformed).
      if (start >= end) return undefined;
      for (let cpu = start; cpu <= end; cpu++) included.add(cpu);
    } else included.add(Number(entry));
  }
  for (const cpu of excluded) included.delete(cpu);
  return included;
}

/** The number of logical CPUs a `cpu.topology` (of a VM or a host) counts (1 where a figure is missing). */
export const logicalCpus = (tree: Tree | undefined): number =>
  ['sockets', 'cores', 'threads'].reduce((n, k) => n * (num(tree, `cpu.topology.${k}`) ?? 1), 1);

/**
 * Refuses the pins of `body` as the engine does: the format first, then per pin a vCPU the VM
 * (`data`, the VM with the request applied) has, once, pinned to at least one CPU.
 */
export function checkCpuPinning(body: Tree, data: Tree): void {
  if (get(body, 'cpu.cpu_tune') === undefined) return;
  const pins = list(body, 'cpu.cpu_tune.vcpu_pins.vcpu_pin');
  const parsed = pins.map((pin) => ({ vcpu: str(pin, 'vcpu') ?? '', cpus: cpuSetOf(str(pin, 'cpu_set') ?? '') }));
  if (parsed.some((pin) => !/^\d+$/.test(pin.vcpu) || !pin.cpus)) throw opFailed(400, 'CPU pinning format invalid.');
  const seen = new Set<number>();
  const vcpus = logicalCpus(data);
  for (const pin of parsed) {
    const vcpu = Number(pin.vcpu);
    if (vcpu >= vcpus) throw opFailed(400, 'CPU pinning validation failed - virtual CPU does not exist in vm.');
    if (seen.has(vcpu)) throw opFailed(400, 'Cannot configure CPU pinning twice to the same vCPU.');
    seen.add(vcpu);
    if (pin.cpus?.size === 0) throw opFailed(400, 'Cannot pin a vCPU to no pCPU.');
  }
}

/**
 * Puts the `cpu_tune` of `body` (when it has one) in place of the VM's, as a whole: a pin left out
 * is removed, an empty list clears the pinning.
 */
export function applyCpuTune(out: Tree, body: Tree): void {
  if (get(body, 'cpu.cpu_tune') === undefined) return;
  const pins = list(body, 'cpu.cpu_tune.vcpu_pins.vcpu_pin').map((pin) => ({
    vcpu: str(pin, 'vcpu'),
    cpu_set: str(pin, 'cpu_set'),
  }));
  const cpu: Tree = { ...((out.cpu as Tree | undefined) ?? {}) };
  if (pins.length) cpu.cpu_tune = { vcpu_pins: { vcpu_pin: pins } };
  else delete cpu.cpu_tune;
  out.cpu = cpu;
  out.cpu_pinning_policy = pins.length ? 'manual' : 'none';
}

/**
 * Node sizes per OpenShift role: parsing, the minimums below which synth fails, and the recommended
 * sizes below which it warns. Figures from OpenShift's documented minimum resource requirements
 * (control plane and bootstrap 4 vCPU / 16 GiB / 100 GB, compute 2 vCPU / 8 GiB / 100 GB) and the
 * oVirt IPI guide's 4 vCPU / 16 GiB / 120 GB per node.
 */
import { ValidationError } from '../errors';
import { parseSize, formatSize, type Size } from '../units';

/** The OpenShift machine roles a cluster has. */
export type OpenShiftRole = 'bootstrap' | 'master' | 'worker';

/** The size of one node. */
export interface NodeSize {
  /** Virtual CPUs (sockets × cores; the VM gets one socket with this many cores). */
  readonly cpus?: number;
  /** Memory, e.g. `'16GiB'`, or bytes. */
  readonly memory?: Size;
  /** Size of the root disk, e.g. `'120GiB'`, or bytes. */
  readonly diskSize?: Size;
}

/** A node size in plain numbers. */
export interface ResolvedNodeSize {
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly diskBytes: number;
}

const GiB = 1024 ** 3;

/** Below these, synth fails. */
export const MINIMUM_SIZES: Record<OpenShiftRole, ResolvedNodeSize> = {
  bootstrap: { cpus: 4, memoryBytes: 16 * GiB, diskBytes: 100 * GiB },
  master: { cpus: 4, memoryBytes: 16 * GiB, diskBytes: 100 * GiB },
  worker: { cpus: 2, memoryBytes: 8 * GiB, diskBytes: 100 * GiB },
};

/** Below these, synth warns; they are also the defaults. */
export const RECOMMENDED_SIZES: Record<OpenShiftRole, ResolvedNodeSize> = {
  bootstrap: { cpus: 4, memoryBytes: 16 * GiB, diskBytes: 120 * GiB },
  master: { cpus: 4, memoryBytes: 16 * GiB, diskBytes: 120 * GiB },
  worker: { cpus: 4, memoryBytes: 16 * GiB, diskBytes: 120 * GiB },
};

/**
 * Resolves a role's size (defaults: the recommended size), failing below the minimum and returning
 * warnings for each figure below the recommended one. `prop` is the size prop's path.
 */
export function resolveNodeSize(
  role: OpenShiftRole,
  size: NodeSize | undefined,
  prop: string,
): { size: ResolvedNodeSize; warnings: string[] } {
  const rec = RECOMMENDED_SIZES[role];
  const min = MINIMUM_SIZES[role];
  const cpus = size?.cpus ?? rec.cpus;
  if (!Number.isInteger(cpus) || cpus < 1) {
    throw new ValidationError('invalid_prop', `${prop}.cpus`, `must be a whole number of at least 1; got ${cpus}`);
  }
  const resolved: ResolvedNodeSize = {
    cpus,
    memoryBytes: size?.memory === undefined ? rec.memoryBytes : parseSize(size.memory, `${prop}.memory`),
    diskBytes: size?.diskSize === undefined ? rec.diskBytes : parseSize(size.diskSize, `${prop}.diskSize`),
  };
  const figures: Array<[keyof ResolvedNodeSize, string, (n: number) => string]> = [
    ['cpus', 'cpus', (n) => `${n} vCPU`],
    ['memoryBytes', 'memory', formatSize],
    ['diskBytes', 'diskSize', formatSize],
  ];
  const warnings: string[] = [];
  for (const [key, name, fmt] of figures) {
    if (resolved[key] < min[key]) {
      throw new ValidationError(
        'invalid_prop',
        `${prop}.${name}`,
        `${fmt(resolved[key])} is below OpenShift's minimum of ${fmt(min[key])} for a ${role} node`,
      );
    }
    if (resolved[key] < rec[key]) {
      warnings.push(
        `${prop}.${name}: ${fmt(resolved[key])} is below the recommended ${fmt(rec[key])} for a ${role} node`,
      );
    }
  }
  return { size: resolved, warnings };
}

import { resolveNodeSize, RECOMMENDED_SIZES } from '../../constructs/openshift/sizes';

describe('resolveNodeSize', () => {
  it('defaults to the recommended size without warnings', () => {
    const resolved = resolveNodeSize('master', undefined, 'masters.size');
    expect(resolved.size).toEqual(RECOMMENDED_SIZES.master);
    expect(resolved.warnings).toEqual([]);
  });
  it('parses units', () => {
    const resolved = resolveNodeSize('worker', { cpus: 8, memory: '32GiB', diskSize: '200GiB' }, 'workers.size');
    expect(resolved.size).toEqual({ cpus: 8, memoryBytes: 32 * 1024 ** 3, diskBytes: 200 * 1024 ** 3 });
  });
  it('warns below the recommended size', () => {
    const resolved = resolveNodeSize('worker', { cpus: 2, memory: '8GiB', diskSize: '100GiB' }, 'workers.size');
    expect(resolved.warnings).toEqual([
      'workers.size.cpus: 2 vCPU is below the recommended 4 vCPU for a worker node',
      'workers.size.memory: 8GiB is below the recommended 16GiB for a worker node',
      'workers.size.diskSize: 100GiB is below the recommended 120GiB for a worker node',
    ]);
  });
  it('fails below the minimum, naming the prop', () => {
    expect(() => resolveNodeSize('master', { memory: '8GiB' }, 'masters.size')).toThrow(
      "masters.size.memory: 8GiB is below OpenShift's minimum of 16GiB for a master node",
    );
    expect(() => resolveNodeSize('bootstrap', { cpus: 2 }, 'bootstrap.size')).toThrow(/^bootstrap\.size\.cpus: /);
    expect(() => resolveNodeSize('worker', { diskSize: '50GiB' }, 'workers.size')).toThrow(
      /^workers\.size\.diskSize: /,
    );
  });
});

/**
 * The refresh reads' cache: a VM's read brings its NICs and attachments along, each serves one
 * read of the same walk, expires, and is dropped by any change this process makes. In-process (the
 * SDK harness) against the simulator, counting the simulator's requests.
 */
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { ovirtProvider } from '../../src/provider';
import { RefreshReads } from '../../src/provider/refresh-reads';
import type { Vm } from '../../src/ovirt';

const GiB = 1024 ** 3;
type Obj = Record<string, unknown>;

describe('RefreshReads', () => {
  const vm = {
    id: 'vm1',
    nics: [{ id: 'nic1', name: 'nic1' }],
    disk_attachments: [{ id: 'disk1', disk: { id: 'disk1' }, interface: 'virtio' }],
  } as Vm;

  it('answers each NIC and attachment once, then not', () => {
    const reads = new RefreshReads();
    reads.offer(vm);
    expect(reads.nic('vm1', 'nic1')).toEqual({ id: 'nic1', name: 'nic1' });
    expect(reads.nic('vm1', 'nic1')).toBeUndefined();
    expect(reads.attachment('vm1', 'disk1')).toMatchObject({ interface: 'virtio' });
    expect(reads.attachment('vm1', 'disk1')).toBeUndefined();
    // Another VM's NIC of the same id is not this one.
    reads.offer(vm);
    expect(reads.nic('vm2', 'nic1')).toBeUndefined();
  });

  it('forgets entries after their time, and all of them on clear', () => {
    let now = 1000;
    const reads = new RefreshReads(50, () => now);
    reads.offer(vm);
    now += 50;
    expect(reads.nic('vm1', 'nic1')).toBeUndefined();
    reads.offer(vm);
    reads.clear();
    expect(reads.attachment('vm1', 'disk1')).toBeUndefined();
  });

  it('keeps nothing from a VM read without its NICs and attachments', () => {
    const reads = new RefreshReads();
    reads.offer({ id: 'vm1' } as Vm);
    expect(reads.nic('vm1', 'nic1')).toBeUndefined();
  });
});

describe('refresh reads of a VM stack (harness, simulator)', () => {
  let sim: EngineSim;
  let provider: ProviderHarness;
  let vmState: Obj;
  let nicState: Obj;
  let attachmentState: Obj;
  const nicConfig = (name: string): Obj => ({ vm_id: vmState.id, name, vnic_profile_id: SEED_IDS.vnicProfile });
  const total = () => Object.values(sim.control.counters()).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    provider = new ProviderHarness(ovirtProvider);
    expect(
      await provider.configure({ url: sim.url, username: sim.username, password: sim.password, ca_file: sim.caFile }),
    ).toEqual([]);
    vmState = (
      await provider.planApply('ovirt_vm', null, { name: 'cached', cluster_id: SEED_IDS.cluster, memory: GiB })
    ).state!;
    const disk = await provider.planApply('ovirt_disk', null, {
      size: GiB,
      format: 'cow',
      storage_domain_id: SEED_IDS.nfsDomain,
    });
    attachmentState = (
      await provider.planApply('ovirt_disk_attachment', null, {
        vm_id: vmState.id,
        disk_id: disk.state!.id,
        interface: 'virtio_scsi',
      })
    ).state!;
    nicState = (await provider.planApply('ovirt_nic', null, nicConfig('nic1'))).state!;
  });
  afterAll(async () => {
    await provider?.stop();
    await sim?.stop();
  });

  it('reads the NIC and the attachment with the VM: one request for three resources, the same states', async () => {
    sim.control.resetCounters();
    expect((await provider.read('ovirt_vm', vmState)).diagnostics).toEqual([]);
    const nic = await provider.read('ovirt_nic', nicState);
    const attachment = await provider.read('ovirt_disk_attachment', attachmentState);
    expect(sim.control.counters()).toEqual({ 'GET /vms/{id}': 1 });
    expect(nic.state).toEqual(nicState);
    expect(attachment.state).toEqual(attachmentState);
    // Used once: the next read asks the engine.
    await provider.read('ovirt_nic', nicState);
    expect(sim.control.counters()['GET /vms/{id}/nics/{id}']).toBe(1);
  });

  it('a change made by this process is never answered from an earlier read', async () => {
    await provider.read('ovirt_vm', vmState);
    nicState = (await provider.planApply('ovirt_nic', nicState, nicConfig('renamed'))).state!;
    sim.control.resetCounters();
    const nic = await provider.read('ovirt_nic', nicState);
    expect(total()).toBe(1);
    expect(nic.state!.name).toBe('renamed');
  });

  it('a NIC deleted since the VM read is gone (the engine is asked), not answered from the cache', async () => {
    sim.control.remove('nics', String(nicState.id), String(vmState.id));
    await provider.read('ovirt_vm', vmState);
    const nic = await provider.read('ovirt_nic', nicState);
    expect(nic.state).toBeNull();
  });
});

/**
 * The src/ovirt client against the simulator, for the operations test/ovirt/against-sim.test.ts
 * does not cover, plus re-login after revocation and retries under injected faults.
 */
import { startEngineSim, SEED_IDS, type EngineSim } from '../../src/engine-sim';
import {
  OvirtClient,
  OvirtError,
  asId,
  type ClusterId,
  type DataCenterId,
  type DiskAttachmentId,
  type DiskId,
  type HostId,
  type NicId,
  type TagId,
  type TemplateId,
  type VmId,
} from '../../src/ovirt';

const GiB = 1024 ** 3;
const fastWait = { intervalMs: 10, timeoutMs: 20_000 };

describe('src/ovirt client against the engine simulator', () => {
  let sim: EngineSim;
  let c: OvirtClient;
  beforeAll(async () => {
    sim = await startEngineSim({ seed: 3 });
    c = await OvirtClient.connect({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caPem: sim.caPem,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      maxAttempts: 8,
    });
  });
  afterAll(async () => {
    await c.close();
    await sim.stop();
  });

  const newVm = async (name: string, template = 'rhcos-template'): Promise<VmId> => {
    const vm = asId<VmId>(
      (await c.vms.create({ name, cluster: { id: SEED_IDS.cluster }, template: { name: template } })).id,
    );
    await c.waitForVmStatus(vm, 'down', fastWait);
    return vm;
  };

  it('reads inventory: data centers, networks, storage domains per data center, hosts, jobs by correlation id', async () => {
    expect((await c.dataCenters.list()).map((d) => d.id)).toEqual([SEED_IDS.datacenter]);
    expect((await c.networks.findByName('ovirtmgmt'))?.id).toBe(SEED_IDS.network);
    expect((await c.storageDomains.forDataCenter(asId<DataCenterId>(SEED_IDS.datacenter))).length).toBe(2);
    expect((await c.hosts.get(asId<HostId>(SEED_IDS.hosts[0]))).name).toBe('host1');
    await c.disks.create(
      { name: 'jobbed', format: 'cow', provisioned_size: GiB, storage_domains: [{ id: SEED_IDS.nfsDomain }] },
      { correlationId: 'corr-1' } as never,
    );
    const jobs = await c.jobs.byCorrelationId('corr-1');
    expect(jobs.length).toBe(1);
  });

  it('updates a VM now and at next run, shuts down and reboots it', async () => {
    const vm = await newVm('cl-vm');
    expect((await c.vms.update(vm, { description: 'changed' })).description).toBe('changed');
    await c.vms.start(vm);
    await c.waitForVmStatus(vm, 'up', fastWait);
    await c.vms.reboot(vm);
    await c.waitForVmStatus(vm, 'up', fastWait);
    await c.vms.update(vm, { memory: 2 * GiB }, { nextRun: true });
    expect((await c.vms.get(vm)).next_run_configuration_exists).toBe(true);
    await c.vms.shutdown(vm);
    const down = await c.waitForVmStatus(vm, 'down', fastWait);
    expect(down.memory).toBe(2 * GiB);
    await c.vms.remove(vm);
  });

  it('gets, updates and removes NICs and disk attachments; lists reported devices', async () => {
    const vm = await newVm('cl-dev');
    const nic = await c.vmNics.create(vm, { name: 'nic1', vnic_profile: { id: SEED_IDS.vnicProfile } });
    const nicId = asId<NicId>(nic.id);
    expect((await c.vmNics.get(vm, nicId)).name).toBe('nic1');
    expect((await c.vmNics.update(vm, nicId, { name: 'nic9' })).name).toBe('nic9');
    expect((await c.vmNics.list(vm)).length).toBe(1);
    const [att] = await c.diskAttachments.list(vm);
    const attId = asId<DiskAttachmentId>(String(att.id));
    expect((await c.diskAttachments.get(vm, attId)).bootable).toBe(true);
    await c.diskAttachments.update(vm, attId, { disk: { provisioned_size: 20 * GiB } } as never);
    expect((await c.waitForDiskOk(asId<DiskId>(String(att.id)), fastWait)).provisioned_size).toBe(20 * GiB);
    await c.vms.start(vm);
    await c.waitForVmStatus(vm, 'up', fastWait);
    expect((await c.reportedDevices.list(vm)).length).toBe(1);
    await c.vms.stop(vm);
    await c.waitForVmStatus(vm, 'down', fastWait);
    await c.vmNics.remove(vm, nicId);
    await c.diskAttachments.remove(vm, attId, { detachOnly: false });
    expect(await c.disks.tryGet(asId<DiskId>(String(att.id)))).toBeUndefined();
    await c.vms.remove(vm);
  });

  it('updates and removes disks, tags, templates and affinity groups', async () => {
    const disk = await c.disks.create({
      name: 'cl-disk',
      format: 'raw',
      sparse: false,
      provisioned_size: GiB,
      storage_domains: [{ id: SEED_IDS.blockDomain }],
    });
    await c.waitForDiskOk(asId<DiskId>(disk.id), fastWait);
    expect((await c.disks.update(asId<DiskId>(disk.id), { alias: 'renamed' })).alias).toBe('renamed');
    const shrink = await c.disks.resize(asId<DiskId>(disk.id), GiB / 2).catch((e: unknown) => e);
    expect(OvirtError.is(shrink)).toBe(true);
    await c.disks.remove(asId<DiskId>(disk.id));

    const tag = await c.tags.create({ name: 'cl-tag' });
    expect((await c.tags.update(asId<TagId>(tag.id), { description: 'd' })).description).toBe('d');
    await c.tags.remove(asId<TagId>(tag.id));

    const vm = await newVm('cl-tsrc', 'Blank');
    const t = await c.templates.create({ name: 'cl-tpl', vm: { id: vm } });
    await c.templates.waitForOk(asId<TemplateId>(t.id), fastWait);
    expect((await c.templates.update(asId<TemplateId>(t.id), { description: 'td' })).description).toBe('td');
    expect((await c.templates.listVersions('cl-tpl')).length).toBe(1);
    await c.templates.remove(asId<TemplateId>(t.id));

    const cl = asId<ClusterId>(SEED_IDS.cluster);
    const g = await c.affinityGroups.create(cl, {
      name: 'cl-ag',
      hosts_rule: { enabled: true, enforcing: false, positive: true },
    });
    const gid = asId(g.id);
    expect((await c.affinityGroups.findByName(cl, 'cl-ag'))?.id).toBe(g.id);
    expect((await c.affinityGroups.update(cl, gid as never, { description: 'x' })).description).toBe('x');
    await c.affinityGroups.addHost(cl, gid as never, asId<HostId>(SEED_IDS.hosts[1]));
    expect((await c.affinityGroups.listHosts(cl, gid as never)).map((h) => h.id)).toEqual([SEED_IDS.hosts[1]]);
    await c.affinityGroups.removeHost(cl, gid as never, asId<HostId>(SEED_IDS.hosts[1]));
    expect((await c.affinityGroups.get(cl, gid as never)).name).toBe('cl-ag');
    await c.affinityGroups.remove(cl, gid as never);
    await c.vms.remove(vm);
  });

  it('logs in again after the token is revoked', async () => {
    await c.clusters.list();
    expect(sim.control.revokeTokens()).toBeGreaterThan(0);
    expect((await c.clusters.list()).length).toBe(1);
  });

  it('retries reads through 503s and resets, and creates through 409-locked answers', async () => {
    sim.control.setFaults({ p503: 0.3, pReset: 0.1 });
    for (let i = 0; i < 10; i++) expect((await c.clusters.list()).length).toBe(1);
    sim.control.setFaults({ pLocked: 0.4 });
    const vm = await newVm('cl-faulty', 'Blank');
    sim.control.setFaults({});
    expect((await c.vms.get(vm)).name).toBe('cl-faulty');
    expect((await c.vms.getByName('cl-faulty')).id).toBe(vm);
    await c.vms.remove(vm);
  });
});

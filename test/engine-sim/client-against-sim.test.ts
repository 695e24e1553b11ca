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
import { nth } from '../support/nth';

const GiB = 1024 ** 3;
const fastWait = { intervalMs: 10, timeoutMs: 20_000 };

describe('src/ovirt client against the engine simulator', () => {
  let sim: EngineSim;
  let client: OvirtClient;
  beforeAll(async () => {
    sim = await startEngineSim({ seed: 3 });
    client = await OvirtClient.connect({
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
    await client.close();
    await sim.stop();
  });

  const newVm = async (name: string, template = 'rhcos-template'): Promise<VmId> => {
    const vm = asId<VmId>(
      (await client.vms.create({ name, cluster: { id: SEED_IDS.cluster }, template: { name: template } })).id,
    );
    await client.waitForVmStatus(vm, 'down', fastWait);
    return vm;
  };

  it('reads inventory: data centers, networks, storage domains per data center, hosts, jobs by correlation id', async () => {
    expect((await client.dataCenters.list()).map((d) => d.id)).toEqual([SEED_IDS.datacenter]);
    expect((await client.networks.findByName('ovirtmgmt'))?.id).toBe(SEED_IDS.network);
    expect((await client.storageDomains.forDataCenter(asId<DataCenterId>(SEED_IDS.datacenter))).length).toBe(2);
    expect((await client.hosts.get(asId<HostId>(SEED_IDS.hosts[0]))).name).toBe('host1');
    await client.disks.create(
      { name: 'jobbed', format: 'cow', provisioned_size: GiB, storage_domains: [{ id: SEED_IDS.nfsDomain }] },
      { correlationId: 'corr-1' } as never,
    );
    const jobs = await client.jobs.byCorrelationId('corr-1');
    expect(jobs.length).toBe(1);
  });

  it('updates a VM now and at next run, shuts down and reboots it', async () => {
    const vm = await newVm('cl-vm');
    expect((await client.vms.update(vm, { description: 'changed' })).description).toBe('changed');
    await client.vms.start(vm);
    await client.waitForVmStatus(vm, 'up', fastWait);
    await client.vms.reboot(vm);
    await client.waitForVmStatus(vm, 'up', fastWait);
    await client.vms.update(vm, { memory: 2 * GiB }, { nextRun: true });
    expect((await client.vms.get(vm)).next_run_configuration_exists).toBe(true);
    await client.vms.shutdown(vm);
    const down = await client.waitForVmStatus(vm, 'down', fastWait);
    expect(down.memory).toBe(2 * GiB);
    await client.vms.remove(vm);
  });

  it('gets, updates and removes NICs and disk attachments; lists reported devices', async () => {
    const vm = await newVm('cl-dev');
    const nic = await client.vmNics.create(vm, { name: 'nic1', vnic_profile: { id: SEED_IDS.vnicProfile } });
    const nicId = asId<NicId>(nic.id);
    expect((await client.vmNics.get(vm, nicId)).name).toBe('nic1');
    expect((await client.vmNics.update(vm, nicId, { name: 'nic9' })).name).toBe('nic9');
    expect((await client.vmNics.list(vm)).length).toBe(1);
    const att = nth(await client.diskAttachments.list(vm), 0);
    const attId = asId<DiskAttachmentId>(String(att.id));
    expect((await client.diskAttachments.get(vm, attId)).bootable).toBe(true);
    await client.diskAttachments.update(vm, attId, { disk: { provisioned_size: 20 * GiB } } as never);
    expect((await client.waitForDiskOk(asId<DiskId>(String(att.id)), fastWait)).provisioned_size).toBe(20 * GiB);
    await client.vms.start(vm);
    await client.waitForVmStatus(vm, 'up', fastWait);
    expect((await client.reportedDevices.list(vm)).length).toBe(1);
    await client.vms.stop(vm);
    await client.waitForVmStatus(vm, 'down', fastWait);
    await client.vmNics.remove(vm, nicId);
    await client.diskAttachments.remove(vm, attId, { detachOnly: false });
    expect(await client.disks.tryGet(asId<DiskId>(String(att.id)))).toBeUndefined();
    await client.vms.remove(vm);
  });

  it('updates and removes disks, tags, templates and affinity groups', async () => {
    const disk = await client.disks.create({
      name: 'cl-disk',
      format: 'raw',
      sparse: false,
      provisioned_size: GiB,
      storage_domains: [{ id: SEED_IDS.blockDomain }],
    });
    await client.waitForDiskOk(asId<DiskId>(disk.id), fastWait);
    expect((await client.disks.update(asId<DiskId>(disk.id), { alias: 'renamed' })).alias).toBe('renamed');
    const shrink = await client.disks.resize(asId<DiskId>(disk.id), GiB / 2).catch((e: unknown) => e);
    expect(OvirtError.is(shrink)).toBe(true);
    await client.disks.remove(asId<DiskId>(disk.id));

    const tag = await client.tags.create({ name: 'cl-tag' });
    expect((await client.tags.update(asId<TagId>(tag.id), { description: 'd' })).description).toBe('d');
    await client.tags.remove(asId<TagId>(tag.id));

    const vm = await newVm('cl-tsrc', 'Blank');
    const template = await client.templates.create({ name: 'cl-tpl', vm: { id: vm } });
    await client.templates.waitForOk(asId<TemplateId>(template.id), fastWait);
    expect((await client.templates.update(asId<TemplateId>(template.id), { description: 'td' })).description).toBe(
      'td',
    );
    expect((await client.templates.listVersions('cl-tpl')).length).toBe(1);
    await client.templates.remove(asId<TemplateId>(template.id));

    const cl = asId<ClusterId>(SEED_IDS.cluster);
    const group = await client.affinityGroups.create(cl, {
      name: 'cl-ag',
      hosts_rule: { enabled: true, enforcing: false, positive: true },
    });
    const gid = asId(group.id);
    expect((await client.affinityGroups.findByName(cl, 'cl-ag'))?.id).toBe(group.id);
    expect((await client.affinityGroups.update(cl, gid as never, { description: 'x' })).description).toBe('x');
    await client.affinityGroups.addHost(cl, gid as never, asId<HostId>(SEED_IDS.hosts[1]));
    expect((await client.affinityGroups.listHosts(cl, gid as never)).map((h) => h.id)).toEqual([SEED_IDS.hosts[1]]);
    await client.affinityGroups.removeHost(cl, gid as never, asId<HostId>(SEED_IDS.hosts[1]));
    expect((await client.affinityGroups.get(cl, gid as never)).name).toBe('cl-ag');
    await client.affinityGroups.remove(cl, gid as never);
    await client.vms.remove(vm);
  });

  it('logs in again after the token is revoked', async () => {
    await client.clusters.list();
    expect(sim.control.revokeTokens()).toBeGreaterThan(0);
    expect((await client.clusters.list()).length).toBe(1);
  });

  it('retries reads through 503s and resets, and creates through 409-locked answers', async () => {
    sim.control.setFaults({ p503: 0.3, pReset: 0.1 });
    for (let i = 0; i < 10; i++) expect((await client.clusters.list()).length).toBe(1);
    sim.control.setFaults({ pLocked: 0.4 });
    const vm = await newVm('cl-faulty', 'Blank');
    sim.control.setFaults({});
    expect((await client.vms.get(vm)).name).toBe('cl-faulty');
    expect((await client.vms.getByName('cl-faulty')).id).toBe(vm);
    await client.vms.remove(vm);
  });
});

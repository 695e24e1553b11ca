/**
 * The client against the engine simulator (src/engine-sim, written independently from the engine's
 * behaviour): a provider-like lifecycle in XML and in JSON.
 */
import { startEngineSim, SEED_IDS, type EngineSim } from '../../src/engine-sim';
import {
  OvirtClient,
  OvirtError,
  asId,
  clusterSchema,
  diskAttachmentSchema,
  type ClusterId,
  type DiskId,
  type TemplateId,
  type VmId,
  type WireFormat,
} from '../../src/ovirt';

let sim: EngineSim;
beforeAll(async () => {
  sim = await startEngineSim({ delays: 'none', seed: 7 });
});
afterAll(async () => {
  await sim.stop();
});

describe.each(['xml', 'json'] as WireFormat[])('against the simulator (%s)', (format) => {
  let client: OvirtClient;
  beforeAll(async () => {
    client = await OvirtClient.connect({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caPem: sim.caPem,
      format,
      correlationIdPrefix: 'test-',
    });
  });
  afterAll(async () => {
    await client.close();
  });

  it('reads the API root and looks up the infrastructure by name', async () => {
    const root = await client.apiRoot();
    expect(root.special_objects?.blank_template?.id).toBe(SEED_IDS.blankTemplate);
    expect(root.product_info?.version?.major).toBe(4);
    const cluster = await client.clusters.getByName('Default');
    expect(cluster.id).toBe(SEED_IDS.cluster);
    expect((await client.templates.getByName('rhcos-template')).id).toBe(SEED_IDS.rhcosTemplate);
    expect((await client.vnicProfiles.findByName('ovirtmgmt'))?.id).toBe(SEED_IDS.vnicProfile);
    expect((await client.storageDomains.get(asId(SEED_IDS.nfsDomain))).id).toBe(SEED_IDS.nfsDomain);
    expect((await client.hosts.list()).length).toBe(3);
    expect(await client.vms.findByName(`absent-${format}`)).toBeUndefined();
    const missing = await client.vms.get(asId<VmId>('5a1e0000-0000-4000-8000-00000000ffff')).catch((e: unknown) => e);
    expect(OvirtError.is(missing, 'not_found')).toBe(true);
  });

  it('creates, starts, reads IPs, grows a disk, stops and deletes a VM', async () => {
    const name = `web-${format}`;
    const created = await client.vms.create(
      {
        name,
        cluster: { id: SEED_IDS.cluster },
        template: { id: SEED_IDS.rhcosTemplate },
        memory: 4 * 1024 ** 3,
        cpu: { topology: { sockets: 1, cores: 2, threads: 1 } },
        initialization: { host_name: name, custom_script: '#cloud-config\n' },
      },
      { clone: true },
    );
    const vm = asId<VmId>(created.id);
    expect((await client.waitForVmStatus(vm, 'down', { intervalMs: 10, timeoutMs: 20_000 })).memory).toBe(
      4 * 1024 ** 3,
    );
    const dup = await client.vms
      .create({ name, cluster: { id: SEED_IDS.cluster }, template: { id: SEED_IDS.rhcosTemplate } })
      .catch((e: OvirtError) => e);
    expect(OvirtError.is(dup, 'conflict', 'bad_request') && dup.detail).toMatch(/name is already in use/);

    const nic = await client.vmNics.create(vm, {
      name: 'nic1',
      interface: 'virtio',
      vnic_profile: { id: SEED_IDS.vnicProfile },
    });
    expect(nic.mac?.address).toBe((sim.control.get('nics', nic.id!, vm)!.data.mac as { address: string }).address);

    const disk = await client.disks.create({
      name: `data-${format}`,
      format: 'cow',
      provisioned_size: 1024 ** 3,
      storage_domains: [{ id: SEED_IDS.nfsDomain }],
    });
    await client.waitForDiskOk(asId<DiskId>(disk.id), { intervalMs: 10, timeoutMs: 20_000 });
    await client.diskAttachments.create(vm, {
      interface: 'virtio_scsi',
      active: true,
      bootable: false,
      disk: { id: disk.id },
    });
    await client.disks.resize(asId<DiskId>(disk.id), 2 * 1024 ** 3);
    expect(
      (await client.waitForDiskOk(asId<DiskId>(disk.id), { intervalMs: 10, timeoutMs: 20_000 })).provisioned_size,
    ).toBe(2 * 1024 ** 3);
    expect((await client.diskAttachments.list(vm)).map((a) => a.disk?.id)).toContain(disk.id);

    await client.vms.start(vm, { useInitialization: true });
    await client.waitForVmStatus(vm, 'up', { intervalMs: 10, timeoutMs: 20_000 });
    const ips = await pollIps(client, vm);
    expect(ips.length).toBeGreaterThan(0);

    await client.vms.update(vm, { memory: 8 * 1024 ** 3 }, { nextRun: true });
    const running = await client.vms.remove(vm).catch((e: OvirtError) => e);
    expect(OvirtError.is(running, 'conflict') && running.detail).toMatch(/VM is running/);
    await client.vms.stop(vm);
    await client.waitForVmStatus(vm, 'down', { intervalMs: 10, timeoutMs: 20_000 });
    await client.vms.remove(vm);
    expect(await client.vms.tryGet(vm)).toBeUndefined();
  });

  it('manages affinity groups, tags and templates', async () => {
    const cl = asId<ClusterId>(SEED_IDS.cluster);
    const vm = asId<VmId>(
      (await client.vms.create({ name: `aff-${format}`, cluster: { id: cl }, template: { name: 'Blank' } })).id,
    );
    await client.waitForVmStatus(vm, 'down', { intervalMs: 10, timeoutMs: 20_000 });
    const group = await client.affinityGroups.create(cl, {
      name: `g-${format}`,
      priority: 1,
      vms_rule: { enabled: true, positive: false, enforcing: true },
    });
    await client.affinityGroups.addVm(cl, asId(group.id), vm);
    expect((await client.affinityGroups.listVms(cl, asId(group.id))).map((r) => r.id)).toEqual([vm]);
    await client.affinityGroups.removeVm(cl, asId(group.id), vm);
    await client.affinityGroups.remove(cl, asId(group.id));

    const tag = await client.tags.create({ name: `t-${format}` });
    await client.vmTags.assign(vm, { id: tag.id });
    expect((await client.vmTags.list(vm)).map((t) => t.name)).toContain(`t-${format}`);
    await client.vmTags.unassign(vm, asId(tag.id));
    await client.tags.remove(asId(tag.id));

    const template = await client.templates.create({ name: `tpl-${format}`, vm: { id: vm } });
    const ok = await client.waitForTemplateOk(asId<TemplateId>(template.id), { intervalMs: 10, timeoutMs: 20_000 });
    expect(ok.version?.version_number).toBe(1);
    await client.templates.remove(asId<TemplateId>(template.id));
    await client.vms.remove(vm);
  });

  it('logs in again when the simulator expires the token', async () => {
    await client.clusters.list();
    sim.control.expireTokens();
    expect((await client.clusters.list()).length).toBeGreaterThan(0);
  });
});

async function pollIps(client: OvirtClient, vm: VmId): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const ips = await client.reportedDevices.ips(vm);
    if (ips.length) return ips;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

describe('following links', () => {
  it('follows a reference and a sub-collection link, and refuses foreign hrefs', async () => {
    const client = new OvirtClient({ url: sim.url, username: sim.username, password: sim.password, caPem: sim.caPem });
    try {
      const tpl = await client.templates.getByName('rhcos-template');
      const cluster = await client.follow(tpl.cluster, 'cluster', clusterSchema);
      expect(cluster.name).toBe('Default');
      const link = tpl.link?.find((l) => l.rel === 'diskattachments');
      const atts = await client.followList(link?.href, 'disk_attachments', 'disk_attachment', diskAttachmentSchema);
      expect(atts.map((a) => a.disk?.id)).toEqual([SEED_IDS.rhcosDisk]);
      const bad = await client
        .follow({ href: 'https://elsewhere/x' }, 'cluster', clusterSchema)
        .catch((e: unknown) => e);
      expect(OvirtError.is(bad, 'invalid_argument')).toBe(true);
    } finally {
      await client.close();
    }
  });
});

import { SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';

const GiB = 1024 ** 3;
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe('engine-sim disks, attachments, NICs, templates, affinity groups, tags, jobs', () => {
  let sim: EngineSim;
  let client: SimClient;
  beforeAll(async () => {
    sim = await startEngineSim();
    client = await new SimClient(sim).login();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  const newDisk = async (extra = '', sd: string = SEED_IDS.nfsDomain, query = ''): Promise<any> =>
    client.post(
      `/disks${query}`,
      `<disk><name>d</name><provisioned_size>${GiB}</provisioned_size><format>cow</format>${extra}<storage_domains><storage_domain id="${sd}"/></storage_domains></disk>`,
    );

  it('creates a disk locked, then ok, with a finished job under its correlation id', async () => {
    const created = await newDisk('', SEED_IDS.nfsDomain, '?correlation_id=disk_create_abc');
    expect([created.status, created.doc.disk.status]).toEqual([201, 'locked']);
    expect(created.headers.get('correlation-id')).toBe('disk_create_abc');
    const id = created.doc.disk['@id'];
    const jobs = (await client.get('/jobs?search=correlation_id%3Ddisk_create_abc')).doc.jobs;
    expect(arr(jobs.job)).toHaveLength(1);
    expect((await client.get(`/disks/${id}`)).doc.disk.status).toBe('ok');
    expect(arr((await client.get('/jobs?search=correlation_id%3Ddisk_create_abc')).doc.jobs.job)[0].status).toBe(
      'finished',
    );
  });

  it('grows a disk but refuses to shrink it, and refuses raw+sparse on block storage', async () => {
    const id = (await newDisk()).doc.disk['@id'];
    await client.get(`/disks/${id}`);
    const grow = await client.put(`/disks/${id}`, `<disk><provisioned_size>${2 * GiB}</provisioned_size></disk>`);
    expect([grow.status, grow.doc.disk.provisioned_size]).toEqual([200, 2 * GiB]);
    await client.get(`/disks/${id}`);
    const shrink = await client.put(`/disks/${id}`, `<disk><provisioned_size>${GiB}</provisioned_size></disk>`);
    expect([shrink.status, shrink.doc.fault.detail]).toEqual([
      400,
      '[Cannot edit Virtual Disk. New disk size must be larger than the current disk size.]',
    ]);
    const raw = await client.post(
      '/disks',
      `<disk><provisioned_size>${GiB}</provisioned_size><format>raw</format><sparse>true</sparse><storage_domains><storage_domain id="${SEED_IDS.blockDomain}"/></storage_domains></disk>`,
    );
    expect(raw.status).toBe(400);
    expect(raw.doc.fault.detail).toContain(
      'Disk configuration (RAW Sparse) is incompatible with the storage domain type.',
    );
    const missing = await client.post('/disks', `<disk><provisioned_size>${GiB}</provisioned_size></disk>`);
    expect([missing.status, missing.doc.fault.reason]).toEqual([400, 'Incomplete parameters']);
  });

  it('answers a disk kept locked with 409 "Disk is locked"', async () => {
    const id = (await newDisk()).doc.disk['@id'];
    sim.control.lock(id);
    const deleted = await client.del(`/disks/${id}`);
    const updated = await client.put(`/disks/${id}`, `<disk><provisioned_size>${2 * GiB}</provisioned_size></disk>`);
    expect(updated.doc.fault.detail).toBe('[Cannot edit Virtual Disk: Disk is locked. Please try again later.]');
    sim.control.unlock(id);
    expect([deleted.status, deleted.doc.fault.detail]).toEqual([
      409,
      '[Cannot remove Virtual Disk: Disk is locked. Please try again later.]',
    ]);
    expect((await client.del(`/disks/${id}`)).status).toBe(200);
  });

  it('attaches, resizes through and detaches a disk; attachment id is the disk id', async () => {
    const vm = await client.createVm('attach-vm', '', 'Blank');
    const disk = (await newDisk()).doc.disk['@id'];
    await client.get(`/disks/${disk}`);
    const attached = await client.post(
      `/vms/${vm}/diskattachments`,
      `<disk_attachment><bootable>true</bootable><interface>virtio_scsi</interface><active>true</active><disk id="${disk}"/></disk_attachment>`,
    );
    expect([attached.status, attached.doc.disk_attachment['@id']]).toEqual([201, disk]);
    const updated = await client.put(
      `/vms/${vm}/diskattachments/${disk}`,
      `<disk_attachment><disk><provisioned_size>${3 * GiB}</provisioned_size></disk></disk_attachment>`,
    );
    expect(updated.status).toBe(200);
    expect((await client.get(`/disks/${disk}`)).doc.disk.provisioned_size).toBe(3 * GiB);
    expect((await client.del(`/vms/${vm}/diskattachments/${disk}`)).status).toBe(200);
    expect((await client.get(`/disks/${disk}`)).status).toBe(200);
    expect((await client.get(`/vms/${vm}/diskattachments/${disk}`)).status).toBe(404);
  });

  it('allocates NIC MACs from the pool, accepts a given one, refuses a duplicate', async () => {
    const vm = await client.createVm('nic-vm', '', 'Blank');
    const n1 = await client.post(
      `/vms/${vm}/nics`,
      `<nic><name>nic1</name><interface>virtio</interface><vnic_profile id="${SEED_IDS.vnicProfile}"/></nic>`,
    );
    expect(n1.status).toBe(201);
    expect(n1.doc.nic.mac.address).toMatch(/^56:6f:5a:1e:[0-9a-f]{2}:[0-9a-f]{2}$/);
    const n2 = await client.post(
      `/vms/${vm}/nics`,
      '<nic><name>nic2</name><mac><address>02:00:00:00:00:01</address></mac></nic>',
    );
    expect(n2.doc.nic.mac.address).toBe('02:00:00:00:00:01');
    const dup = await client.post(
      `/vms/${vm}/nics`,
      '<nic><name>nic3</name><mac><address>02:00:00:00:00:01</address></mac></nic>',
    );
    expect(dup.status).toBe(409);
    const bad = await client.post(`/vms/${vm}/nics`, '<nic><name>nic4</name><interface>bogus</interface></nic>');
    expect([bad.status, bad.doc.fault.reason]).toEqual([400, 'Invalid Enum value']);
    expect(arr((await client.get(`/vms/${vm}/nics`)).doc.nics.nic)).toHaveLength(2);
  });

  it('makes a template from a down VM (locked -> ok, VM image_locked meanwhile) and refuses removal while used', async () => {
    const vm = await client.createVm('tpl-src');
    await client.get(`/vms/${vm}`);
    const created = await client.post('/templates', `<template><name>tpl1</name><vm id="${vm}"/></template>`);
    expect([created.status, created.doc.template.status]).toEqual([201, 'locked']);
    const tid = created.doc.template['@id'];
    expect((await client.get(`/vms/${vm}`)).doc.vm.status).toBe('down');
    const tpl = (await client.get(`/templates/${tid}`)).doc.template;
    expect([tpl.status, tpl.version.version_number, tpl.version.version_name]).toEqual(['ok', 1, 'base version']);
    expect(
      arr((await client.get(`/templates/${tid}/diskattachments`)).doc.disk_attachments.disk_attachment),
    ).toHaveLength(1);
    const dup = await client.post('/templates', `<template><name>tpl1</name><vm id="${vm}"/></template>`);
    expect(dup.status).toBe(409);
    const child = await client.createVm('from-tpl1', '', 'tpl1');
    const rm = await client.del(`/templates/${tid}`);
    expect([rm.status, rm.doc.fault.detail]).toEqual([
      409,
      '[Cannot delete Template. Template is being used by the following VMs: from-tpl1.]',
    ]);
    await client.get(`/vms/${child}`);
    expect((await client.del(`/vms/${child}`)).status).toBe(200);
    expect((await client.del(`/templates/${tid}`)).status).toBe(200);
  });

  it('manages affinity groups and membership, with enforcing host rules used when starting', async () => {
    const base = `/clusters/${SEED_IDS.cluster}/affinitygroups`;
    const created = await client.post(
      base,
      '<affinity_group><name>ag1</name><hosts_rule><enforcing>true</enforcing><positive>true</positive></hosts_rule><vms_rule><enabled>false</enabled></vms_rule></affinity_group>',
    );
    expect(created.status).toBe(201);
    const gid = created.doc.affinity_group['@id'];
    expect((await client.post(base, '<affinity_group><name>ag1</name></affinity_group>')).doc.fault.detail).toBe(
      '[Cannot add Affinity Group. Affinity Group name already exists.]',
    );
    const vm = await client.createVm('ag-vm');
    expect((await client.post(`${base}/${gid}/vms`, `<vm id="${vm}"/>`)).status).toBe(201);
    expect((await client.post(`${base}/${gid}/hosts`, `<host id="${SEED_IDS.hosts[2]}"/>`)).status).toBe(201);
    expect((await client.post(`${base}/${gid}/vms`, `<vm id="${vm}"/>`)).status).toBe(409);
    expect(arr((await client.get(`${base}/${gid}/vms`)).doc.vms.vm)[0]['@id']).toBe(vm);
    await client.post(`/vms/${vm}/start`);
    expect((await client.get(`/vms/${vm}`)).doc.vm.host['@id']).toBe(SEED_IDS.hosts[2]);
    expect((await client.del(`${base}/${gid}/vms/${vm}`)).status).toBe(200);
    expect((await client.get(`${base}/${gid}/vms`)).doc.vms).toBe('');
    expect((await client.del(`${base}/${gid}`)).status).toBe(200);
  });

  it('creates tags, tags VMs by id and name, and searches by tag', async () => {
    const created = await client.post('/tags', '<tag><name>blue</name></tag>');
    expect(created.status).toBe(201);
    expect((await client.post('/tags', '<tag><name>blue</name></tag>')).doc.fault.detail).toBe(
      '[The specified Tag name already exists.]',
    );
    const vm = await client.createVm('tagged', '', 'Blank');
    expect((await client.post(`/vms/${vm}/tags`, '<tag><name>blue</name></tag>')).status).toBe(201);
    expect(arr((await client.get(`/vms/${vm}/tags`)).doc.tags.tag)[0].name).toBe('blue');
    expect(arr((await client.get('/vms?search=tag%3Dblue')).doc.vms.vm)).toHaveLength(1);
    expect((await client.del(`/vms/${vm}/tags/${created.doc.tag['@id']}`)).status).toBe(200);
    expect((await client.get(`/vms/${vm}/tags`)).doc.tags).toBe('');
  });

  it('lists the seed inventory and the API root', async () => {
    const root = (await client.get('')).doc.api;
    expect(root.product_info.name).toBe('oVirt Engine');
    expect(root.product_info.version.major).toBe(4);
    expect(root.special_objects.blank_template['@id']).toBe(SEED_IDS.blankTemplate);
    expect(arr((await client.get('/hosts')).doc.hosts.host)).toHaveLength(3);
    expect(
      arr((await client.get(`/datacenters/${SEED_IDS.datacenter}/storagedomains`)).doc.storage_domains.storage_domain),
    ).toHaveLength(2);
    expect(arr((await client.get('/vnicprofiles')).doc.vnic_profiles.vnic_profile)[0].name).toBe('ovirtmgmt');
    expect(arr((await client.get('/networks?search=name%3DOVIRTMGMT')).doc.networks.network)).toHaveLength(1);
  });
});

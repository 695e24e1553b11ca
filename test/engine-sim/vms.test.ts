import { ManualClock, SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';

const status = (d: any): string => d.vm.status;

describe('engine-sim VMs (delays none)', () => {
  let sim: EngineSim;
  let client: SimClient;
  beforeAll(async () => {
    sim = await startEngineSim({ seed: 7 });
    client = await new SimClient(sim).login();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it('creates from a template: 201 + Location, image_locked, then down on the next poll, with a copied disk', async () => {
    const created = await client.post(
      '/vms',
      '<vm><name>web1</name><cluster><name>Default</name></cluster><template><name>rhcos-template</name></template></vm>',
    );
    expect(created.status).toBe(201);
    const id = created.doc.vm['@id'];
    expect(created.headers.get('location')).toBe(`${sim.url}/vms/${id}`);
    expect(created.doc.vm.status).toBe('image_locked');
    expect(status((await client.get(`/vms/${id}`)).doc)).toBe('down');
    const atts = (await client.get(`/vms/${id}/diskattachments`)).doc.disk_attachments.disk_attachment;
    expect(atts['@id']).not.toBe(SEED_IDS.rhcosDisk);
    expect(atts.bootable).toBe(true);
    const disk = (await client.get(`/disks/${atts['@id']}`)).doc.disk;
    expect([disk.status, disk.format, disk.provisioned_size]).toEqual(['ok', 'cow', 16 * 1024 ** 3]);
  });

  it('applies requested settings over the template', async () => {
    const id = await client.createVm(
      'custom',
      `<memory>4294967296</memory><cpu><mode>host_passthrough</mode><topology><sockets>2</sockets><cores>2</cores><threads>1</threads></topology></cpu>
      <os><type>rhcos_x64</type><boot><devices><device>network</device><device>hd</device></devices></boot></os><type>high_performance</type>
      <high_availability><enabled>true</enabled><priority>50</priority></high_availability><console><enabled>true</enabled></console><soundcard_enabled>true</soundcard_enabled>
      <custom_properties><custom_property><name>hugepages</name><value>1048576</value></custom_property></custom_properties>
      <placement_policy><affinity>pinned</affinity><hosts><host id="${SEED_IDS.hosts[1]}"/></hosts></placement_policy>
      <initialization><host_name>custom.example.com</host_name><custom_script>#cloud-config</custom_script><nic_configurations><nic_configuration><name>eth0</name><boot_protocol>static</boot_protocol><ip><address>192.0.2.5</address><netmask>255.255.255.0</netmask></ip></nic_configuration></nic_configurations></initialization>`,
    );
    const vm = (await client.get(`/vms/${id}`)).doc.vm;
    expect(vm.memory).toBe(4294967296);
    expect(vm.memory_policy.guaranteed).toBe(4294967296);
    expect(vm.cpu.topology).toEqual({ sockets: 2, cores: 2, threads: 1 });
    expect(vm.cpu.mode).toBe('host_passthrough');
    expect(vm.os.boot.devices.device).toEqual(['network', 'hd']);
    expect(vm.initialization.nic_configurations.nic_configuration.ip.address).toBe('192.0.2.5');
    expect(vm.placement_policy.hosts.host['@id']).toBe(SEED_IDS.hosts[1]);
    expect(vm.custom_properties.custom_property.value).toBe(1048576);
    expect(vm.console).toBeUndefined();
    const all = (await client.get(`/vms/${id}?all_content=true`)).doc.vm;
    expect([all.console.enabled, all.soundcard_enabled]).toEqual([true, true]);
  });

  it('embeds followed links and honours the All-Content header', async () => {
    const id = await client.createVm('followed');
    await client.post(`/vms/${id}/nics`, '<nic><name>nic1</name></nic>');
    const vm = (await client.get(`/vms/${id}?follow=disk_attachments.disk,nics`)).doc.vm;
    expect(vm.disk_attachments.disk_attachment.disk.provisioned_size).toBe(16 * 1024 ** 3);
    expect(vm.nics.nic.name).toBe('nic1');
    const all = (await client.req('GET', `/vms/${id}`, undefined, { headers: { 'all-content': 'true' } })).doc.vm;
    expect(all.console).toBeDefined();
  });

  it("keeps text verbatim (a script's trailing newline) while ignoring indentation", async () => {
    const id = await client.createVm(
      'verbatim',
      `
      <initialization>
        <custom_script>#cloud-config\nruncmd:\n  - echo hi\n</custom_script>
      </initialization>`,
      'Blank',
    );
    const init = (await client.get(`/vms/${id}`, { json: true })).doc.initialization;
    expect(init.custom_script).toBe('#cloud-config\nruncmd:\n  - echo hi\n');
  });

  it('refuses a duplicate name (409), missing fields (400) and a malformed body (400)', async () => {
    await client.createVm('dup');
    const duplicate = await client.post(
      '/vms',
      '<vm><name>dup</name><cluster><name>Default</name></cluster><template><name>Blank</name></template></vm>',
    );
    expect([duplicate.status, duplicate.doc.fault.detail]).toEqual([
      409,
      '[Cannot add VM. The VM name is already in use, please choose a unique name and try again.]',
    ]);
    const nameless = await client.post(
      '/vms',
      '<vm><cluster><name>Default</name></cluster><template><name>Blank</name></template></vm>',
    );
    expect([nameless.status, nameless.doc.fault.reason, nameless.doc.fault.detail]).toEqual([
      400,
      'Incomplete parameters',
      'Vm [name] required for add',
    ]);
    const malformed = await client.post('/vms', '<vm><name>x</name');
    expect([malformed.status, malformed.doc.fault.reason]).toEqual([400, 'Request syntactically incorrect.']);
    const wrongRoot = await client.post('/vms', '<disk><name>x</name></disk>');
    expect(wrongRoot.status).toBe(400);
  });

  it('checks memory: guaranteed above memory is refused, max grows with memory', async () => {
    const bad = await client.post(
      '/vms',
      '<vm><name>mem</name><cluster><name>Default</name></cluster><template><name>Blank</name></template><memory>1073741824</memory><memory_policy><guaranteed>2147483648</guaranteed></memory_policy></vm>',
    );
    expect([bad.status, bad.doc.fault.detail]).toEqual([
      400,
      '[Cannot add VM. Physical Memory Guaranteed cannot exceed Memory Size.]',
    ]);
    const id = await client.createVm('mem', '<memory>17179869184</memory>', 'Blank');
    const vm = (await client.get(`/vms/${id}`)).doc.vm;
    expect(vm.memory_policy).toMatchObject({ guaranteed: 17179869184, max: 4 * 17179869184 });
  });

  it('answers an unknown id with 404 and an empty body', async () => {
    const answer = await client.get('/vms/5a1e0000-0000-4000-8000-00000000beef');
    expect([answer.status, answer.text]).toEqual([404, '']);
    const bad = await client.get('/vms/not-a-uuid');
    expect([bad.status, bad.doc.fault.reason]).toEqual([400, 'Operation failed']);
  });

  it('searches names case-insensitively with * wildcards', async () => {
    await client.createVm('Search-Alpha', '', 'Blank');
    await client.createVm('search-beta', '', 'Blank');
    const count = async (search: string): Promise<number> => {
      const found = (await client.get(`/vms?search=${encodeURIComponent(search)}`)).doc.vms;
      return found.vm === undefined ? 0 : Array.isArray(found.vm) ? found.vm.length : 1;
    };
    expect(await count('name=search-alpha')).toBe(1);
    expect(await count('name=SEARCH-*')).toBe(2);
    expect(await count('name="search-b*"')).toBe(1);
    expect(await count('name=nothing*')).toBe(0);
  });

  it('runs start/shutdown/stop/reboot and refuses illegal transitions with the engine texts', async () => {
    const id = await client.createVm('runner');
    expect((await client.post(`/vms/${id}/start`)).status).toBe(200);
    await client.until(`/vms/${id}`, status, 'up');
    const again = await client.post(`/vms/${id}/start`);
    expect([again.status, again.doc.action.status, again.doc.action.fault.detail]).toEqual([
      409,
      'failed',
      '[Cannot run VM. VM is running.]',
    ]);
    const rm = await client.del(`/vms/${id}`);
    expect([rm.status, rm.doc.fault.detail]).toEqual([409, '[Cannot remove VM. VM is running.]']);
    const dev = (await client.get(`/vms/${id}/reporteddevices`)).doc.reported_devices;
    expect(dev).toBe('');
    expect((await client.post(`/vms/${id}/reboot`)).status).toBe(200);
    await client.until(`/vms/${id}`, status, 'up');
    expect((await client.post(`/vms/${id}/shutdown`)).status).toBe(200);
    await client.until(`/vms/${id}`, status, 'down');
    const stop = await client.post(`/vms/${id}/stop`);
    expect([stop.status, stop.doc.action.fault.detail]).toEqual([409, '[Cannot stop VM. VM is not running.]']);
    expect((await client.del(`/vms/${id}`)).status).toBe(200);
    expect((await client.get(`/vms/${id}`)).status).toBe(404);
  });

  it('refuses to start a VM without a bootable disk', async () => {
    const id = await client.createVm('diskless', '', 'Blank');
    const answer = await client.post(`/vms/${id}/start`);
    expect(answer.status).toBe(409);
    expect(answer.doc.action.fault.detail).toContain('Cannot run VM without at least one bootable disk.');
  });

  it('starts a diskless VM that boots from the network', async () => {
    const id = await client.createVm(
      'pxe-only',
      '<os><boot><devices><device>network</device></devices></boot></os>',
      'Blank',
    );
    const answer = await client.post(`/vms/${id}/start`);
    expect(answer.status).toBe(200);
  });

  it('answers 409 "VM is locked" for a VM locked by the operator', async () => {
    const id = await client.createVm('locked');
    sim.control.lock(id);
    const answer = await client.put(`/vms/${id}`, '<vm><description>x</description></vm>');
    expect([answer.status, answer.doc.fault.detail]).toEqual([
      409,
      '[Cannot edit VM: VM is locked. Please try again in a few minutes.]',
    ]);
    sim.control.unlock(id);
    expect((await client.put(`/vms/${id}`, '<vm><description>x</description></vm>')).status).toBe(200);
  });

  it('keeps next_run changes until the VM goes down', async () => {
    const id = await client.createVm('nextrun');
    await client.post(`/vms/${id}/start`);
    await client.until(`/vms/${id}`, status, 'up');
    const updated = await client.put(`/vms/${id}?next_run=true`, '<vm><memory>2147483648</memory></vm>');
    expect([updated.status, updated.doc.vm.memory]).toEqual([200, 2147483648]);
    const now = (await client.get(`/vms/${id}`)).doc.vm;
    expect([now.memory, now.next_run_configuration_exists]).toEqual([16 * 1024 ** 3, true]);
    expect((await client.get(`/vms/${id};next_run`)).doc.vm.memory).toBe(2147483648);
    await client.post(`/vms/${id}/stop`);
    await client.until(`/vms/${id}`, status, 'down');
    const after = (await client.get(`/vms/${id}`)).doc.vm;
    expect([after.memory, after.next_run_configuration_exists]).toEqual([2147483648, false]);
  });

  it('honours disk overrides and refuses raw+sparse on block storage', async () => {
    const bad = await client.post(
      '/vms',
      `<vm><name>rawsparse</name><cluster><name>Default</name></cluster><template><name>rhcos-template</name></template>
      <disk_attachments><disk_attachment><disk id="${SEED_IDS.rhcosDisk}"><format>raw</format><sparse>true</sparse><storage_domains><storage_domain id="${SEED_IDS.blockDomain}"/></storage_domains></disk></disk_attachment></disk_attachments></vm>`,
    );
    expect(bad.status).toBe(400);
    expect(bad.doc.fault.detail).toContain('is incompatible with the storage domain type.');
    const id = await client.createVm(
      'rawthick',
      `<disk_attachments><disk_attachment><disk id="${SEED_IDS.rhcosDisk}"><format>raw</format><sparse>false</sparse><storage_domains><storage_domain id="${SEED_IDS.blockDomain}"/></storage_domains></disk></disk_attachment></disk_attachments>`,
      'rhcos-template',
      '?clone=true',
    );
    const vm = (await client.get(`/vms/${id}`)).doc.vm;
    expect([vm.template['@id'], vm.original_template['@id']]).toEqual([SEED_IDS.blankTemplate, SEED_IDS.rhcosTemplate]);
    const att = (await client.get(`/vms/${id}/diskattachments`)).doc.disk_attachments.disk_attachment;
    const disk = (await client.get(`/disks/${att['@id']}`)).doc.disk;
    expect([disk.format, disk.sparse, disk.storage_domains.storage_domain['@id']]).toEqual([
      'raw',
      false,
      SEED_IDS.blockDomain,
    ]);
  });

  it('speaks JSON with string booleans and integers', async () => {
    const answer = await client.req('POST', '/vms', {
      name: 'jsonvm',
      cluster: { id: SEED_IDS.cluster },
      template: { id: SEED_IDS.blankTemplate },
    });
    expect(answer.status).toBe(201);
    const vm = (await client.get(`/vms/${answer.doc.id}`, { json: true })).doc;
    expect(vm.memory).toBe(String(1024 ** 3));
    expect(vm.delete_protected).toBe('false');
    expect(typeof vm.creation_time).toBe('number');
    expect(Array.isArray(vm.link)).toBe(true);
    const list = (await client.get('/vms?search=name%3Djsonvm', { json: true })).doc;
    expect(list.vm).toHaveLength(1);
  });
});

describe('engine-sim VM state machine on a manual clock', () => {
  it('steps down -> wait_for_launch -> powering_up -> up -> IPs, and up -> powering_down -> down', async () => {
    const clock = new ManualClock();
    const sim = await startEngineSim({ clock, delays: 'fast' });
    const client = await new SimClient(sim).login();
    try {
      const id = await client.createVm('stepper');
      expect(status((await client.get(`/vms/${id}`)).doc)).toBe('image_locked');
      clock.advance(1000);
      expect((await client.post(`/vms/${id}/nics`, '<nic><name>nic1</name></nic>')).status).toBe(201);
      expect((await client.post(`/vms/${id}/start`)).status).toBe(200);
      const seen: string[] = [];
      for (let i = 0; i < 20 && seen[seen.length - 1] !== 'up'; i++) {
        seen.push(status((await client.get(`/vms/${id}`)).doc));
        clock.advance(30);
      }
      expect(seen[0]).toBe('wait_for_launch');
      expect(seen).toContain('powering_up');
      expect(seen[seen.length - 1]).toBe('up');
      expect((await client.get(`/vms/${id}/reporteddevices`)).doc.reported_devices).toBe('');
      clock.advance(300);
      const dev = (await client.get(`/vms/${id}/reporteddevices`)).doc.reported_devices.reported_device;
      expect(dev.ips.ip[0].address).toMatch(/^10\.88\.0\./);
      expect(dev.mac.address).toMatch(/^56:6f:/);
      await client.post(`/vms/${id}/shutdown`);
      expect(status((await client.get(`/vms/${id}`)).doc)).toBe('powering_down');
      clock.advance(200);
      expect(status((await client.get(`/vms/${id}`)).doc)).toBe('down');
    } finally {
      await client.close();
      await sim.stop();
    }
  });
});

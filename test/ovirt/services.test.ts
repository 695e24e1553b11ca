/** What each service puts on the wire, and the waiters. */
import {
  OvirtClient,
  OvirtError,
  asId,
  type AffinityGroupId,
  type ClusterId,
  type DiskId,
  type GraphicsConsoleId,
  type TagId,
  type TemplateId,
  type VmId,
} from '../../src/ovirt';
import { startFakeEngine, type FakeEngine, type SeenRequest } from './support/fake-engine';
import { makeTestPki, type TestPki } from './support/tls';
import { ACTION_OK, vmXml } from './support/bodies';
import { nth } from '../support/nth';

let pki: TestPki;
let engine: FakeEngine;
let client: OvirtClient;
const VM = asId<VmId>('vm-1');
const CL = asId<ClusterId>('cl-1');

beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.cleanup());
beforeEach(async () => {
  engine = await startFakeEngine(pki);
  client = new OvirtClient({
    url: engine.url,
    username: 'admin@internal',
    password: 'secret',
    caPem: pki.caPem,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
  });
});
afterEach(async () => {
  await client.close();
  await engine.close();
});

/** Answers every request with `body` and returns the recorded request list. */
function answerAll(body: string, status = 200): SeenRequest[] {
  engine.routes.set('*', () => ({ status, body }));
  return engine.requests;
}

describe('VMs', () => {
  it('creates from a template with clone, disk overrides, initialization and topology', async () => {
    const seen = answerAll(vmXml(VM, 'web', 'image_locked'), 201);
    const vm = await client.vms.create(
      {
        name: 'web',
        cluster: { id: CL },
        template: { id: 'tpl' },
        memory: 4294967296,
        memory_policy: { guaranteed: 2147483648, max: 8589934592, ballooning: true },
        cpu: { mode: 'host_passthrough', topology: { sockets: 2, cores: 2, threads: 1 } },
        os: { type: 'rhcos_x64', boot: { devices: ['network', 'hd'] } },
        placement_policy: { affinity: 'pinned', hosts: [{ id: 'h1' }] },
        initialization: { host_name: 'web', authorized_ssh_keys: 'ssh-ed25519 AAA', custom_script: '#cloud-config\n' },
        disk_attachments: [{ disk: { id: 'td1', format: 'raw', sparse: false, storage_domains: [{ id: 'sd1' }] } }],
      },
      { clone: true },
    );
    expect(vm.status).toBe('image_locked');
    const request = nth(seen, 0);
    expect(`${request.method} ${request.path}`).toBe('POST /vms');
    expect(request.query.get('clone')).toBe('true');
    expect(request.headers['content-type']).toBe('application/xml');
    expect(request.body).toContain('<cluster id="cl-1"/><template id="tpl"/><memory>4294967296</memory>');
    expect(request.body).toContain(
      '<memory_policy><guaranteed>2147483648</guaranteed><max>8589934592</max><ballooning>true</ballooning></memory_policy>',
    );
    expect(request.body).toContain('<cpu><mode>host_passthrough</mode><topology><sockets>2</sockets>');
    expect(request.body).toContain('<boot><devices><device>network</device><device>hd</device></devices></boot>');
    expect(request.body).toContain(
      '<placement_policy><affinity>pinned</affinity><hosts><host id="h1"/></hosts></placement_policy>',
    );
    expect(request.body).toContain('<disk_attachments><disk_attachment><disk id="td1">');
  });

  it('updates with next_run, removes with detach_only, starts with an initialization override', async () => {
    const seen = answerAll(vmXml(VM, 'web'));
    await client.vms.update(VM, { memory: 1024 }, { nextRun: true });
    engine.routes.set('*', () => ({ body: ACTION_OK }));
    await client.vms.start(VM, {
      useCloudInit: true,
      initialization: { host_name: 'h', nic_configurations: [{ name: 'eth0', boot_protocol: 'dhcp' }] },
    });
    await client.vms.stop(VM, { force: true });
    await client.vms.shutdown(VM);
    await client.vms.reboot(VM);
    await client.vms.remove(VM, { detachOnly: true });
    expect(seen.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `PUT /vms/${VM}?next_run=true`,
      `POST /vms/${VM}/start?`,
      `POST /vms/${VM}/stop?`,
      `POST /vms/${VM}/shutdown?`,
      `POST /vms/${VM}/reboot?`,
      `DELETE /vms/${VM}?detach_only=true`,
    ]);
    expect(nth(seen, 1).body).toBe(
      '<action><use_cloud_init>true</use_cloud_init><vm><initialization><host_name>h</host_name>' +
        '<nic_configurations><nic_configuration><name>eth0</name><boot_protocol>dhcp</boot_protocol></nic_configuration></nic_configurations></initialization></vm></action>',
    );
    expect(nth(seen, 2).body).toBe('<action><force>true</force></action>');
  });

  it('waits image_locked -> down with backoff, and times out naming the last status', async () => {
    const statuses = ['image_locked', 'image_locked', 'down'];
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'web', statuses.shift() ?? 'down') }));
    const vm = await client.waitForVmStatus(VM, 'down', { intervalMs: 5 });
    expect(vm.status).toBe('down');
    expect(engine.requests.length).toBe(3);
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'web', 'powering_up') }));
    const err = await client.waitForVmStatus(VM, 'up', { intervalMs: 5, timeoutMs: 60 }).catch((e: unknown) => e);
    expect(OvirtError.is(err, 'timeout') && err.message).toMatch(
      /waiting for VM vm-1 to be up \(last seen: status powering_up\)/,
    );
  });

  it('stops waiting when aborted', async () => {
    engine.routes.set(`GET /vms/${VM}`, () => ({ body: vmXml(VM, 'web', 'powering_up') }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 40);
    const err = await client.waitForVmStatus(VM, 'up', { intervalMs: 10, signal: ac.signal }).catch((e: unknown) => e);
    expect(OvirtError.is(err, 'aborted')).toBe(true);
  });

  it('reads guest IPs from reported devices', async () => {
    engine.routes.set(`GET /vms/${VM}/reporteddevices`, () => ({
      body: '<reported_devices><reported_device id="r1"><name>eth0</name><ips><ip><address>10.0.0.5</address><version>v4</version></ip><ip><address>fe80::1</address><version>v6</version></ip></ips><type>network</type></reported_device></reported_devices>',
    }));
    expect(await client.reportedDevices.ips(VM)).toEqual(['10.0.0.5', 'fe80::1']);
    expect(await client.reportedDevices.ips(VM, { version: 'v4' })).toEqual(['10.0.0.5']);
  });
});

describe('disks, templates, attachments, NICs', () => {
  it('grows a disk with PUT provisioned_size and waits for ok; illegal is an error', async () => {
    const states = ['locked', 'ok'];
    engine.routes.set('PUT /disks/d1', () => ({
      body: '<disk id="d1"><status>locked</status><provisioned_size>2048</provisioned_size></disk>',
    }));
    engine.routes.set('GET /disks/d1', () => ({
      body: `<disk id="d1"><status>${states.shift() ?? 'illegal'}</status></disk>`,
    }));
    const diskId = asId<DiskId>('d1');
    expect((await client.disks.resize(diskId, 2048)).provisioned_size).toBe(2048);
    expect(nth(engine.requests, 0).body).toBe('<disk><provisioned_size>2048</provisioned_size></disk>');
    expect((await client.waitForDiskOk(diskId, { intervalMs: 1 })).status).toBe('ok');
    expect(await client.waitForDiskOk(diskId, { intervalMs: 1 }).catch((e: OvirtError) => e.code)).toBe('conflict');
  });

  it('creates a sealed template version from a VM', async () => {
    const seen = answerAll(
      '<template id="t2"><name>base</name><status>locked</status><version><version_name>v2</version_name><version_number>2</version_number><base_template id="t1"/></version></template>',
      202,
    );
    const template = await client.templates.create(
      { name: 'base', vm: { id: VM }, version: { base_template: { id: 't1' }, version_name: 'v2' } },
      { seal: true },
    );
    expect(template.version).toEqual({ version_name: 'v2', version_number: 2, base_template: { id: 't1' } });
    expect(nth(seen, 0).query.get('seal')).toBe('true');
    expect(nth(seen, 0).body).toBe(
      '<template><name>base</name><vm id="vm-1"/><version><base_template id="t1"/><version_name>v2</version_name></version></template>',
    );
    expect(asId<TemplateId>(template.id)).toBe('t2');
  });

  it('finds the newest or a given version of a template that has sub-versions', async () => {
    const templateXml = (id: string, n: number) =>
      `<template id="${id}"><name>base</name><version><version_number>${n}</version_number></version></template>`;
    engine.routes.set('GET /templates', () => ({
      body: `<templates>${templateXml('a', 1)}${templateXml('c', 3)}${templateXml('b', 2)}</templates>`,
    }));
    expect((await client.templates.findVersion('base'))?.id).toBe('c');
    expect((await client.templates.findVersion('base', 2))?.id).toBe('b');
    expect(await client.templates.findVersion('base', 9)).toBeUndefined();
    expect(await client.templates.findByName('base').catch((e: OvirtError) => e)).toMatchObject({ code: 'multiple' });
  });

  it('attaches, grows and detaches a disk, adds a NIC', async () => {
    const seen = answerAll(
      '<disk_attachment id="d1"><bootable>true</bootable><interface>virtio_scsi</interface><disk id="d1"/></disk_attachment>',
      201,
    );
    await client.diskAttachments.create(VM, {
      interface: 'virtio_scsi',
      bootable: true,
      active: true,
      disk: { id: 'd1' },
    });
    await client.diskAttachments.update(VM, asId('d1'), { disk: { provisioned_size: 10 } });
    await client.diskAttachments.remove(VM, asId('d1'), { detachOnly: false });
    engine.routes.set('*', () => ({
      status: 201,
      body: '<nic id="n1"><name>nic1</name><interface>virtio</interface><vnic_profile id="p1"/></nic>',
    }));
    const nic = await client.vmNics.create(VM, { name: 'nic1', interface: 'virtio', vnic_profile: { id: 'p1' } });
    expect(nic.vnic_profile?.id).toBe('p1');
    expect(seen.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `POST /vms/${VM}/diskattachments?`,
      `PUT /vms/${VM}/diskattachments/d1?`,
      `DELETE /vms/${VM}/diskattachments/d1?detach_only=false`,
      `POST /vms/${VM}/nics?`,
    ]);
    expect(nth(seen, 1).body).toBe(
      '<disk_attachment><disk><provisioned_size>10</provisioned_size></disk></disk_attachment>',
    );
  });
});

describe('affinity groups and tags', () => {
  it('creates a group with rules and manages VM and host members', async () => {
    const groupId = asId<AffinityGroupId>('g1');
    const seen = answerAll(
      '<affinity_group id="g1"><name>spread</name><priority>5.5</priority><vms_rule><enabled>true</enabled><positive>false</positive><enforcing>true</enforcing></vms_rule></affinity_group>',
      201,
    );
    const group = await client.affinityGroups.create(CL, {
      name: 'spread',
      priority: 5.5,
      vms_rule: { enabled: true, positive: false, enforcing: true },
      hosts_rule: { enabled: false },
    });
    expect(group).toMatchObject({ priority: 5.5, vms_rule: { enforcing: true, positive: false } });
    engine.routes.set('*', () => ({ status: 201, body: `<vm id="${VM}"/>` }));
    await client.affinityGroups.addVm(CL, groupId, VM);
    engine.routes.set('*', () => ({ status: 201, body: '<host id="h1"/>' }));
    await client.affinityGroups.addHost(CL, groupId, asId('h1'));
    engine.routes.set('*', () => ({ body: ACTION_OK }));
    await client.affinityGroups.removeVm(CL, groupId, VM);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /clusters/cl-1/affinitygroups',
      'POST /clusters/cl-1/affinitygroups/g1/vms',
      'POST /clusters/cl-1/affinitygroups/g1/hosts',
      `DELETE /clusters/cl-1/affinitygroups/g1/vms/${VM}`,
    ]);
    expect(nth(seen, 0).body).toContain(
      '<vms_rule><enabled>true</enabled><positive>false</positive><enforcing>true</enforcing></vms_rule><hosts_rule><enabled>false</enabled></hosts_rule>',
    );
    expect(nth(seen, 1).body).toBe(`<vm id="${VM}"/>`);
  });

  it('creates a tag, assigns it to a VM by name and unassigns it', async () => {
    const seen = answerAll(
      '<tag id="t1"><name>prod</name><parent id="00000000-0000-0000-0000-000000000000"/></tag>',
      201,
    );
    const tag = await client.tags.create({ name: 'prod' });
    await client.vmTags.assign(VM, { name: 'prod' });
    await client.vmTags.unassign(VM, asId<TagId>(tag.id));
    expect(seen.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
      'POST /tags <tag><name>prod</name></tag>',
      `POST /vms/${VM}/tags <tag><name>prod</name></tag>`,
      `DELETE /vms/${VM}/tags/t1 `,
    ]);
  });
});

describe('graphics consoles', () => {
  it('lists, adds by protocol and removes by id', async () => {
    const seen = answerAll('<graphics_console id="766e63"><protocol>vnc</protocol></graphics_console>', 201);
    const added = await client.graphicsConsoles.add(VM, 'vnc');
    expect(added).toMatchObject({ id: '766e63', protocol: 'vnc' });
    await client.graphicsConsoles.remove(VM, asId<GraphicsConsoleId>(added.id));
    expect(seen.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
      `POST /vms/${VM}/graphicsconsoles <graphics_console><protocol>vnc</protocol></graphics_console>`,
      `DELETE /vms/${VM}/graphicsconsoles/766e63 `,
    ]);
  });
});

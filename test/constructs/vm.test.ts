import { TerraformVariable, Testing } from 'cdktf';
import { OvirtDisk, OvirtTemplate, OvirtVm, ValidationError, l1 } from '../../constructs';
import { BOOTSTRAP_IGN, stackWithServer, synthJson } from './helpers';

Testing.setupJest();

function vmStack() {
  return stackWithServer().stack;
}

function propOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (ValidationError.is(err)) return err.prop;
    throw err;
  }
  return undefined;
}

describe('OvirtVm', () => {
  it('creates the VM, disks, attachments, NICs and start, with memory in bytes', () => {
    const stack = vmStack();
    new OvirtVm(stack, 'web', {
      name: 'web-1',
      cluster: { name: 'Default' },
      cpus: 4,
      memory: '16GiB',
      disks: [
        { size: '20GiB', storageDomain: { name: 'data' } },
        { size: '1TiB', storageDomain: { id: '0b3c4f0e-2c1a-4d0e-9b7e-000000000001' }, interface: 'virtio' },
      ],
      nics: [{ name: 'nic1', vnicProfile: { network: 'ovirtmgmt', name: 'ovirtmgmt-qos' } }],
    });
    const out = Testing.synth(stack);
    expect(out).toHaveResourceWithProperties(l1.vm.Vm, {
      name: 'web-1',
      memory: 16 * 1024 ** 3,
      cpu_cores: 4,
      cpu_sockets: 1,
    });
    expect(out).toHaveResourceWithProperties(l1.disk.Disk, { size: 20 * 1024 ** 3, format: 'cow', sparse: true });
    expect(out).toHaveResourceWithProperties(l1.disk.Disk, {
      size: 1024 ** 4,
      storage_domain_id: '0b3c4f0e-2c1a-4d0e-9b7e-000000000001',
    });
    expect(out).toHaveResourceWithProperties(l1.diskAttachment.DiskAttachment, {
      interface: 'virtio_scsi',
      bootable: true,
      active: true,
    });
    expect(out).toHaveResourceWithProperties(l1.diskAttachment.DiskAttachment, {
      interface: 'virtio',
      bootable: false,
    });
    expect(out).toHaveResourceWithProperties(l1.nic.Nic, { name: 'nic1' });
    expect(out).toHaveDataSourceWithProperties(l1.dataOvirtVnicProfile.DataOvirtVnicProfile, {
      name: 'ovirtmgmt-qos',
      network_name: 'ovirtmgmt',
    });
    const json = synthJson(stack);
    const start = Object.values(json.resource['ovirt_vm_start']!)[0]!;
    // The VM starts only after its disks are attached and its NICs exist.
    expect((start['depends_on'] as string[]).length).toBe(3);
    expect((start['depends_on'] as string[]).every((d) => /^ovirt_(disk_attachment|nic)\./.test(d))).toBe(true);
  });

  it('takes its snapshots once its disks and NICs are attached', () => {
    const stack = vmStack();
    const vm = new OvirtVm(stack, 'db', {
      name: 'db-1',
      cluster: { name: 'Default' },
      disks: [{ size: '10GiB', storageDomain: { name: 'data' } }],
      snapshots: [{ description: 'before upgrade', persistMemory: true }],
    });
    const out = Testing.synth(stack);
    expect(out).toHaveResourceWithProperties(l1.snapshot.Snapshot, {
      description: 'before upgrade',
      persist_memory: true,
    });
    const snap = Object.values(synthJson(stack).resource['ovirt_snapshot']!)[0]!;
    expect(snap['depends_on']).toEqual([expect.stringMatching(/^ovirt_disk_attachment\./)]);
    expect(vm.snapshotResources).toHaveLength(1);
    expect(
      () => new OvirtVm(vmStack(), 'x', { name: 'x', cluster: { name: 'Default' }, snapshots: [{ description: ' ' }] }),
    ).toThrow(ValidationError);
  });

  it('shares one lookup per name across VMs', () => {
    const stack = vmStack();
    for (const n of ['a', 'b', 'c']) new OvirtVm(stack, n, { name: n, cluster: { name: 'Default' } });
    const json = synthJson(stack);
    expect(Object.keys(json.data!['ovirt_cluster']!)).toHaveLength(1);
    expect(Object.keys(json.resource['ovirt_vm']!)).toHaveLength(3);
  });

  it('passes Ignition as the custom script after validating it', () => {
    const stack = vmStack();
    new OvirtVm(stack, 'n', {
      name: 'n',
      cluster: { id: '0b3c4f0e-2c1a-4d0e-9b7e-000000000002' },
      initialization: { ignition: BOOTSTRAP_IGN, hostname: 'n.example.com' },
    });
    const vm = Object.values(synthJson(stack).resource['ovirt_vm']!)[0]!;
    expect(vm['initialization']).toEqual({ custom_script: BOOTSTRAP_IGN, hostname: 'n.example.com' });
  });

  it.each([
    [{ initialization: { ignition: '{"ignition":{"version":"2.2.0"}}' } }, 'initialization.ignition'],
    [{ initialization: { ignition: '{}', customScript: '#cloud-config' } }, 'initialization.ignition'],
    [{ initialization: { hostname: 'bad_host' } }, 'initialization.hostname'],
    [{ name: 'has space' }, 'name'],
    [{ memory: '16 gigs' }, 'memory'],
    [{ cpus: 0 }, 'cpus'],
    [{ disks: [{ size: '10GiB' }] }, 'disks.0'],
    [{ nics: [{ name: 'nic1', vnicProfile: { id: 'x' }, mac: '00:11' }] }, 'nics.0.mac'],
    [{ cluster: {} }, 'cluster'],
  ])('rejects %j naming %s', (override, prop) => {
    const stack = vmStack();
    expect(
      propOf(() => new OvirtVm(stack, 'v', { name: 'v', cluster: { name: 'Default' }, ...override } as never)),
    ).toBe(prop);
  });

  it('names the construct path and the prop in the message', () => {
    const stack = vmStack();
    expect(() => new OvirtVm(stack, 'v', { name: 'v', cluster: { name: 'Default' }, memory: '4 GB RAM' })).toThrow(
      /^test\/v: memory: is not a size: "4 GB RAM"/,
    );
    expect(() => new OvirtDisk(stack, 'd', { storageDomain: { name: 'data' }, size: 1024 })).toThrow(
      /^test\/d: size: must be at least 1MiB/,
    );
  });

  it('does not start the VM when start is false, and exposes IPs on demand', () => {
    const stack = vmStack();
    const vm = new OvirtVm(stack, 'v', { name: 'v', cluster: { name: 'Default' }, start: false });
    expect(vm.startResource).toBeUndefined();
    expect(Testing.synth(stack)).not.toHaveDataSource(l1.dataOvirtVmIps.DataOvirtVmIps);
    const stack2 = vmStack();
    const vm2 = new OvirtVm(stack2, 'v', { name: 'v', cluster: { name: 'Default' } });
    expect(vm2.ipv4Addresses).toBeDefined();
    expect(Testing.synth(stack2)).toHaveDataSource(l1.dataOvirtVmIps.DataOvirtVmIps);
  });

  it('skips validation of values that are tokens', () => {
    const stack = vmStack();
    const name = new TerraformVariable(stack, 'vm_name', { type: 'string' });
    expect(() => new OvirtVm(stack, 'v', { name: name.stringValue, cluster: { name: 'Default' } })).not.toThrow();
  });
});

describe('OvirtDisk', () => {
  it('parses units and defaults to thin cow', () => {
    const stack = vmStack();
    const disk = new OvirtDisk(stack, 'd', { storageDomain: { name: 'data' }, size: '512MiB', alias: 'scratch' });
    expect(disk.sizeBytes).toBe(512 * 1024 ** 2);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(l1.disk.Disk, {
      size: 536870912,
      format: 'cow',
      sparse: true,
      alias: 'scratch',
    });
  });
  it('enforces the engine minimum and raw preallocation', () => {
    const stack = vmStack();
    expect(propOf(() => new OvirtDisk(stack, 'a', { storageDomain: { name: 'data' }, size: '512KiB' }))).toBe('size');
    expect(
      propOf(() => new OvirtDisk(stack, 'b', { storageDomain: { name: 'data' }, size: '1GiB', format: 'raw' })),
    ).toBe('sparse');
    expect(
      propOf(
        () =>
          new OvirtDisk(stack, 'c', { storageDomain: { name: 'data' }, size: '1GiB', format: 'raw', sparse: false }),
      ),
    ).toBeUndefined();
  });
});

describe('OvirtTemplate', () => {
  it('makes a template from a VM and VMs from it', () => {
    const stack = vmStack();
    const golden = new OvirtVm(stack, 'golden', { name: 'golden', cluster: { name: 'Default' }, start: false });
    const tpl = new OvirtTemplate(stack, 'tpl', { vm: golden, name: 'golden-tpl', description: 'base' });
    new OvirtVm(stack, 'clone', { name: 'clone', cluster: { name: 'Default' }, template: tpl });
    const json = synthJson(stack);
    const template = Object.values(json.resource['ovirt_template']!)[0]!;
    expect(template).toMatchObject({ name: 'golden-tpl', description: 'base' });
    expect(template['vm_id']).toMatch(/^\$\{ovirt_vm\.golden_vm_[0-9A-F]{8}\.id\}$/);
    const clone = Object.values(json.resource['ovirt_vm']!).find((v) => v['name'] === 'clone')!;
    expect(clone['template_id']).toMatch(/^\$\{ovirt_template\.tpl_template_[0-9A-F]{8}\.id\}$/);
  });
  it('looks an existing template up by name', () => {
    const stack = vmStack();
    const tpl = OvirtTemplate.fromName(stack, 'rhcos', 'rhcos-4.14');
    new OvirtVm(stack, 'v', { name: 'v', cluster: { name: 'Default' }, template: tpl });
    expect(Testing.synth(stack)).toHaveDataSourceWithProperties(l1.dataOvirtTemplate.DataOvirtTemplate, {
      name: 'rhcos-4.14',
    });
  });
});

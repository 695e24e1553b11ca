/**
 * The engine models are built on first use, one by one: a provider process that reads a cluster
 * and a VM must not pay for building every model at ConfigureProvider (bench/RESULTS.md, issue 13).
 * Jest gives this file its own module registry, so no model is built before the first test; the
 * tests run in order and each checks what the previous ones left.
 */
import {
  OvirtClient,
  apiSchema,
  clusterSchema,
  decodeEntity,
  decodeList,
  modelsBuilt,
  templateSchema,
  vmSchema,
} from '../../src/ovirt';

const built = () => [...modelsBuilt()].sort();

describe('engine models built on first use', () => {
  it('loading and constructing the client builds no model', () => {
    new OvirtClient({ url: 'https://engine.example/ovirt-engine/api', username: 'u', password: 'p', format: 'json' });
    expect(built()).toEqual([]);
  });

  it('a decode builds the model it reads and nothing else', () => {
    decodeEntity({ product_info: { name: 'oVirt Engine' } }, 'json', 'api', apiSchema, 'GET /');
    expect(built()).toEqual(['api']);
    const clusters = decodeList(
      { cluster: [{ id: 'c1', name: 'Default', version: { major: '4', minor: '3' } }] },
      'json',
      'clusters',
      'cluster',
      clusterSchema,
      'GET /clusters',
    );
    expect(clusters[0]?.version).toEqual({ major: 4, minor: 3 });
    expect(built()).toEqual(['api', 'cluster']);
  });

  it('a VM builds the models it nests when it nests them; a template builds on the VM model', () => {
    decodeEntity({ id: 'v1', name: 'web' }, 'json', 'vm', vmSchema, 'GET /vms/v1');
    expect(built()).toContain('vm');
    expect(built()).not.toContain('disk_attachment');
    const vm = decodeEntity(
      {
        id: 'v1',
        disk_attachments: { disk_attachment: [{ id: 'd1', disk: { id: 'd1', provisioned_size: '1024' } }] },
        nics: {
          nic: [
            { id: 'n1', reported_devices: { reported_device: [{ id: 'r1', ips: { ip: [{ address: '10.0.0.2' }] } }] } },
          ],
        },
      },
      'json',
      'vm',
      vmSchema,
      'GET /vms/v1',
    );
    expect(vm.disk_attachments?.[0]?.disk?.provisioned_size).toBe(1024);
    expect(vm.nics?.[0]?.reported_devices?.[0]?.ips?.[0]?.address).toBe('10.0.0.2');
    expect(built()).toEqual(expect.arrayContaining(['disk', 'disk_attachment', 'nic', 'reported_device', 'vm']));
    expect(built()).not.toEqual(expect.arrayContaining(['template']));
    expect(built()).not.toEqual(expect.arrayContaining(['snapshot']));

    const template = decodeEntity(
      { id: 't1', memory: '1024', version: { version_number: '2' } },
      'json',
      'template',
      templateSchema,
      'GET /templates/t1',
    );
    expect(template).toMatchObject({ memory: 1024, version: { version_number: 2 } });
    expect(built()).toContain('template');
  });
});

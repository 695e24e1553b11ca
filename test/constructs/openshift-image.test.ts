/** OpenShiftIpiCluster with `boot.image`: the installer's image stage (upload, temporary VM, template) at synth. */
import { Testing } from 'cdktf';
import { OpenShiftIpiCluster, OpenShiftIpiClusterProps, ValidationError } from '../../constructs';
import { BOOTSTRAP_IGN, CA_PEM, stackWithServer, synthJson } from './helpers';

Testing.setupJest();

function cluster(boot: OpenShiftIpiClusterProps['boot'], infraId?: string) {
  const { stack, server } = stackWithServer();
  new OpenShiftIpiCluster(stack, 'ocp', {
    clusterName: 'ocp',
    infraId,
    baseDomain: 'example.com',
    ovirtCluster: { name: 'Default' },
    storageDomain: { name: 'data' },
    vnicProfile: { network: 'ovirtmgmt' },
    apiVips: ['10.0.0.5'],
    ingressVips: ['10.0.0.6'],
    boot,
    bootServer: server,
    ignition: { bootstrap: { content: BOOTSTRAP_IGN }, machineConfigCaPem: CA_PEM },
  });
  return stack;
}

describe('OpenShiftIpiCluster, template mode from an RHCOS image', () => {
  it('uploads the image and makes the template <infraId>-rhcos from its disk; every node uses it', () => {
    // GIVEN an RHCOS qcow2 and an infra id
    const json = synthJson(
      cluster({ mode: 'template', image: 'https://mirror.example/rhcos-openstack.x86_64.qcow2' }, 'ocp-7xk2p'),
    );
    // THEN one upload, one template from its disk, and the VMs made from that template
    const disks = Object.entries(json.resource['ovirt_disk_from_image']!);
    expect(disks).toHaveLength(1);
    expect(disks[0]![1]).toMatchObject({
      source: 'https://mirror.example/rhcos-openstack.x86_64.qcow2',
      alias: 'ocp-7xk2p-rhcos',
      format: 'cow',
    });
    const templates = Object.entries(json.resource['ovirt_template']!);
    expect(templates).toHaveLength(1);
    const [tName, template] = templates[0]!;
    expect(template).toMatchObject({
      name: 'ocp-7xk2p-rhcos',
      disk_id: `\${ovirt_disk_from_image.${disks[0]![0]}.id}`,
      description: 'Template in use by OpenShift. Do not delete!',
    });
    expect(template['vm_id']).toBeUndefined();
    const vms = Object.values(json.resource['ovirt_vm']!);
    expect(vms.map((v) => v['template_id'])).toEqual(Array(6).fill(`\${ovirt_template.${tName}.id}`));
  });

  it('names the image and template after the cluster when no infra id is given', () => {
    const json = synthJson(cluster({ mode: 'template', image: 'rhcos.qcow2' }));
    expect(Object.values(json.resource['ovirt_template']!)[0]).toMatchObject({ name: 'ocp-rhcos' });
  });

  it.each([
    [
      'both template and image',
      { mode: 'template', template: { name: 'rhcos' }, image: 'a.qcow2' },
      /exactly one of template .* and image/,
    ],
    ['neither', { mode: 'template' }, /exactly one of template .* and image/],
    ['an empty image', { mode: 'template', image: ' ' }, /boot\.image: must be a file path or an http\(s\) URL/],
  ] as const)('refuses %s at synth', (_n, boot, message) => {
    let err: unknown;
    try {
      cluster(boot as OpenShiftIpiClusterProps['boot']);
    } catch (e) {
      err = e;
    }
    expect(ValidationError.is(err) && err.message).toMatch(message);
  });
});

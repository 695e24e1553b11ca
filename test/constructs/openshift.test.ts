import { AnnotationMetadataEntryType, Testing } from 'cdktf';
import { OpenShiftIpiCluster, OpenShiftIpiClusterProps, ValidationError, l1 } from '../../constructs';
import { BOOTSTRAP_IGN, CA_PEM, stackWithServer, synthJson } from './helpers';

Testing.setupJest();

type Overrides = Partial<OpenShiftIpiClusterProps>;

function cluster(over: Overrides = {}, mode: 'template' | 'pxe' = 'template') {
  const { stack, server } = stackWithServer();
  const boot: OpenShiftIpiClusterProps['boot'] =
    mode === 'template'
      ? { mode, template: { name: 'rhcos' } }
      : {
          mode,
          kernelUrl: 'http://img/kernel',
          initramfsUrl: 'http://img/initramfs.img',
          rootfsUrl: 'http://img/rootfs.img',
        };
  const ocp = new OpenShiftIpiCluster(stack, 'ocp', {
    clusterName: 'ocp',
    baseDomain: 'example.com',
    ovirtCluster: { name: 'Default' },
    storageDomain: { name: 'data' },
    vnicProfile: { network: 'ovirtmgmt' },
    apiVips: ['10.0.0.5'],
    ingressVips: ['10.0.0.6'],
    boot,
    bootServer: server,
    ignition: { bootstrap: { content: BOOTSTRAP_IGN }, machineConfigCaPem: CA_PEM },
    ...over,
  });
  return { stack, ocp };
}

function errorOf(fn: () => void): ValidationError | undefined {
  try {
    fn();
  } catch (err) {
    if (ValidationError.is(err)) return err;
    throw err;
  }
  return undefined;
}

describe('OpenShiftIpiCluster, template mode', () => {
  it('creates bootstrap, 3 masters, 2 workers, anti-affinity and outputs', () => {
    const { stack, ocp } = cluster();
    expect(ocp.nodes.map((n) => n.name)).toEqual([
      'ocp-bootstrap',
      'ocp-master-0',
      'ocp-master-1',
      'ocp-master-2',
      'ocp-worker-0',
      'ocp-worker-1',
    ]);
    const json = synthJson(stack);
    expect(Object.keys(json.resource['ovirt_vm']!)).toHaveLength(6);
    const groups = Object.values(json.resource['ovirt_affinity_group']!);
    expect(groups.map((g) => g['name']).sort()).toEqual(['ocp-masters', 'ocp-workers']);
    expect(groups.every((g) => (g['vms_rule'] as { affinity: string }).affinity === 'negative')).toBe(true);
    expect(Object.keys(json.resource['ovirt_vm_affinity_group']!)).toHaveLength(5);
    expect(Object.keys(json.output!)).toEqual(['ocp-boot-urls', 'ocp-nodes']);
    expect(json.output!['ocp-boot-urls']!.sensitive).toBe(true);
  });

  it('serves the bootstrap config behind a token and gives the VM a small pointer to it', () => {
    const { stack } = cluster();
    const json = synthJson(stack);
    const entries = Object.values(json.resource['ovirt_boot_entry']!);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      name: 'ocp-bootstrap',
      role: 'bootstrap',
      require_token: true,
      ignition: BOOTSTRAP_IGN,
    });
    const vms = Object.values(json.resource['ovirt_vm']!);
    const boot = vms.find((v) => v['name'] === 'ocp-bootstrap')!;
    const script = (boot['initialization'] as { custom_script: string }).custom_script;
    const pointer = JSON.parse(script);
    expect(pointer.ignition.config.merge[0].source).toMatch(
      /^https:\/\/boot\.example:8443\$\{ovirt_boot_entry\.ocp_bootstrap_boot_entry_[0-9A-F]{8}\.ignition_path\}$/,
    );
    expect(script.length).toBeLessThan(1024);
    const master = vms.find((v) => v['name'] === 'ocp-master-0')!;
    expect(
      JSON.parse((master['initialization'] as { custom_script: string }).custom_script).ignition.config.merge[0].source,
    ).toBe('https://10.0.0.5:22623/config/master');
    expect(master).toMatchObject({
      os_type: 'rhcos_x64',
      high_availability: true,
      memory: 16 * 1024 ** 3,
      cpu_cores: 4,
    });
  });

  it('drops the bootstrap node when disabled', () => {
    const { stack, ocp } = cluster({ bootstrap: { enabled: false }, ignition: { machineConfigCaPem: CA_PEM } });
    expect(ocp.bootstrap).toBeUndefined();
    const json = synthJson(stack);
    expect(json.resource['ovirt_boot_entry']).toBeUndefined();
    expect(Object.values(json.resource['ovirt_vm']!).map((v) => v['name'])).not.toContain('ocp-bootstrap');
  });

  it('warns below the recommended size', () => {
    const { ocp } = cluster({ workers: { count: 2, size: { cpus: 2, memory: '8GiB' } } });
    const warnings = ocp.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
    expect(warnings).toContain('workers.size.cpus: 2 vCPU is below the recommended 4 vCPU for a worker node');
    expect(warnings).toContain('workers.size.memory: 8GiB is below the recommended 16GiB for a worker node');
    expect(warnings.filter((w) => String(w).startsWith('workers.size.cpus'))).toHaveLength(1); // once, not per node
  });
});

describe('OpenShiftIpiCluster, PXE mode', () => {
  it('gives every node a disk, network boot and a one-shot boot entry by MAC', () => {
    const { stack, ocp } = cluster({ masters: { count: 1 }, workers: { count: 1 } }, 'pxe');
    const json = synthJson(stack);
    const entries = Object.values(json.resource['ovirt_boot_entry']!);
    expect(entries.map((e) => e['role']).sort()).toEqual(['bootstrap', 'master', 'worker']);
    for (const e of entries) {
      expect(e).toMatchObject({
        one_shot: true,
        ipxe_kernel: 'http://img/kernel',
        ipxe_initrd: ['http://img/initramfs.img'],
      });
      expect(e['macs']).toEqual([expect.stringMatching(/^\$\{ovirt_nic\..+\.mac\}$/)]);
      expect(e['ipxe_args']).toEqual(
        expect.arrayContaining([
          'coreos.live.rootfs_url=http://img/rootfs.img',
          'coreos.inst.ignition_url={{ignition_url}}',
        ]),
      );
    }
    expect(
      JSON.parse(entries.find((e) => e['role'] === 'worker')!['ignition'] as string).ignition.config.merge[0].source,
    ).toBe('https://10.0.0.5:22623/config/worker');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(l1.vm.Vm, { boot_devices: ['network', 'hd'] });
    expect(Object.values(json.resource['ovirt_disk']!).every((d) => d['size'] === 120 * 1024 ** 3)).toBe(true);
    // Each VM starts only after its boot entry exists.
    const starts = Object.values(json.resource['ovirt_vm_start']!);
    expect(starts.every((s) => (s['depends_on'] as string[]).some((d) => d.startsWith('ovirt_boot_entry.')))).toBe(
      true,
    );
    expect(ocp.masters[0]!.bootEntry!.ipxeUrl).toMatch(/^https:\/\/boot\.example:8443\/ipxe\?mac=/);
  });
});

describe('OpenShiftIpiCluster validation', () => {
  it.each<[string, Overrides, string]>([
    ['an invalid cluster name', { clusterName: 'OCP_1' }, 'clusterName'],
    ['an invalid base domain', { baseDomain: 'example..com' }, 'baseDomain'],
    ['an invalid VIP', { apiVips: ['10.0.0.300'] }, 'apiVips.0'],
    ['the same VIP twice', { ingressVips: ['10.0.0.5'] }, 'ingressVips.0'],
    ['mixed VIP families', { ingressVips: ['fd00::6'] }, 'ingressVips.0'],
    ['two masters', { masters: { count: 2 } }, 'masters.count'],
    ['no masters', { masters: { count: 0 } }, 'masters.count'],
    ['negative workers', { workers: { count: -1 } }, 'workers.count'],
    ['masters below the minimum', { masters: { count: 3, size: { memory: '8GiB' } } }, 'masters.size.memory'],
    [
      'an invalid bootstrap config',
      {
        ignition: {
          bootstrap: { content: '{"ignition":{"version":"3.2.0"},"storage":{"files":[{"path":"relative"}]}}' },
          machineConfigCaPem: CA_PEM,
        },
      },
      'ignition.bootstrap',
    ],
    ['a missing bootstrap config', { ignition: { machineConfigCaPem: CA_PEM } }, 'ignition.bootstrap'],
    ['neither master.ign nor the MCS CA', { ignition: { bootstrap: { content: BOOTSTRAP_IGN } } }, 'ignition.master'],
    [
      'an unreadable file',
      { ignition: { bootstrap: { file: '/nonexistent/bootstrap.ign' }, machineConfigCaPem: CA_PEM } },
      'ignition.bootstrap.file',
    ],
  ])('rejects %s, naming the prop', (_what, over, prop) => {
    const err = errorOf(() => cluster(over));
    expect(err?.prop).toBe(prop);
    expect(err?.message).toMatch(new RegExp(`^test/ocp: ${prop.replace(/\./g, '\\.')}: `));
  });

  it('rejects bad PXE URLs', () => {
    const err = errorOf(() =>
      cluster({ boot: { mode: 'pxe', kernelUrl: 'kernel', initramfsUrl: 'http://i', rootfsUrl: 'http://r' } }),
    );
    expect(err?.prop).toBe('boot.kernelUrl');
  });

  it('accepts a single-node control plane and no workers', () => {
    const { ocp } = cluster({ masters: { count: 1 }, workers: { count: 0 } });
    expect(ocp.masters).toHaveLength(1);
    expect(ocp.workers).toHaveLength(0);
  });
});

describe('synth snapshot', () => {
  it('is stable for a small PXE cluster', () => {
    const { stack } = cluster({ masters: { count: 1 }, workers: { count: 1 } }, 'pxe');
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});

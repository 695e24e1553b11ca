/** `ovirt_vm` mapping between Terraform values and engine bodies (pure functions). */
import { UNKNOWN } from '../../src/tfplugin';
import type { Vm } from '../../src/ovirt';
import {
  fitMaximum,
  initializationFromEngine,
  initializationToEngine,
  updateSelection,
  vmFromEngine,
  vmSpec,
  withPrior,
} from '../../src/provider/resources/vm-mapping';
import type { VmPlan, VmState } from '../../src/provider/resources/vm-schema';

const GiB = 1024 ** 3;
const BLANK = '00000000-0000-0000-0000-000000000000';
const TEMPLATE_ID = '5a1e0000-0000-4000-8000-0000000e0001';

const engineVm: Vm = {
  id: 'vm-1',
  name: 'web',
  description: '',
  comment: 'c',
  status: 'up',
  type: 'server',
  memory: 2 * GiB,
  memory_policy: { guaranteed: GiB, max: 8 * GiB, ballooning: true },
  cpu: { topology: { sockets: 2, cores: 1, threads: 1 } },
  os: { type: 'rhcos_x64', boot: { devices: ['hd'] } },
  console: { enabled: true },
  soundcard_enabled: false,
  next_run_configuration_exists: true,
  custom_properties: [
    { name: 'hugepages', value: '2048' },
    { name: 'sap_agent', value: 'true' },
  ],
  placement_policy: { affinity: 'pinned', hosts: [{ id: 'h2' }, { id: 'h1' }] },
  cluster: { id: 'c1' },
  template: { id: BLANK },
  original_template: { id: TEMPLATE_ID },
  initialization: {
    host_name: 'web',
    custom_script: '{"ignition":{}}',
    dns_servers: '10.0.0.1 10.0.0.2',
    nic_configurations: [
      {
        name: 'eth0',
        boot_protocol: 'static',
        on_boot: true,
        ip: { address: '10.0.0.5', netmask: '255.255.255.0', gateway: '10.0.0.1' },
      },
    ],
  },
};

describe('vmFromEngine', () => {
  const mapped = vmFromEngine(engineVm, null);

  it('reads every managed attribute', () => {
    expect(mapped).toMatchObject({
      id: 'vm-1',
      name: 'web',
      description: null,
      comment: 'c',
      cluster_id: 'c1',
      memory: 2 * GiB,
      maximum_memory: 8 * GiB,
      memory_guaranteed: GiB,
      memory_ballooning: true,
      cpu_sockets: 2,
      os_type: 'rhcos_x64',
      boot_devices: ['hd'],
      serial_console: true,
      soundcard_enabled: false,
      huge_pages: 2048,
      custom_properties: { sap_agent: 'true' },
      placement_policy_affinity: 'pinned',
      placement_policy_host_ids: ['h1', 'h2'],
      status: 'up',
      pending_next_run: true,
    });
  });

  it('sees a clone: Blank as template, the source as original template', () => {
    expect(mapped).toMatchObject({ template_id: TEMPLATE_ID, clone: true, effective_template_id: BLANK });
  });

  it('reads initialization back, including the NIC configuration and DNS servers', () => {
    expect(mapped.initialization).toMatchObject({
      hostname: 'web',
      custom_script: '{"ignition":{}}',
      dns_servers: ['10.0.0.1', '10.0.0.2'],
    });
    expect(mapped.initialization!.nic_configuration[0]).toMatchObject({
      name: 'eth0',
      ipv4_address: '10.0.0.5',
      ipv4_gateway: '10.0.0.1',
    });
    expect(initializationToEngine(mapped.initialization)).toMatchObject({
      host_name: 'web',
      dns_servers: '10.0.0.1 10.0.0.2',
    });
    expect(initializationFromEngine({})).toBeNull();
  });
});

describe('update bodies', () => {
  const state = vmFromEngine(engineVm, null);
  const config = {
    ...state,
    memory: 4 * GiB,
    memory_guaranteed: GiB,
    maximum_memory: null,
    memory_ballooning: null,
    comment: null,
  } as unknown as VmPlan;
  const plan = {
    ...state,
    memory: 4 * GiB,
    maximum_memory: UNKNOWN,
    comment: null,
    status: UNKNOWN,
  } as unknown as VmPlan;

  it('sends the changed attributes, their configured group mates, and cleared ones; never identity', () => {
    const values = withPrior(plan, state);
    const spec = vmSpec(values, updateSelection(config, values, state));
    expect(spec).toEqual({ memory: 4 * GiB, memory_policy: { guaranteed: GiB }, comment: '' });
  });

  it('raises the maximum with memory when the maximum is not managed', () => {
    const spec = { memory: 16 * GiB };
    fitMaximum(spec, config, state);
    expect(spec).toEqual({ memory: 16 * GiB, memory_policy: { max: 64 * GiB } });
    const within = { memory: 4 * GiB };
    fitMaximum(within, config, state as VmState);
    expect(within).toEqual({ memory: 4 * GiB });
  });
});

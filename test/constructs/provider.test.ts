import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { BootArtifactServer, OvirtProvider, OvirtVm, PxeBootEntry, ValidationError, l1 } from '../../constructs';
import { BOOTSTRAP_IGN, CA_PEM, stackWithServer, synthJson } from './helpers';

Testing.setupJest();

function propOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (ValidationError.is(err)) return err.prop;
    throw err;
  }
  return undefined;
}

describe('OvirtProvider', () => {
  it('leaves credentials to the environment by default: nothing secret in the JSON', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new OvirtProvider(stack, 'ovirt');
    const json = synthJson(stack);
    expect(json.provider['ovirt']).toEqual([{}]);
    expect(json.variable).toBeUndefined();
  });

  it('reads credentials from stack variables, the password sensitive', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new OvirtProvider(stack, 'ovirt', { credentials: 'variables', caFile: 'certs/engine-ca.pem' });
    const json = synthJson(stack);
    expect(json.provider['ovirt']![0]).toEqual({
      url: '${var.ovirt_url}',
      username: '${var.ovirt_username}',
      password: '${var.ovirt_password}',
      ca_file: 'certs/engine-ca.pem',
    });
    expect(json.variable!['ovirt_password']).toMatchObject({ sensitive: true, type: 'string' });
    expect(json.variable!['ovirt_url']).not.toHaveProperty('sensitive', true);
  });

  it('refuses literal secrets and insecure with a CA', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(propOf(() => new OvirtProvider(stack, 'a', { password: 'hunter2' }))).toBe('password');
    expect(propOf(() => new OvirtProvider(stack, 'b', { insecure: true, caPem: CA_PEM }))).toBe('insecure');
    expect(propOf(() => new OvirtProvider(stack, 'c', { url: 'engine.example' }))).toBe('url');
  });

  it('writes the boot server block', () => {
    const { stack } = stackWithServer();
    expect(Testing.synth(stack)).toHaveProviderWithProperties(l1.provider.OvirtProvider, {
      boot_server: { url: 'https://boot.example:8443', token: '${var.boot_token}', ca_pem: CA_PEM },
    });
  });
});

describe('BootArtifactServer', () => {
  it('computes chain and per-machine URLs without a trailing slash', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const token = new TerraformVariable(stack, 't', { type: 'string', sensitive: true });
    const server = new BootArtifactServer(stack, 'b', { url: 'https://boot.example:8443/', token: token.stringValue });
    expect(server.chainUrl).toBe('https://boot.example:8443/boot.ipxe');
    expect(server.machineIpxeUrl('52:54:00:00:00:01')).toBe('https://boot.example:8443/ipxe?mac=52:54:00:00:00:01');
    expect(server.machineIgnitionUrl('52:54:00:00:00:01')).toBe(
      'https://boot.example:8443/ignition?mac=52:54:00:00:00:01',
    );
  });
  it('defaults to stack variables, the token sensitive, and refuses a literal token', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new OvirtProvider(stack, 'ovirt', { bootServer: new BootArtifactServer(stack, 'b') });
    const json = synthJson(stack);
    expect(json.variable!['boot_server_token']).toMatchObject({ sensitive: true });
    expect(json.provider['ovirt']![0]!['boot_server']).toEqual({
      url: '${var.boot_server_url}',
      token: '${var.boot_server_token}',
    });
    expect(propOf(() => new BootArtifactServer(stack, 'c', { token: 'abc' }))).toBe('token');
  });
});

describe('PxeBootEntry', () => {
  it('selects a VM by its first NIC and publishes iPXE and Ignition', () => {
    const { stack, server } = stackWithServer();
    const vm = new OvirtVm(stack, 'n1', {
      name: 'n1',
      cluster: { name: 'Default' },
      nics: [{ name: 'nic1', vnicProfile: { network: 'ovirtmgmt' } }],
    });
    const bootEntry = new PxeBootEntry(stack, 'e', {
      name: 'n1',
      server,
      vm,
      role: 'worker',
      oneShot: true,
      ignition: BOOTSTRAP_IGN,
      localBoot: 'sanboot',
      allowedSources: ['10.0.0.0/24'],
      ipxe: {
        kernel: 'http://mirror/k',
        initrd: ['http://mirror/i'],
        args: ['coreos.inst.ignition_url={{ignition_url}}'],
      },
    });
    const entry = Object.values(synthJson(stack).resource['ovirt_boot_entry']!)[0]!;
    expect(entry).toMatchObject({
      name: 'n1',
      role: 'worker',
      one_shot: true,
      ipxe_kernel: 'http://mirror/k',
      ipxe_initrd: ['http://mirror/i'],
      ignition: BOOTSTRAP_IGN,
      local_boot: 'sanboot',
      allowed_sources: ['10.0.0.0/24'],
    });
    expect(entry['macs']).toEqual([expect.stringMatching(/^\$\{ovirt_nic\.n1_nic0_[0-9A-F]{8}\.mac\}$/)]);
    expect(bootEntry.ipxeUrl).toContain('https://boot.example:8443/ipxe?mac=');
    expect(bootEntry.ignitionUrl).toContain('https://boot.example:8443/ignition?mac=');
  });
  it.each([
    [{ name: 'Bad Name' }, 'name'],
    [{ macs: ['nope'] }, 'macs.0'],
    [{ macs: [] }, 'macs'],
    [{ macs: ['52:54:00:00:00:01'], labels: { a: 'b' } }, 'vm'],
    [{ ignition: '{"ignition":{}}' }, 'ignition'],
    [{ ipxe: { script: 'echo hi' } }, 'ipxe.script'],
    [{ allowedSources: ['10.0.0.0/24', '10.0.0.0/33'] }, 'allowedSources.1'],
  ])('rejects %j naming %s', (override, prop) => {
    const { stack, server } = stackWithServer();
    expect(
      propOf(
        () =>
          new PxeBootEntry(stack, 'e', {
            name: 'ok',
            server,
            role: 'worker',
            macs: ['52:54:00:00:00:01'],
            ...override,
          } as never),
      ),
    ).toBe(prop);
  });
});

/**
 * `ovirt_boot_entry` at plan time: a token URL the iPXE answer would hand to anyone is refused on
 * `allowed_sources`; and creates racing for one name against a real boot server.
 */
import { BootAdminClient, MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { ovirtProvider } from '../../src/provider';

const base = {
  name: 'b',
  ipxe_kernel: 'http://m/k',
  ipxe_args: ['ignition.config.url={{ignition_url}}'],
  ignition: '{"ignition":{"version":"3.2.0"}}',
  require_token: true,
};

describe('ovirt_boot_entry validation', () => {
  const harness = new ProviderHarness(ovirtProvider);

  it('refuses require_token with {{ignition_url}} in the iPXE answer and no allowed_sources', async () => {
    const diagnostics = await harness.validate('ovirt_boot_entry', base);
    expect(diagnostics).toEqual([
      expect.objectContaining({ summary: 'Token URL Would Be Public', path: [{ attribute: 'allowed_sources' }] }),
    ]);
  });

  it('accepts it with allowed_sources, or without {{ignition_url}}', async () => {
    expect(await harness.validate('ovirt_boot_entry', { ...base, allowed_sources: ['10.0.0.0/24'] })).toEqual([]);
    expect(await harness.validate('ovirt_boot_entry', { ...base, ipxe_args: ['ip=dhcp'] })).toEqual([]);
  });
});

describe('ovirt_boot_entry creates against a real boot server', () => {
  const ADMIN_TOKEN = 'boot-entry-create-admin-token';
  let server: RunningBootServer;
  beforeAll(async () => {
    server = await startBootServer({ port: 0, store: new MemoryStore(), token: ADMIN_TOKEN, log: () => undefined });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('of applies creating one name at once, exactly one gets the entry; the rest are told it exists', async () => {
    const writers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const writer = new ProviderHarness(ovirtProvider);
        expect(await writer.configure({ boot_server: { url: server.url, token: ADMIN_TOKEN } })).toEqual([]);
        return writer;
      }),
    );
    const results = await Promise.all(
      writers.map((writer, index) =>
        writer.planApply('ovirt_boot_entry', null, {
          name: 'contested',
          macs: ['56:6f:00:00:00:02'],
          role: `writer-${index}`,
          ipxe_script: '#!ipxe\nexit',
          ignition: '{"ignition":{"version":"3.2.0"}}',
          require_token: true,
        }),
      ),
    );
    const created = results.filter((r) => r.diagnostics.length === 0);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.diagnostics.length > 0).map((r) => r.diagnostics.map((d) => d.summary))).toEqual(
      Array.from({ length: 5 }, () => ['Object Already Exists']),
    );
    const admin = new BootAdminClient({ url: server.url, token: ADMIN_TOKEN });
    const stored = await admin.get('contested').finally(() => admin.close());
    expect({ role: stored!.role, token: stored!.token }).toEqual({
      role: created[0]!.state!.role,
      token: created[0]!.state!.token,
    });
  });
});

/** `ovirt_boot_entry` at plan time: a token URL the iPXE answer would hand to anyone is refused on `allowed_sources`. */
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

/** Which guest-reported addresses `ovirt_vm_ips` returns. */
import { interfacesOf, unusableIp } from '../../src/provider/data-sources/vm-ips';

describe('unusableIp', () => {
  it.each([
    ['127.0.0.1', true],
    ['169.254.3.4', true],
    ['224.0.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['ff02::1', true],
    ['10.0.0.5', false],
    ['192.0.2.50', false],
    ['2001:db8::5', false],
    ['169.253.1.1', false],
  ])('%s -> %s', (ip, unusable) => expect(unusableIp(ip)).toBe(unusable));
});

describe('interfacesOf', () => {
  it('keeps usable addresses of network devices, drops lo, dummy and empty interfaces, sorts by name', () => {
    const got = interfacesOf([
      { id: '1', name: 'lo', type: 'network', ips: [{ address: '127.0.0.1', version: 'v4' }] },
      {
        id: '2',
        name: 'eth1',
        type: 'network',
        mac: { address: '56:6f:00:00:00:02' },
        ips: [
          { address: '10.0.1.5', version: 'v4' },
          { address: 'fe80::2', version: 'v6' },
          { address: '2001:db8::2', version: 'v6' },
        ],
      },
      { id: '3', name: 'eth0', type: 'network', mac: { address: '56:6f:00:00:00:01' }, ips: [{ address: '10.0.0.5' }] },
      { id: '4', name: 'dummy0', type: 'network', ips: [{ address: '10.9.9.9', version: 'v4' }] },
      { id: '5', name: 'eth2', type: 'network', ips: [{ address: 'fe80::3', version: 'v6' }] },
    ]);
    expect(got).toEqual([
      { name: 'eth0', mac: '56:6f:00:00:00:01', ipv4_addresses: ['10.0.0.5'], ipv6_addresses: [] },
      { name: 'eth1', mac: '56:6f:00:00:00:02', ipv4_addresses: ['10.0.1.5'], ipv6_addresses: ['2001:db8::2'] },
    ]);
  });
});

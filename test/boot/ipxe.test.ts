import {
  bootScript,
  chainScript,
  checkIpxeArg,
  coreosInstallArgs,
  coreosLiveArgs,
  localBootScript,
} from '../../src/boot/ipxe/builder';

describe('iPXE builder', () => {
  it('chains with the MAC of the booting NIC, the UUID, the arch and the other facts iPXE has', () => {
    const facts =
      'mac=${mac:hexhyp}&uuid=${uuid}&arch=${buildarch:uristring}&platform=${platform}&hostname=${hostname:uristring}' +
      '&domain=${domain:uristring}&serial=${serial:uristring}&manufacturer=${manufacturer:uristring}';
    expect(chainScript().split('\n').slice(0, 5)).toEqual([
      '#!ipxe',
      `chain --autofree ipxe?${facts} || goto failed`,
      'exit',
      ':failed',
      `chain --autofree ipxe/failed?${facts}&errno=\${errno} || echo boot-server: unreachable after error \${errno} (https://ipxe.org/\${errno})`,
    ]);
  });

  it('writes a UEFI-safe live PXE script', () => {
    const args = coreosLiveArgs({
      rootfsUrl: 'http://srv/assets/rootfs.img',
      ignitionUrl: 'http://srv/ignition?mac=${mac:hexhyp}',
      consoles: ['tty0', 'ttyS0,115200n8'],
    });
    const script = bootScript({
      kernel: 'http://srv/assets/kernel',
      initrd: ['http://srv/assets/initramfs.img'],
      args,
    });
    expect(script).toBe(
      [
        '#!ipxe',
        'kernel http://srv/assets/kernel initrd=main coreos.live.rootfs_url=http://srv/assets/rootfs.img ip=dhcp rd.neednet=1 console=tty0 console=ttyS0,115200n8 ignition.firstboot ignition.platform.id=metal ignition.config.url=http://srv/ignition?mac=${mac:hexhyp}',
        'initrd --name main http://srv/assets/initramfs.img',
        'boot',
        '',
      ].join('\n'),
    );
  });

  it('writes install-to-disk arguments', () => {
    const args = coreosInstallArgs({ rootfsUrl: 'r', ignitionUrl: 'i', installDev: '/dev/vda', platformId: 'qemu' });
    expect(args).toEqual([
      'coreos.live.rootfs_url=r',
      'ip=dhcp',
      'rd.neednet=1',
      'coreos.inst.install_dev=/dev/vda',
      'coreos.inst.ignition_url=i',
      'coreos.inst.platform_id=qemu',
    ]);
  });

  it('keeps explicit initrd options and BIOS-style initrds', () => {
    expect(bootScript({ kernel: 'k', initrd: ['--name main /assets/i'] })).toContain('initrd --name main /assets/i\n');
    expect(bootScript({ kernel: 'k', initrd: ['a', 'b'], uefiNames: false })).toBe(
      '#!ipxe\nkernel k\ninitrd a\ninitrd b\nboot\n',
    );
    expect(bootScript({ kernel: 'k', initrd: ['a', 'b'] })).toContain('kernel k initrd=main initrd=initrd1\n');
  });

  it('boots the local disk', () => {
    expect(localBootScript('exit')).toMatch(/\nexit\n$/);
    expect(localBootScript('sanboot')).toContain('sanboot --no-describe --drive 0x80');
  });

  it.each([
    ['a\nboot', /control character/],
    ['||', /operator/],
    ['x y', /spaces outside/],
    ['k="a  b"', /spaces outside/],
    ['#x', /comment/],
    ['', /empty/],
  ])('refuses the argument %j', (arg, msg) => {
    expect(() => checkIpxeArg(arg)).toThrow(msg);
  });

  it('accepts Linux-quoted values with single spaces', () => {
    expect(checkIpxeArg('dyndbg="file a.c +p"')).toBe('dyndbg="file a.c +p"');
  });
});

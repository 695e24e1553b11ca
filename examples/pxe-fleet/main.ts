/**
 * A fleet of N VMs that boot over the network from the boot-artifact server: each VM gets a boot
 * entry selected by its NIC's MAC with a live kernel, initramfs and an Ignition config.
 * `FLEET_SIZE` (default 3) sets N.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { OvirtVm, PxeBootEntry } from '../../constructs';
import { exampleApp, exampleBackend, exampleBootServer, exampleProvider } from '../shared';

const IMAGES = 'https://images.example/fcos';

/** A small Ignition config: the host name and an SSH key for `core`. */
function nodeIgnition(name: string): string {
  return JSON.stringify({
    ignition: { version: '3.2.0' },
    passwd: {
      users: [
        {
          name: 'core',
          sshAuthorizedKeys: [
            process.env.FLEET_SSH_KEY ?? 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFleetExampleKeyOnly fleet@example',
          ],
        },
      ],
    },
    storage: { files: [{ path: '/etc/hostname', mode: 420, overwrite: true, contents: { source: `data:,${name}` } }] },
  });
}

/** The example's stack. */
export function pxeFleetStack(app = exampleApp(), size = Number(process.env.FLEET_SIZE ?? 3)): TerraformStack {
  const stack = new TerraformStack(app, 'pxe-fleet');
  exampleBackend(stack);
  const server = exampleBootServer(stack);
  exampleProvider(stack, server);
  const urls: Record<string, string> = {};
  for (let i = 0; i < size; i++) {
    const name = `fleet-${i}`;
    const vm = new OvirtVm(stack, name, {
      name,
      cluster: { name: process.env.OVIRT_CLUSTER ?? 'Default' },
      cpus: 2,
      memory: '4GiB',
      disks: [{ size: '10GiB', storageDomain: { name: process.env.OVIRT_STORAGE_DOMAIN ?? 'data-nfs' } }],
      nics: [{ name: 'nic1', vnicProfile: { network: process.env.OVIRT_NETWORK ?? 'ovirtmgmt' } }],
      bootDevices: ['network', 'hd'],
    });
    const entry = new PxeBootEntry(stack, `${name}-boot`, {
      name,
      server,
      vm,
      role: 'fleet',
      ignition: nodeIgnition(name),
      oneShot: true,
      ipxe: {
        kernel: `${IMAGES}/live-kernel-x86_64`,
        initrd: [`${IMAGES}/live-initramfs.x86_64.img`],
        args: [
          'ip=dhcp',
          'rd.neednet=1',
          `coreos.live.rootfs_url=${IMAGES}/live-rootfs.x86_64.img`,
          'coreos.inst.install_dev=/dev/sda',
          'coreos.inst.ignition_url={{ignition_url}}',
        ],
      },
    });
    vm.startAfter(entry.resource);
    urls[name] = entry.ipxeUrl!;
  }
  new TerraformOutput(stack, 'chain_url', { value: server.chainUrl, staticId: true });
  new TerraformOutput(stack, 'ipxe_urls', { value: urls, staticId: true });
  return stack;
}

if (require.main === module) {
  const app = exampleApp();
  pxeFleetStack(app);
  app.synth();
}

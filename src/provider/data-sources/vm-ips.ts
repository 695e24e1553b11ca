/**
 * `data "ovirt_vm_ips"`: the guest-reported IP addresses of a VM, waiting (up to `timeout`) until
 * the guest agent reports at least one usable address. Loopback, link-local, multicast and
 * unspecified addresses, and the `lo`/`dummy*` interfaces, are left out.
 */
import type { ReportedDevice, VmId } from '../../ovirt';
import { asId } from '../../ovirt/ids';
import { attr, parseDuration, schema, t, path } from '../../tfplugin';
import { defineDataSource } from '../define';
import { isUuid } from '../common';
import { attempt, reqOpts } from '../ops';

const ipsSchema = schema({
  attributes: {
    vm_id: attr.string({
      required: true,
      description: 'The VM (it must be running with a guest agent, e.g. qemu-guest-agent).',
      validators: [isUuid],
    }),
    timeout: attr.string({
      optional: true,
      description: 'How long to wait for a usable address, e.g. "5m" (default). "0s" reads once without waiting.',
    }),
    interfaces: attr.list(
      t.object({ name: t.string, mac: t.string, ipv4_addresses: t.list(t.string), ipv6_addresses: t.list(t.string) }),
      { computed: true, description: 'Guest interfaces with their usable addresses, sorted by name.' },
    ),
    ipv4_addresses: attr.list(t.string, {
      computed: true,
      description: 'All usable IPv4 addresses.',
    }),
    ipv6_addresses: attr.list(t.string, {
      computed: true,
      description: 'All usable IPv6 addresses.',
    }),
  },
});

const SKIP_IF = /^(lo|dummy\d+)$/;

/** True for addresses a client cannot use to reach the guest. */
export function unusableIp(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\./.exec(ip);
  if (v4) {
    const [first, second] = [Number(v4[1]), Number(v4[2])];
    return (
      ip === '0.0.0.0' ||
      ip === '255.255.255.255' ||
      first === 127 ||
      (first === 169 && second === 254) ||
      (first >= 224 && first <= 239)
    );
  }
  const lower = ip.toLowerCase();
  return lower === '::' || lower === '::1' || lower.startsWith('fe80:') || lower.startsWith('ff');
}

type Iface = { name: string; mac: string; ipv4_addresses: string[]; ipv6_addresses: string[] };

/** Usable interfaces from the reported devices. */
export function interfacesOf(devices: ReportedDevice[]): Iface[] {
  return devices
    .filter((d) => (d.type === undefined || d.type === 'network') && !SKIP_IF.test(d.name ?? ''))
    .map((device) => {
      const ips = (device.ips ?? [])
        .map((i) => ({ a: i.address ?? '', v: i.version ?? (i.address?.includes(':') ? 'v6' : 'v4') }))
        .filter((i) => i.a && !unusableIp(i.a));
      return {
        name: device.name ?? '',
        mac: device.mac?.address ?? '',
        ipv4_addresses: ips.filter((i) => i.v === 'v4').map((i) => i.a),
        ipv6_addresses: ips.filter((i) => i.v === 'v6').map((i) => i.a),
      };
    })
    .filter((i) => i.ipv4_addresses.length + i.ipv6_addresses.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** The `ovirt_vm_ips` data source. */
export const vmIpsDataSource = defineDataSource({
  typeName: 'ovirt_vm_ips',
  description: "Waits for a VM's guest agent to report usable IP addresses and returns them.",
  schema: ipsSchema,

  async read({ config, client, diags, signal }) {
    let waitMs: number;
    try {
      waitMs = parseDuration(config.timeout ?? '5m');
    } catch (err) {
      diags.error('Invalid Timeout', err instanceof Error ? err.message : String(err), path('timeout'));
      return null;
    }
    const deadline = Date.now() + waitMs;
    const vm = asId<VmId>(config.vm_id);
    let delay = 500;
    for (;;) {
      const devices = await attempt(
        diags,
        { action: `reading the addresses VM ${vm} reports`, path: path('vm_id'), signal },
        () => client.engine.reportedDevices.list(vm, reqOpts(signal)),
      );
      if (!devices) return null;
      const interfaces = interfacesOf(devices);
      if (interfaces.length || Date.now() >= deadline || signal.aborted) {
        if (!interfaces.length && waitMs > 0) {
          diags.error(
            'No IP Addresses Reported',
            `VM ${vm} reported no usable IP address within ${config.timeout ?? '5m'}. The VM must be running with a guest agent (qemu-guest-agent) that reports its network; raise \`timeout\` if it boots slowly.`,
            path('timeout'),
          );
        }
        return {
          ...config,
          interfaces,
          ipv4_addresses: interfaces.flatMap((i) => i.ipv4_addresses),
          ipv6_addresses: interfaces.flatMap((i) => i.ipv6_addresses),
        };
      }
      await pause(Math.min(delay, Math.max(0, deadline - Date.now())), signal);
      delay = Math.min(delay * 2, 5000);
    }
  },
});

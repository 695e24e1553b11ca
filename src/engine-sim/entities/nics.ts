/** VM NICs (MACs from the pool), reported devices (guest IPs), graphics consoles and VM tags. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, str, sub } from '../store/repr';
import { Ctx, Reply, Route, actionDone, many, one } from '../engine/handler';
import { Sim } from '../engine/sim';
import { Entity, ref } from '../store/store';
import { render } from '../engine/render';
import { SEED_IDS } from '../store/seed';

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const NIC_INTERFACES = ['e1000', 'e1000e', 'virtio', 'rtl8139', 'rtl8139_virtio', 'spapr_vlan', 'pci_passthrough'];

function macsInUse(sim: Sim): Set<string> {
  return new Set(sim.store.list('nics').map((n) => (str(n.data, 'mac.address') ?? '').toLowerCase()));
}

/** The next free MAC of the pool's range (56:6f:5a:1e:00:00 - 56:6f:5a:1e:ff:ff). */
export function allocateMac(sim: Sim): string {
  const used = macsInUse(sim);
  for (let i = 0; i < 0x10000; i++) {
    const n = sim.store.next('mac') & 0xffff;
    const mac = `56:6f:5a:1e:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
    if (!used.has(mac)) return mac;
  }
  throw opFailed(409, 'Cannot add Interface. Not enough MAC addresses left in MAC Address Pool.');
}

function nicFields(sim: Sim, body: Tree, nic: Tree): Tree {
  const out = { ...nic };
  const iface = str(body, 'interface');
  if (iface !== undefined) {
    if (!NIC_INTERFACES.includes(iface))
      throw new EngineFault(
        400,
        'Invalid Enum value',
        `${iface} is not a member of NicInterface. Possible values are: ${NIC_INTERFACES.join(', ')}`,
      );
    out.interface = iface;
  }
  for (const k of ['name', 'description', 'linked', 'plugged']) if (str(body, k) !== undefined) out[k] = str(body, k);
  const prof = sub(body, 'vnic_profile');
  if (prof) {
    const p = sim.resolve('vnicprofiles', prof, "Cannot add Interface. The specified vNIC profile doesn't exist.");
    if (p) out.vnic_profile = ref('vnicprofiles', p.id);
  }
  return out;
}

function checkMac(sim: Sim, mac: string, self?: string): void {
  if (!MAC_RE.test(mac)) throw opFailed(400, `Cannot add Interface. Invalid MAC address: ${mac}`);
  if (
    sim.store
      .list('nics')
      .some((n) => n.id !== self && (str(n.data, 'mac.address') ?? '').toLowerCase() === mac.toLowerCase())
  ) {
    throw opFailed(409, 'Cannot add Interface. MAC Address is already in use.');
  }
}

function addNic(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const name = str(c.body, 'name');
  if (!name) throw incomplete('Nic', 'name');
  c.sim.assertUnlocked(vm, 'add');
  if (c.sim.store.list('nics', vm.id).some((n) => str(n.data, 'name') === name)) {
    throw opFailed(409, 'Cannot add Interface. The VM Network Interface name is already in use.');
  }
  const mac = str(c.body, 'mac.address');
  if (mac) checkMac(c.sim, mac);
  const id = c.sim.newId();
  const data = nicFields(c.sim, c.body, {
    name,
    description: '',
    interface: 'virtio',
    linked: true,
    plugged: true,
    mac: { address: mac ?? allocateMac(c.sim) },
    synced: true,
    vnic_profile: ref('vnicprofiles', SEED_IDS.vnicProfile),
    vm: ref('vms', vm.id),
  });
  const nic = c.sim.store.put({ kind: 'nics', id, parent: vm.id, data, meta: {} });
  c.sim.onChange();
  return { ...one(nic, 201), location: `${vm.id}/nics/${id}` };
}

function updateNic(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const nic = c.sim.must('nics', c.params.id, vm.id);
  c.sim.assertUnlocked(vm, 'edit');
  const mac = str(c.body, 'mac.address');
  if (mac) checkMac(c.sim, mac, nic.id);
  nic.data = nicFields(c.sim, c.body, nic.data);
  if (mac) nic.data.mac = { address: mac };
  c.sim.onChange();
  return one(nic);
}

/** A NIC as shown: the guest agent's report for its MAC embedded, as the engine does. */
function nicView(sim: Sim, nic: Entity): Tree {
  const mac = str(nic.data, 'mac.address');
  const devs = sim.store.list('reporteddevices', nic.parent).filter((d) => str(d.data, 'mac.address') === mac);
  return devs.length ? { ...nic.data, reported_devices: { reported_device: devs.map((d) => render(d)) } } : nic.data;
}

/** Makes the guest agent's report for a running VM: one network device per NIC with an address. */
export function reportDevices(sim: Sim, vm: Entity): void {
  sim.store.list('nics', vm.id).forEach((nic, i) => {
    const id = sim.newId();
    const octet = (sim.store.next('ip') % 250) + 2;
    sim.store.put({
      kind: 'reporteddevices',
      id,
      parent: vm.id,
      meta: {},
      data: {
        name: `eth${i}`,
        description: 'guest reported data',
        ips: {
          ip: [
            { address: `10.88.${i}.${octet}`, version: 'v4' },
            { address: `fe80::5a1e:${octet.toString(16)}`, version: 'v6' },
          ],
        },
        mac: { address: str(nic.data, 'mac.address') ?? '' },
        type: 'network',
        vm: ref('vms', vm.id),
      },
    });
  });
  vm.data.fqdn = `${str(vm.data, 'name')}.sim.local`;
  vm.data.guest_operating_system = {
    architecture: 'x86_64',
    codename: '',
    distribution: 'Red Hat Enterprise Linux CoreOS',
    family: 'Linux',
    kernel: { version: { build: 0, full_version: '5.14.0-284.el9.x86_64', major: 5, minor: 14, revision: 284 } },
    version: { full_version: '9.2', major: 9 },
  };
  vm.data.guest_time_zone = { name: 'UTC', utc_offset: '+00:00' };
  sim.store.list('diskattachments', vm.id).forEach((a, i) => {
    a.data.logical_name = `/dev/sd${String.fromCharCode(97 + i)}`;
  });
}

/** Forgets the guest agent's report (VM went down). */
export function clearDevices(sim: Sim, vm: Entity): void {
  for (const d of sim.store.list('reporteddevices', vm.id)) sim.store.remove('reporteddevices', d.id, vm.id);
  for (const k of ['fqdn', 'guest_operating_system', 'guest_time_zone']) delete vm.data[k];
  for (const a of sim.store.list('diskattachments', vm.id)) delete a.data.logical_name;
}

function addVmTag(c: Ctx): Reply {
  const vm = c.sim.must('vms', c.params.vm);
  const tag = c.sim.resolve('tags', c.body);
  if (!tag) throw incomplete('Tag', 'id|name');
  const tags = (vm.meta.tags as string[] | undefined) ?? [];
  if (!tags.includes(tag.id)) tags.push(tag.id);
  vm.meta.tags = tags;
  c.sim.onChange();
  return { ...one(tag, 201), location: `${vm.id}/tags/${tag.id}` };
}

function vmTags(sim: Sim, vm: Entity): Entity[] {
  return ((vm.meta.tags as string[] | undefined) ?? [])
    .map((id) => sim.store.get('tags', id))
    .filter((t): t is Entity => !!t);
}

/** Routes of VM NICs, reported devices and tags. */
export const nicRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'vms/{vm}/nics',
    handler: (c) => many('nics', c.sim.store.list('nics', c.sim.must('vms', c.params.vm).id), (n) => nicView(c.sim, n)),
  },
  { method: 'POST', pattern: 'vms/{vm}/nics', root: 'nic', service: 'vm_nics/methods/add', handler: addNic },
  {
    method: 'GET',
    pattern: 'vms/{vm}/nics/{id}',
    handler: (c) => {
      const nic = c.sim.must('nics', c.params.id, c.params.vm);
      return one(nic, 200, nicView(c.sim, nic));
    },
  },
  { method: 'PUT', pattern: 'vms/{vm}/nics/{id}', root: 'nic', service: 'vm_nic/methods/update', handler: updateNic },
  {
    method: 'DELETE',
    pattern: 'vms/{vm}/nics/{id}',
    handler: (c) => {
      c.sim.must('nics', c.params.id, c.params.vm);
      c.sim.store.remove('nics', c.params.id, c.params.vm);
      c.sim.onChange();
      return actionDone();
    },
  },
  {
    method: 'GET',
    pattern: 'templates/{vm}/nics',
    handler: (c) => many('nics', c.sim.store.list('nics', c.sim.must('templates', c.params.vm).id)),
  },
  {
    method: 'GET',
    pattern: 'vms/{vm}/reporteddevices',
    handler: (c) => many('reporteddevices', c.sim.store.list('reporteddevices', c.sim.must('vms', c.params.vm).id)),
  },
  {
    method: 'GET',
    pattern: 'vms/{vm}/tags',
    handler: (c) => many('tags', vmTags(c.sim, c.sim.must('vms', c.params.vm))),
  },
  { method: 'POST', pattern: 'vms/{vm}/tags', root: 'tag', service: 'assigned_tags/methods/add', handler: addVmTag },
  {
    method: 'DELETE',
    pattern: 'vms/{vm}/tags/{id}',
    handler: (c) => {
      const vm = c.sim.must('vms', c.params.vm);
      const tags = (vm.meta.tags as string[] | undefined) ?? [];
      if (!tags.includes(c.params.id)) throw new EngineFault(404, '');
      vm.meta.tags = tags.filter((t) => t !== c.params.id);
      c.sim.onChange();
      return actionDone();
    },
  },
];

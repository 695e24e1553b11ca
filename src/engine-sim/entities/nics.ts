/** VM NICs (MACs from the pool), reported devices (guest IPs), graphics consoles and VM tags. */
import { EngineFault, incomplete, opFailed } from '../errors';
import { Tree, str, sub } from '../store/repr';
import { Ctx, Reply, actionDone, many, one } from '../engine/handler';
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
    const serial = sim.store.next('mac') & 0xffff;
    const mac = `56:6f:5a:1e:${(serial >> 8).toString(16).padStart(2, '0')}:${(serial & 0xff).toString(16).padStart(2, '0')}`;
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
    const profile = sim.resolve(
      'vnicprofiles',
      prof,
      "Cannot add Interface. The specified vNIC profile doesn't exist.",
    );
    if (profile) out.vnic_profile = ref('vnicprofiles', profile.id);
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

export function addNic(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const name = str(ctx.body, 'name');
  if (!name) throw incomplete('Nic', 'name');
  ctx.sim.assertUnlocked(vm, 'add');
  if (ctx.sim.store.list('nics', vm.id).some((n) => str(n.data, 'name') === name)) {
    throw opFailed(409, 'Cannot add Interface. The VM Network Interface name is already in use.');
  }
  const mac = str(ctx.body, 'mac.address');
  if (mac) checkMac(ctx.sim, mac);
  const id = ctx.sim.newId();
  const data = nicFields(ctx.sim, ctx.body, {
    name,
    description: '',
    interface: 'virtio',
    linked: true,
    plugged: true,
    mac: { address: mac ?? allocateMac(ctx.sim) },
    synced: true,
    vnic_profile: ref('vnicprofiles', SEED_IDS.vnicProfile),
    vm: ref('vms', vm.id),
  });
  const nic = ctx.sim.store.put({ kind: 'nics', id, parent: vm.id, data, meta: {} });
  ctx.sim.onChange();
  return { ...one(nic, 201), location: `${vm.id}/nics/${id}` };
}

export function updateNic(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const nic = ctx.sim.must('nics', ctx.params.id, vm.id);
  ctx.sim.assertUnlocked(vm, 'edit');
  const mac = str(ctx.body, 'mac.address');
  if (mac) checkMac(ctx.sim, mac, nic.id);
  nic.data = nicFields(ctx.sim, ctx.body, nic.data);
  if (mac) nic.data.mac = { address: mac };
  ctx.sim.onChange();
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
  sim.store.list('nics', vm.id).forEach((nic, index) => {
    const id = sim.newId();
    const octet = (sim.store.next('ip') % 250) + 2;
    sim.store.put({
      kind: 'reporteddevices',
      id,
      parent: vm.id,
      meta: {},
      data: {
        name: `eth${index}`,
        description: 'guest reported data',
        ips: {
          ip: [
            { address: `10.88.${index}.${octet}`, version: 'v4' },
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

export function addVmTag(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const tag = ctx.sim.resolve('tags', ctx.body);
  if (!tag) throw incomplete('Tag', 'id|name');
  const tags = (vm.meta.tags as string[] | undefined) ?? [];
  if (!tags.includes(tag.id)) tags.push(tag.id);
  vm.meta.tags = tags;
  ctx.sim.onChange();
  return { ...one(tag, 201), location: `${vm.id}/tags/${tag.id}` };
}

function vmTags(sim: Sim, vm: Entity): Entity[] {
  return ((vm.meta.tags as string[] | undefined) ?? [])
    .map((id) => sim.store.get('tags', id))
    .filter((t): t is Entity => !!t);
}

/** `GET /vms/{vm}/nics`. */
export function listVmsNics(ctx: Ctx): Reply {
  return many('nics', ctx.sim.store.list('nics', ctx.sim.must('vms', ctx.params.vm).id), (n) => nicView(ctx.sim, n));
}

/** `GET /vms/{vm}/nics/{id}`. */
export function getVmsNics(ctx: Ctx): Reply {
  const nic = ctx.sim.must('nics', ctx.params.id, ctx.params.vm);
  return one(nic, 200, nicView(ctx.sim, nic));
}

/** `DELETE /vms/{vm}/nics/{id}`. */
export function removeVmsNics(ctx: Ctx): Reply {
  ctx.sim.must('nics', ctx.params.id, ctx.params.vm);
  ctx.sim.store.remove('nics', ctx.params.id, ctx.params.vm);
  ctx.sim.onChange();
  return actionDone();
}

/** `GET /templates/{vm}/nics`. */
export function listTemplatesNics(ctx: Ctx): Reply {
  return many('nics', ctx.sim.store.list('nics', ctx.sim.must('templates', ctx.params.vm).id));
}

/** `GET /vms/{vm}/reporteddevices`. */
export function listVmsReporteddevices(ctx: Ctx): Reply {
  return many('reporteddevices', ctx.sim.store.list('reporteddevices', ctx.sim.must('vms', ctx.params.vm).id));
}

/** `GET /vms/{vm}/tags`. */
export function listVmsTags(ctx: Ctx): Reply {
  return many('tags', vmTags(ctx.sim, ctx.sim.must('vms', ctx.params.vm)));
}

/** `DELETE /vms/{vm}/tags/{id}`. */
export function removeVmsTags(ctx: Ctx): Reply {
  const vm = ctx.sim.must('vms', ctx.params.vm);
  const tags = (vm.meta.tags as string[] | undefined) ?? [];
  if (!tags.includes(ctx.params.id)) throw new EngineFault(404, '');
  vm.meta.tags = tags.filter((t) => t !== ctx.params.id);
  ctx.sim.onChange();
  return actionDone();
}

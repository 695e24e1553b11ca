/** `follow=disk_attachments.disk,nics`: embeds linked objects in a VM's representation. */
import { render } from '../engine/render';
import { Tree } from '../store/repr';
import { Sim } from '../engine/sim';
import { Entity, Kind } from '../store/store';

/** Sub-collections of a VM that `follow` can embed, with their element names. */
const SUBS: Record<string, { kind: Kind; item: string }> = {
  disk_attachments: { kind: 'diskattachments', item: 'disk_attachment' },
  nics: { kind: 'nics', item: 'nic' },
  reported_devices: { kind: 'reporteddevices', item: 'reported_device' },
};

/** Adds the followed sub-collections (and their `disk` / `vnic_profile` references) to `data`. */
export function followVm(sim: Sim, vm: Entity, data: Tree, follow: string | undefined): Tree {
  if (!follow) return data;
  const out: Tree = { ...data };
  for (const path of follow
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [head = '', inner] = path.split('.');
    const sub = SUBS[head];
    if (!sub) continue;
    out[head] = {
      [sub.item]: sim.store.list(sub.kind, vm.id).map((entity) => {
        const tree = render(entity);
        const target = inner ? tree[inner] : undefined;
        const id = target && typeof target === 'object' && !Array.isArray(target) ? target.id : undefined;
        const kind: Kind | undefined =
          inner === 'disk' ? 'disks' : inner === 'vnic_profile' ? 'vnicprofiles' : undefined;
        const linked = kind && typeof id === 'string' ? sim.store.get(kind, id) : undefined;
        if (linked && inner) tree[inner] = render(linked);
        return tree;
      }),
    };
  }
  return out;
}

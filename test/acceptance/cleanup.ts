/**
 * What the suite owns: engine objects whose name starts with a run prefix `acc-<8 hex>-`. Cleanup
 * removes one run's objects, `--sweep` those of every earlier run; nothing else is ever touched
 * (every candidate of the engine's search is checked against the prefix again here).
 */
import { randomBytes } from 'node:crypto';
import { OvirtError, type DiskId, type OvirtClient, type VmId } from '../../src/ovirt';

/** The names of every run's objects. */
export const ANY_RUN = /^acc-[0-9a-f]{8}-/;

/** A fresh run prefix. */
export function newPrefix(): string {
  return `acc-${randomBytes(4).toString('hex')}-`;
}

/** An object the suite created. */
export interface Owned {
  kind: 'vm' | 'disk';
  id: string;
  name: string;
}

/** The suite's objects on the engine: VMs, then disks. `owns` decides by name. */
export async function findOwned(client: OvirtClient, owns: (name: string) => boolean): Promise<Owned[]> {
  const vms = (await client.vms.list({ search: 'name=acc-*' }))
    .filter((v) => v.id && v.name && owns(v.name))
    .map((v): Owned => ({ kind: 'vm', id: v.id!, name: v.name! }));
  const disks = (await client.disks.list({ search: 'name=acc-*' }))
    .map((d) => ({ id: d.id, name: d.alias ?? d.name }))
    .filter((d) => d.id && d.name && owns(d.name))
    .map((d): Owned => ({ kind: 'disk', id: d.id!, name: d.name! }));
  return [...vms, ...disks];
}

const WAIT = { timeoutMs: 10 * 60_000 };

/** Removes the objects (VMs powered off first, their disks with them); returns what could not be removed. */
export async function removeOwned(client: OvirtClient, owned: Owned[], log: (line: string) => void): Promise<string[]> {
  const failed: string[] = [];
  for (const o of owned) {
    try {
      if (o.kind === 'vm') await removeVm(client, o.id as VmId);
      else await removeDisk(client, o.id as DiskId);
      log(`  removed ${o.kind} ${o.name}`);
    } catch (err) {
      if (OvirtError.is(err, 'not_found')) continue;
      failed.push(`${o.kind} ${o.name} (${(err as Error).message})`);
    }
  }
  return failed;
}

async function removeVm(client: OvirtClient, id: VmId): Promise<void> {
  const vm = await client.vms.get(id);
  if (vm.status !== 'down') {
    if (vm.status !== 'image_locked') await client.vms.stop(id, { force: true });
    await client.waitForVmStatus(id, 'down', WAIT);
  }
  await client.vms.remove(id);
}

async function removeDisk(client: OvirtClient, id: DiskId): Promise<void> {
  const disk = await client.disks.get(id);
  if (disk.status === 'locked') await client.waitForDiskOk(id, WAIT);
  await client.disks.remove(id);
}

/** One line naming what is left. */
export function describeOwned(owned: Owned[]): string {
  return owned.length === 0 ? 'nothing' : owned.map((o) => `${o.kind} ${o.name}`).join(', ');
}

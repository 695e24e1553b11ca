/**
 * `ovirt_disk` moves between storage domains in place (the engine's move action) with the real
 * terraform: plan shows an update, the disk keeps its id, drift (moved outside) is moved back,
 * import, a domain of another data center is refused on `storage_domain_id` with the disk left
 * where it was, and Ctrl-C during a move converges on the next apply.
 */
import { SEED_IDS, type EngineSim } from '../../src/engine-sim';
import { expectOk, resourceValues, type Workspace } from '../support/terraform';
import { flat, interruptWhen, OTHER, useDay2Env } from './day2-support';
import { apply, expectNoChanges, plan } from './stack-flow';

describe('ovirt_disk storage_domain_id moves the disk (real terraform, simulator)', () => {
  const start = useDay2Env('disk-move');
  let sim: EngineSim;
  let ws: Workspace;
  const domain = (sd: string) => ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ storage_domain_id: sd }) });
  const diskDomain = (id: string) =>
    (sim.control.get('disks', id)!.data.storage_domains as { storage_domain: { id: string }[] }).storage_domain[0]!.id;
  it('moves in place, moves back after drift, imports, refuses another data center', async () => {
    ({ sim, ws } = await start('none', 7));
    domain(SEED_IDS.nfsDomain);
    await apply(ws);
    const id = String(resourceValues(await ws.state(), 'ovirt_disk.data')!.id);
    domain(SEED_IDS.blockDomain);
    const planned = await plan(ws);
    expect(planned.stdout).toContain('1 to change, 0 to destroy');
    await apply(ws);
    expect([resourceValues(await ws.state(), 'ovirt_disk.data')!.id, diskDomain(id)]).toEqual([
      id,
      SEED_IDS.blockDomain,
    ]);
    await expectNoChanges(ws);

    sim.control.mutate('disks', id, { storage_domains: { storage_domain: [{ id: SEED_IDS.nfsDomain }] } });
    expect((await plan(ws)).stdout).toMatch(
      /~ storage_domain_id = "5a1e0000-0000-4000-8000-000000005d01" -> "5a1e0000-0000-4000-8000-000000005d02"/,
    );
    await apply(ws);
    expect(diskDomain(id)).toBe(SEED_IDS.blockDomain);

    expectOk(await ws.terraform('state', 'rm', 'ovirt_disk.data'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_disk.data', id));
    await expectNoChanges(ws);

    domain(OTHER.sd);
    const bad = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(bad.code).toBe(1);
    expect(flat(bad.stderr)).toContain(
      'Cannot move Virtual Disk. The selected Storage Domain is not part of the Data Center.',
    );
    expect(bad.stderr).toMatch(/with ovirt_disk\.data,[\s\S]*storage_domain_id/);
    expect([diskDomain(id), sim.control.get('disks', id)!.data.status]).toEqual([SEED_IDS.blockDomain, 'ok']);

    domain(SEED_IDS.blockDomain);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('disks', id)).toBeUndefined();
  }, 600_000);

  it('Ctrl-C during a move: the next apply converges on the target domain', async () => {
    ({ sim, ws } = await start('realistic', 7));
    domain(SEED_IDS.nfsDomain);
    await apply(ws);
    const id = String(resourceValues(await ws.state(), 'ovirt_disk.data')!.id);
    domain(SEED_IDS.blockDomain);
    const locked = () => sim.control.get('disks', id)!.data.status === 'locked';
    expect(await interruptWhen(ws, locked)).toEqual({ code: 1, sawIt: true });
    await apply(ws);
    await expectNoChanges(ws);
    expect([diskDomain(id), sim.control.get('disks', id)!.data.status]).toEqual([SEED_IDS.blockDomain, 'ok']);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
  }, 600_000);
});

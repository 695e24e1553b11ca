/**
 * `ovirt_disk` moves between storage domains in place (the engine's move action) with the real
 * terraform: plan shows an update, the disk keeps its id, drift (moved outside) is moved back,
 * import, a domain of another data center is refused on `storage_domain_id` with the disk left
 * where it was, and Ctrl-C during a move converges on the next apply.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim, type DelayProfile } from '../../src/engine-sim';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { apply, expectNoChanges, plan } from './stack-flow';

const HCL = path.join(__dirname, 'hcl', 'disk-move', 'main.tf');
const OTHER_DC = '5a1e0000-0000-4000-8000-00000000dc02';
const OTHER_SD = '5a1e0000-0000-4000-8000-000000005d09';
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('ovirt_disk storage_domain_id moves the disk (real terraform, simulator)', () => {
  let sim: EngineSim;
  let ws: Workspace;
  let dir: string;
  const start = async (delays: DelayProfile) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-move-'));
    const seed = path.join(dir, 'seed.json');
    const ref = (k: string, id: string) => ({ href: `/ovirt-engine/api/${k}/${id}`, id });
    fs.writeFileSync(seed, JSON.stringify([
      { kind: 'datacenters', id: OTHER_DC, data: { name: 'other', status: 'up' } },
      { kind: 'storagedomains', id: OTHER_SD, data: { name: 'other-sd', status: 'active', type: 'data', storage: { type: 'nfs' },
        data_centers: { data_center: [ref('datacenters', OTHER_DC)] } } },
    ]));
    sim = await startEngineSim({ delays, seedFile: seed, seed: 7 });
    ws = await createWorkspace({ env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile } });
    ws.writeFiles({ 'main.tf': fs.readFileSync(HCL, 'utf8').replaceAll('__SOURCE__', ws.source) });
    expectOk(await ws.terraform('init', '-no-color'));
  };
  const domain = (sd: string) => ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ storage_domain_id: sd }) });
  const diskDomain = (id: string) => (sim.control.get('disks', id)!.data.storage_domains as { storage_domain: { id: string }[] }).storage_domain[0].id;
  afterEach(async () => { await ws?.cleanup(); await sim?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('moves in place, moves back after drift, imports, refuses another data center', async () => {
    await start('none');
    domain(SEED_IDS.nfsDomain);
    await apply(ws);
    const id = String(resourceValues(await ws.state(), 'ovirt_disk.data')!.id);
    domain(SEED_IDS.blockDomain);
    const p = await plan(ws);
    expect(p.stdout).toContain('1 to change, 0 to destroy');
    await apply(ws);
    expect([resourceValues(await ws.state(), 'ovirt_disk.data')!.id, diskDomain(id)]).toEqual([id, SEED_IDS.blockDomain]);
    await expectNoChanges(ws);

    sim.control.mutate('disks', id, { storage_domains: { storage_domain: [{ id: SEED_IDS.nfsDomain }] } });
    expect((await plan(ws)).stdout).toMatch(/~ storage_domain_id = "5a1e0000-0000-4000-8000-000000005d01" -> "5a1e0000-0000-4000-8000-000000005d02"/);
    await apply(ws);
    expect(diskDomain(id)).toBe(SEED_IDS.blockDomain);

    expectOk(await ws.terraform('state', 'rm', 'ovirt_disk.data'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_disk.data', id));
    await expectNoChanges(ws);

    domain(OTHER_SD);
    const bad = await ws.terraform('apply', '-auto-approve', '-no-color');
    expect(bad.code).toBe(1);
    expect(flat(bad.stderr)).toContain('Cannot move Virtual Disk. The selected Storage Domain is not part of the Data Center.');
    expect(bad.stderr).toMatch(/with ovirt_disk\.data,[\s\S]*storage_domain_id/);
    expect([diskDomain(id), sim.control.get('disks', id)!.data.status]).toEqual([SEED_IDS.blockDomain, 'ok']);

    domain(SEED_IDS.blockDomain);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(sim.control.get('disks', id)).toBeUndefined();
  }, 600_000);

  it('Ctrl-C during a move: the next apply converges on the target domain', async () => {
    await start('realistic');
    domain(SEED_IDS.nfsDomain);
    await apply(ws);
    const id = String(resourceValues(await ws.state(), 'ovirt_disk.data')!.id);
    domain(SEED_IDS.blockDomain);
    const child = ws.spawn(['apply', '-auto-approve', '-no-color']);
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    const locked = () => sim.control.get('disks', id)!.data.status === 'locked';
    for (let i = 0; i < 600 && !locked(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(locked()).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    expect(await done).toBe(1);
    await apply(ws);
    await expectNoChanges(ws);
    expect([diskDomain(id), sim.control.get('disks', id)!.data.status]).toEqual([SEED_IDS.blockDomain, 'ok']);
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
  }, 600_000);
});

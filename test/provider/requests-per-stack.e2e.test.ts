/**
 * Engine requests per VM stack (VM, disk, attachment, NIC) with the real terraform against the
 * simulator, counted by the simulator: at most 5 to create and 6 to destroy (issue 13). The NIC and
 * attachment refresh reads are answered by the VM's read (`follow=disk_attachments,nics`), so the
 * test also shows that drift in a NIC or an attachment is still seen, and a NIC deleted outside
 * Terraform is created again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { apply, expectNoChanges, plan } from './stack-flow';

const STACKS = 3;
const HCL = path.join(__dirname, 'hcl', 'requests', 'main.tf');

/** Requests since the last reset, without each provider process's one connection check (`GET /`). */
function stackRequests(sim: EngineSim): Record<string, number> {
  const { ['GET /']: _check, ...rest } = sim.control.counters();
  return rest;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('engine requests per VM stack (real terraform, simulator)', () => {
  let sim: EngineSim;
  let ws: Workspace;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    ws = await createWorkspace({
      env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
    });
    ws.writeFiles({
      'main.tf': fs.readFileSync(HCL, 'utf8').replaceAll('__SOURCE__', ws.source),
      'terraform.tfvars.json': JSON.stringify({
        stacks: STACKS,
        cluster_id: SEED_IDS.cluster,
        storage_domain_id: SEED_IDS.nfsDomain,
        vnic_profile_id: SEED_IDS.vnicProfile,
      }),
    });
    expectOk(await ws.terraform('init', '-no-color'));
  });
  afterAll(async () => {
    await ws?.cleanup();
    await sim?.stop();
  });

  it('creates with at most 5, refreshes NICs and attachments with the VM read, sees their drift, destroys with at most 6', async () => {
    sim.control.resetCounters();
    await apply(ws);
    const created = stackRequests(sim);
    expect(sum(created) / STACKS).toBeLessThanOrEqual(5);

    // A refresh reads each VM (with its NICs and attachments) and each disk, nothing else.
    sim.control.resetCounters();
    await expectNoChanges(ws);
    expect(stackRequests(sim)).toEqual({ 'GET /vms/{id}': STACKS, 'GET /disks/{id}': STACKS });

    // Drift in a NIC and in an attachment, and a NIC deleted outside Terraform.
    const state = await ws.state();
    const nic = (i: number) => resourceValues(state, `ovirt_nic.nic[${i}]`)!;
    const attachment = resourceValues(state, 'ovirt_disk_attachment.os[1]')!;
    sim.control.mutate('nics', String(nic(0).id), { name: 'edited' }, String(nic(0).vm_id));
    sim.control.mutate(
      'diskattachments',
      String(attachment.disk_id),
      { bootable: false, interface: 'sata' },
      String(attachment.vm_id),
    );
    expect(sim.control.remove('nics', String(nic(2).id), String(nic(2).vm_id))).toBe(true);
    const drift = await plan(ws);
    expect(drift.stdout).toMatch(/ovirt_nic\.nic\[0\] will be updated in-place[\s\S]*~ name\s+= "edited" -> "nic1"/);
    expect(drift.stdout).toMatch(
      /ovirt_disk_attachment\.os\[1\] will be updated in-place[\s\S]*~ bootable\s+= false -> true[\s\S]*~ interface\s+= "sata" -> "virtio_scsi"/,
    );
    expect(drift.stdout).toContain('ovirt_nic.nic[2] will be created');
    expect(drift.stdout).toContain('Plan: 1 to add, 2 to change, 0 to destroy.');
    await apply(ws);
    await expectNoChanges(ws);

    sim.control.resetCounters();
    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    const destroyed = stackRequests(sim);
    // No NIC or attachment read of its own: the VM's read brought them.
    expect(destroyed['GET /vms/{id}/nics/{id}']).toBeUndefined();
    expect(destroyed['GET /vms/{id}/diskattachments/{id}']).toBeUndefined();
    expect(sum(destroyed) / STACKS).toBeLessThanOrEqual(6);
    expect(sim.control.list('vms').filter((v) => String(v.data.name).startsWith('counted-'))).toEqual([]);
  });
});

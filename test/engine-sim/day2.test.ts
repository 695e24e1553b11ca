/** Day-2 operations of the simulator: snapshots, clones, migration, disk moves, tickets, validation. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { fetch } from 'undici';
import { SimClient } from './sim-client';
import { OTHER, writeOtherDcSeed } from './other-dc-seed';

const GiB = 1024 ** 3;
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
describe('engine-sim day-2 operations', () => {
  let sim: EngineSim;
  let client: SimClient;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-day2-'));
    const seed = writeOtherDcSeed(dir);
    sim = await startEngineSim({ seedFile: seed });
    client = await new SimClient(sim).login();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const snapshots = async (vm: string): Promise<any[]> =>
    arr((await client.get(`/vms/${vm}/snapshots`)).doc.snapshots.snapshot);
  const diskOf = async (vm: string): Promise<string> =>
    arr((await client.get(`/vms/${vm}/diskattachments`)).doc.disk_attachments.disk_attachment)[0]['@id'];

  it('lists the active snapshot of every VM; takes, restores and removes regular ones', async () => {
    const vm = await client.createVm('snap-vm');
    const [active] = await snapshots(vm);
    expect([active.snapshot_type, active.description, active.snapshot_status]).toEqual(['active', 'Active VM', 'ok']);
    const created = await client.post(
      `/vms/${vm}/snapshots`,
      '<snapshot><description>before</description><persist_memorystate>false</persist_memorystate></snapshot>',
    );
    expect([created.status, created.doc.snapshot.snapshot_status, created.doc.snapshot.snapshot_type]).toEqual([
      201,
      'locked',
      'regular',
    ]);
    const id = created.doc.snapshot['@id'];
    expect((await client.get(`/vms/${vm}/snapshots/${id}`)).doc.snapshot.snapshot_status).toBe('ok');
    expect(arr((await client.get(`/vms/${vm}/snapshots/${id}/disks`)).doc.disks.disk)).toHaveLength(1);
    expect((await snapshots(vm)).map((s) => s.snapshot_type)).toEqual(['regular', 'active']);
    await client.put(`/vms/${vm}`, `<vm><memory>${2 * GiB}</memory></vm>`);
    const restored = await client.post(`/vms/${vm}/snapshots/${id}/restore`);
    expect(restored.status).toBe(200);
    expect((await client.get(`/vms/${vm}`)).doc.vm.memory).toBe(16 * GiB);
    const noActive = await client.del(`/vms/${vm}/snapshots/${active['@id']}`);
    expect([noActive.status, noActive.doc.fault.detail]).toEqual([
      409,
      '[Cannot remove Snapshot. The operation is only allowed for regular snapshots.]',
    ]);
    expect((await client.del(`/vms/${vm}/snapshots/${id}`)).status).toBe(200);
    expect((await client.get(`/vms/${vm}/snapshots/${id}`)).status).toBe(404);
  });

  it('previews a snapshot, then undoes or commits the preview', async () => {
    const vm = await client.createVm('preview-vm');
    const first = (await client.post(`/vms/${vm}/snapshots`, '<snapshot><description>one</description></snapshot>')).doc
      .snapshot['@id'];
    await client.put(`/vms/${vm}`, `<vm><memory>${2 * GiB}</memory></vm>`);
    const second = (await client.post(`/vms/${vm}/snapshots`, '<snapshot><description>two</description></snapshot>'))
      .doc.snapshot['@id'];
    const notPreviewing = await client.post(`/vms/${vm}/commitsnapshot`);
    expect(notPreviewing.doc.action.fault.detail).toContain('that is not being previewed');
    expect((await client.post(`/vms/${vm}/previewsnapshot`, `<action><snapshot id="${first}"/></action>`)).status).toBe(
      200,
    );
    expect((await client.get(`/vms/${vm}/snapshots/${first}`)).doc.snapshot.snapshot_status).toBe('in_preview');
    expect((await client.get(`/vms/${vm}`)).doc.vm.memory).toBe(16 * GiB);
    const twice = await client.post(`/vms/${vm}/previewsnapshot`, `<action><snapshot id="${second}"/></action>`);
    expect(twice.doc.action.fault.detail).toBe('[Cannot preview Snapshot. VM is previewing a Snapshot.]');
    await client.post(`/vms/${vm}/undosnapshot`);
    expect((await client.get(`/vms/${vm}`)).doc.vm.memory).toBe(2 * GiB);
    await client.post(`/vms/${vm}/previewsnapshot`, `<action><snapshot id="${first}"/></action>`);
    await client.post(`/vms/${vm}/commitsnapshot`);
    expect((await client.get(`/vms/${vm}`)).doc.vm.memory).toBe(16 * GiB);
    expect((await snapshots(vm)).map((s) => s.description)).toEqual(['one', 'Active VM']);
  });

  it("refuses snapshots of a locked VM, of unattached disks, and restores of another VM's snapshot", async () => {
    const vm = await client.createVm('snap-bad');
    const other = await client.createVm('snap-other');
    const theirs = (await client.post(`/vms/${other}/snapshots`, '<snapshot><description>x</description></snapshot>'))
      .doc.snapshot['@id'];
    sim.control.lock(vm);
    const locked = await client.post(`/vms/${vm}/snapshots`, '<snapshot><description>x</description></snapshot>');
    sim.control.unlock(vm);
    expect([locked.status, locked.doc.fault.detail]).toEqual([
      409,
      '[Cannot create Snapshot: VM is locked. Please try again in a few minutes.]',
    ]);
    const disk = await diskOf(other);
    const subset = await client.post(
      `/vms/${vm}/snapshots`,
      `<snapshot><description>x</description><disk_attachments><disk_attachment><disk id="${disk}"/></disk_attachment></disk_attachments></snapshot>`,
    );
    expect(subset.status).toBe(400);
    expect(subset.doc.fault.detail).toContain('The following disks are either unplugged or unattached');
    const foreign = await client.post(`/vms/${vm}/snapshots/${theirs}/restore`);
    expect([foreign.status, foreign.doc.action.fault.detail]).toEqual([
      400,
      "[Cannot revert to Snapshot. VM's Snapshot does not exist.]",
    ]);
    expect(arr((await client.get(`/vms/${vm}/snapshots`)).doc.snapshots.snapshot)).toHaveLength(1);
  });

  it('clones a VM and makes a VM from a snapshot, with copies of the disks', async () => {
    const src = await client.createVm('clone-src');
    const cl = await client.post(`/vms/${src}/clone`, '<action><vm><name>clone-dst</name></vm></action>');
    expect(cl.status).toBe(200);
    const dst = cl.doc.action.vm['@id'];
    expect((await client.get(`/vms/${dst}`)).doc.vm.name).toBe('clone-dst');
    expect(await diskOf(dst)).not.toBe(await diskOf(src));
    const dup = await client.post(`/vms/${src}/clone`, '<action><vm><name>clone-dst</name></vm></action>');
    expect(dup.doc.action.fault.detail).toBe(
      '[Cannot clone VM. The VM name is already in use, please choose a unique name and try again.]',
    );
    const snap = (await client.post(`/vms/${src}/snapshots`, '<snapshot><description>s</description></snapshot>')).doc
      .snapshot['@id'];
    const fromSnap = await client.post(
      '/vms',
      `<vm><name>from-snap</name><cluster id="${SEED_IDS.cluster}"/><template><name>Blank</name></template><snapshots><snapshot id="${snap}"/></snapshots></vm>`,
    );
    expect(fromSnap.status).toBe(201);
    expect(fromSnap.doc.vm.memory).toBe(16 * GiB);
    expect(
      arr((await client.get(`/vms/${fromSnap.doc.vm['@id']}/diskattachments`)).doc.disk_attachments.disk_attachment),
    ).toHaveLength(1);
  });

  it('migrates a running VM to another host and refuses hosts of another cluster or in maintenance', async () => {
    const vm = await client.createVm('mig-vm');
    await client.post(`/vms/${vm}/start`);
    const from = (await client.get(`/vms/${vm}`)).doc.vm.host['@id'];
    const to = SEED_IDS.hosts.find((h) => h !== from) as string;
    const same = await client.post(`/vms/${vm}/migrate`, `<action><host id="${from}"/></action>`);
    expect(same.doc.action.fault.detail).toBe('[Cannot migrate VM. source and destination is the same.]');
    const cross = await client.post(`/vms/${vm}/migrate`, `<action><host id="${OTHER.host}"/></action>`);
    expect(cross.doc.action.fault.detail).toContain('VM can be migrated only between Hosts in the same Cluster');
    const spare = SEED_IDS.hosts.find((h) => h !== from && h !== to) as string;
    await client.post(`/hosts/${spare}/deactivate`);
    expect((await client.get(`/hosts/${spare}`)).doc.host.status).toBe('maintenance');
    const maint = await client.post(`/vms/${vm}/migrate`, `<action><host id="${spare}"/></action>`);
    expect(maint.doc.action.fault.detail).toBe(
      '[Cannot migrate VM. Operation can be performed only when Host status is Up.]',
    );
    await client.post(`/hosts/${spare}/activate`);
    const ok = await client.post(`/vms/${vm}/migrate`, `<action><host id="${to}"/></action>`);
    expect(ok.status).toBe(200);
    const after = (await client.get(`/vms/${vm}`)).doc.vm;
    expect([after.status, after.host['@id']]).toEqual(['up', to]);
    const ticket = await client.post(`/vms/${vm}/ticket`, '<action><ticket><expiry>120</expiry></ticket></action>');
    expect(ticket.doc.action.ticket.expiry).toBe(120);
    expect(String(ticket.doc.action.ticket.value)).toHaveLength(12);
  });

  it('moves a disk between domains of its data center, not to another one', async () => {
    const disk = (
      await client.post(
        '/disks',
        `<disk><name>mv</name><provisioned_size>${GiB}</provisioned_size><format>cow</format><storage_domains><storage_domain id="${SEED_IDS.nfsDomain}"/></storage_domains></disk>`,
      )
    ).doc.disk['@id'];
    await client.get(`/disks/${disk}`);
    const other = await client.post(`/disks/${disk}/move`, `<action><storage_domain id="${OTHER.sd}"/></action>`);
    expect([other.status, other.doc.action.fault.detail]).toEqual([
      409,
      '[Cannot move Virtual Disk. The selected Storage Domain is not part of the Data Center.]',
    ]);
    const same = await client.post(
      `/disks/${disk}/move`,
      `<action><storage_domain id="${SEED_IDS.nfsDomain}"/></action>`,
    );
    expect(same.doc.action.fault.detail).toBe(
      '[Cannot move Virtual Disk. The source and target storage domains are the same.]',
    );
    const ok = await client.post(
      `/disks/${disk}/move`,
      `<action><storage_domain id="${SEED_IDS.blockDomain}"/></action>`,
    );
    expect(ok.status).toBe(200);
    expect((await client.get(`/disks/${disk}`)).doc.disk.storage_domains.storage_domain['@id']).toBe(
      SEED_IDS.blockDomain,
    );
  });

  it('serves storage domains in their data-center form, with activate and deactivate', async () => {
    const domainPath = `/datacenters/${SEED_IDS.datacenter}/storagedomains/${SEED_IDS.blockDomain}`;
    const sd = (await client.get(domainPath)).doc.storage_domain;
    expect(sd['@href']).toBe(`/ovirt-engine/api${domainPath}`);
    expect(arr(sd.actions.link).map((l: any) => l['@rel'])).toEqual(['activate', 'deactivate']);
    expect((await client.post(`${domainPath}/deactivate`)).status).toBe(200);
    expect((await client.get(domainPath)).doc.storage_domain.status).toBe('maintenance');
    const again = await client.post(`${domainPath}/deactivate`);
    expect(again.doc.action.fault.detail).toBe(
      "[Cannot deactivate Storage. The relevant Storage Domain's status is Maintenance.]",
    );
    await client.post(`${domainPath}/activate`);
    expect((await client.get(`/datacenters/${SEED_IDS.datacenter}/storagedomains/${OTHER.sd}`)).status).toBe(404);
  });

  it('validates memory and sockets as the engine does; a decrease on a running VM waits for the next run', async () => {
    const vm = await client.createVm('val-vm');
    const zero = await client.put(`/vms/${vm}`, '<vm><memory>0</memory></vm>');
    expect([zero.status, zero.doc.fault.detail]).toEqual([
      400,
      '[Cannot edit VM. Attribute: vmStatic.memSizeMb, must be greater than or equal to 1]',
    ]);
    const neg = await client.post(
      '/vms',
      `<vm><name>neg</name><cluster id="${SEED_IDS.cluster}"/><template><name>Blank</name></template><memory>-5</memory></vm>`,
    );
    expect(neg.status).toBe(400);
    const sockets = await client.put(`/vms/${vm}`, '<vm><cpu><topology><sockets>0</sockets></topology></cpu></vm>');
    expect([sockets.status, sockets.doc.fault.detail]).toEqual([
      400,
      '[Minimum number of sockets cannot be less then 1]',
    ]);
    await client.post(`/vms/${vm}/start`);
    const down = await client.put(
      `/vms/${vm}`,
      `<vm><memory>${8 * GiB}</memory><memory_policy><guaranteed>${8 * GiB}</guaranteed></memory_policy></vm>`,
    );
    expect([down.status, down.doc.vm.memory, down.doc.vm.next_run_configuration_exists]).toEqual([200, 16 * GiB, true]);
    expect((await client.get(`/vms/${vm}?next_run=true`)).doc.vm.memory).toBe(8 * GiB);
  });

  it('pins vCPUs by hand, refuses pins the engine refuses, and clears them with an empty list', async () => {
    const vm = await client.createVm('pin-vm', '<cpu><topology><sockets>1</sockets><cores>2</cores></topology></cpu>');
    const pins = (...pairs: [string, string][]) =>
      `<vm><cpu><cpu_tune><vcpu_pins>${pairs
        .map(([vcpu, set]) => `<vcpu_pin><vcpu>${vcpu}</vcpu><cpu_set>${set}</cpu_set></vcpu_pin>`)
        .join('')}</vcpu_pins></cpu_tune></cpu></vm>`;
    const refused = async (body: string) => {
      const answer = await client.put(`/vms/${vm}`, body);
      return [answer.status, answer.doc.fault?.detail];
    };
    expect(await refused(pins(['0', '1-']))).toEqual([400, '[CPU pinning format invalid.]']);
    expect(await refused(pins(['0', '3-3']))).toEqual([400, '[CPU pinning format invalid.]']);
    expect(await refused(pins(['2', '0']))).toEqual([
      400,
      '[CPU pinning validation failed - virtual CPU does not exist in vm.]',
    ]);
    expect(await refused(pins(['1', '0'], ['1', '2']))).toEqual([
      400,
      '[Cannot configure CPU pinning twice to the same vCPU.]',
    ]);
    expect(await refused(pins(['0', '1,^1']))).toEqual([400, '[Cannot pin a vCPU to no pCPU.]']);

    const set = await client.put(`/vms/${vm}`, pins(['1', '0-3,^2'], ['0', '2']));
    expect(set.status).toBe(200);
    const read = (await client.get(`/vms/${vm}`, { json: true })).doc;
    expect([read.cpu_pinning_policy, read.cpu.cpu_tune.vcpu_pins.vcpu_pin]).toEqual([
      'manual',
      [
        { vcpu: '1', cpu_set: '0-3,^2' },
        { vcpu: '0', cpu_set: '2' },
      ],
    ]);
    // Another update that leaves cpu_tune out keeps the pins; an empty list clears them.
    await client.put(`/vms/${vm}`, '<vm><description>pinned</description></vm>');
    expect((await client.get(`/vms/${vm}`, { json: true })).doc.cpu.cpu_tune.vcpu_pins.vcpu_pin).toHaveLength(2);
    expect((await client.put(`/vms/${vm}`, pins())).status).toBe(200);
    const cleared = (await client.get(`/vms/${vm}`, { json: true })).doc;
    expect([cleared.cpu_pinning_policy, cleared.cpu.cpu_tune]).toEqual(['none', undefined]);
  });

  it('serves the CA at /ca.crt and checks pki-resource parameters', async () => {
    const base = sim.url.replace(/\/api$/, '');
    const ca = await fetch(`${base}/ca.crt`, { dispatcher: client.agent });
    expect([ca.status, await ca.text()]).toEqual([200, sim.caPem]);
    const bad = await fetch(`${base}/services/pki-resource?resource=nope&format=X509-PEM-CA`, {
      dispatcher: client.agent,
    });
    expect([bad.status, await bad.text()]).toEqual([400, "Resource 'nope' is invalid\n"]);
  });
});

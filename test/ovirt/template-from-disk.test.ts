/**
 * `OvirtClient.templateFromDisk` against the simulator: the template is made through a temporary
 * VM that is gone afterwards, and when the engine refuses the template (a name already in use) the
 * temporary VM is removed all the same, the disk kept, and the engine's reason reported.
 */
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { OvirtClient, OvirtError, asId, type DiskId } from '../../src/ovirt';

const MiB = 1024 * 1024;
let sim: EngineSim;
let client: OvirtClient;

beforeAll(async () => {
  sim = await startEngineSim({ delays: 'fast' });
  client = await OvirtClient.connect({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    caPem: sim.caPem,
  });
});
afterAll(async () => {
  await client?.close();
  await sim?.stop();
});

/** A new disk, ok. */
async function disk(alias: string): Promise<DiskId> {
  const made = await client.disks.create({
    alias,
    format: 'cow',
    provisioned_size: 16 * MiB,
    storage_domains: [{ id: SEED_IDS.nfsDomain }],
  });
  const id = asId<DiskId>(made.id!);
  await client.waitForDiskOk(id, { timeoutMs: 60_000 });
  return id;
}

const temporaryVms = () => sim.control.list('vms').filter((v) => String(v.data.name).startsWith('tmpvm-for-'));
const spec = (name: string, diskId: DiskId) => ({ name, diskId, clusterId: SEED_IDS.cluster });

it('makes the template through a temporary VM that does not stay; the disk stays', async () => {
  const diskId = await disk('tfd-os');
  const template = await client.templateFromDisk(spec('tfd-template', diskId), { timeoutMs: 60_000 });
  expect(template).toMatchObject({ name: 'tfd-template', status: 'ok' });
  expect(temporaryVms()).toEqual([]);
  expect((await client.disks.get(diskId)).status).toBe('ok');
});

it('a template the engine refuses leaves no temporary VM and reports the reason', async () => {
  const diskId = await disk('tfd-os-2');
  const err = await client
    .templateFromDisk(spec('tfd-template', diskId), { timeoutMs: 60_000 })
    .catch((e: unknown) => e);
  expect(OvirtError.is(err)).toBe(true);
  expect((err as OvirtError).message).toContain('The Template name is already in use');
  expect(temporaryVms()).toEqual([]);
  expect((await client.disks.get(diskId)).status).toBe('ok');
  expect(sim.control.list('templates').filter((t) => t.data.name === 'tfd-template')).toHaveLength(1);
});

/**
 * Shape conformance: for each kind, the element paths present in a real engine 4.3 response
 * (../shared/fixtures/ovirt-engine-4.3) must be present in the simulator's XML for the same kind of
 * object. Missing paths are listed in the failure message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';
import { nth } from '../support/nth';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/ovirt-engine-4.3');
const present = fs.existsSync(FIXTURES);
if (!present) console.warn(`engine-sim conformance: SKIPPED, fixtures folder ${FIXTURES} is absent`);
const describeIfPresent = present ? describe : describe.skip;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: () => true });
type El = Record<string, unknown>;

/** Element paths of one entity: `/a/b`, with `@id` appended for references; links and actions apart. */
export function elementPaths(el: El, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(el)) {
    if (k.startsWith('@') || k === '#text' || k === 'link' || k === 'actions') continue;
    for (const child of v as unknown[]) {
      const elementPath = `${prefix}/${k}`;
      if (typeof child !== 'object' || child === null) {
        out.add(elementPath);
        continue;
      }
      const childEl = child as El;
      out.add(childEl['@id'] !== undefined ? `${elementPath}@id` : elementPath);
      for (const x of elementPaths(childEl, elementPath)) out.add(x);
    }
  }
  return out;
}

function rels(el: El): Set<string> {
  const links = [
    ...((el.link as El[] | undefined) ?? []),
    ...(((el.actions as El[] | undefined)?.[0]?.link as El[] | undefined) ?? []),
  ];
  return new Set(links.map((l) => String(l['@rel'])));
}

function fixtureEntities(file: string, plural: string, singular: string): El[] {
  const doc = parser.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as El;
  return (nth(doc[plural] as El[], 0)[singular] as El[]) ?? [];
}

function text(el: El, key: string): string | undefined {
  const first = (el[key] as unknown[] | undefined)?.[0];
  return typeof first === 'object' && first !== null
    ? String((first as El)['#text'] ?? '')
    : first === undefined
      ? undefined
      : String(first);
}

/** What is in the fixture entity but not in the simulator's: element paths and link rels. */
function missing(real: El, simEl: El): string[] {
  const have = elementPaths(simEl);
  const paths = [...elementPaths(real)].filter((p) => !have.has(p));
  const simRels = rels(simEl);
  return [...paths, ...[...rels(real)].filter((r) => !simRels.has(r)).map((r) => `link rel=${r}`)].sort();
}

describeIfPresent('engine-sim shape conformance with real engine 4.3 responses', () => {
  let sim: EngineSim;
  let client: SimClient;
  let downVm: string;
  let upVm: string;
  beforeAll(async () => {
    sim = await startEngineSim();
    client = await new SimClient(sim).login();
    downVm = await client.createVm('conf-down');
    upVm = await client.createVm('conf-up');
    await client.post(`/vms/${upVm}/nics`, '<nic><name>nic1</name></nic>');
    await client.post(`/vms/${upVm}/start`);
    await client.until(`/vms/${upVm}`, (x) => x.vm.status, 'up');
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  const simEntity = async (apiPath: string, singular: string): Promise<El> => {
    const answer = await client.get(apiPath);
    expect(answer.status).toBe(200);
    return nth((parser.parse(answer.text) as El)[singular] as El[], 0);
  };

  const cases: Array<[string, string, string, string, (e: El) => boolean, () => string]> = [
    ['down VM', 'vms.xml', 'vms', 'vm', (e) => text(e, 'status') === 'down', () => `/vms/${downVm}`],
    ['up VM', 'vms.xml', 'vms', 'vm', (e) => text(e, 'status') === 'up', () => `/vms/${upVm}`],
    [
      'template',
      'templates.xml',
      'templates',
      'template',
      (e) => text(e, 'name') !== 'Blank',
      () => `/templates/${SEED_IDS.rhcosTemplate}`,
    ],
    [
      'Blank template',
      'templates.xml',
      'templates',
      'template',
      (e) => text(e, 'name') === 'Blank',
      () => `/templates/${SEED_IDS.blankTemplate}`,
    ],
    [
      'data disk',
      'disks.xml',
      'disks',
      'disk',
      (e) => text(e, 'content_type') === 'data' && text(e, 'format') === 'cow',
      () => `/disks/${SEED_IDS.rhcosDisk}`,
    ],
    ['cluster', 'clusters.xml', 'clusters', 'cluster', () => true, () => `/clusters/${SEED_IDS.cluster}`],
    [
      'NFS storage domain',
      'storagedomains.xml',
      'storage_domains',
      'storage_domain',
      (e) => text(nth(e.storage as El[], 0), 'type') === 'nfs' && text(e, 'type') === 'data',
      () => `/storagedomains/${SEED_IDS.nfsDomain}`,
    ],
    ['host', 'hosts.xml', 'hosts', 'host', () => true, () => `/hosts/${SEED_IDS.hosts[0]}`],
    [
      'data center',
      'datacenters.xml',
      'data_centers',
      'data_center',
      () => true,
      () => `/datacenters/${SEED_IDS.datacenter}`,
    ],
    ['network', 'networks.xml', 'networks', 'network', () => true, () => `/networks/${SEED_IDS.network}`],
    [
      'vNIC profile',
      'vnicprofiles.xml',
      'vnic_profiles',
      'vnic_profile',
      () => true,
      () => `/vnicprofiles/${SEED_IDS.vnicProfile}`,
    ],
  ];

  it.each(cases)('%s has every element path of the real one', async (_label, file, plural, singular, pick, simPath) => {
    const real = fixtureEntities(file, plural, singular).find(pick);
    expect(real).toBeDefined();
    const gaps = missing(real as El, await simEntity(simPath(), singular));
    expect(gaps).toEqual([]);
  });

  it('the comparison itself detects a missing element', () => {
    const real = nth(fixtureEntities('clusters.xml', 'clusters', 'cluster'), 0);
    const cut: El = { ...real };
    delete cut.ksm;
    expect(missing(real, cut)).toEqual(['/ksm', '/ksm/enabled', '/ksm/merge_across_nodes']);
  });

  it('VM disk attachments, NICs and reported devices have the real shape', async () => {
    const sub = async (file: string, plural: string, singular: string, apiPath: string): Promise<string[]> => {
      const real = nth(fixtureEntities(file, plural, singular), 0);
      const answer = await client.get(apiPath);
      const mine = nth(nth((parser.parse(answer.text) as El)[plural] as El[], 0)[singular] as El[], 0);
      return missing(real, mine);
    };
    const vm = 'vms_a1293e54-dae8-496f-baa4-27719592113e';
    expect(
      await sub(`${vm}_diskattachments.xml`, 'disk_attachments', 'disk_attachment', `/vms/${upVm}/diskattachments`),
    ).toEqual([]);
    expect(await sub(`${vm}_nics.xml`, 'nics', 'nic', `/vms/${upVm}/nics`)).toEqual([]);
    expect(
      await sub(`${vm}_reporteddevices.xml`, 'reported_devices', 'reported_device', `/vms/${upVm}/reporteddevices`),
    ).toEqual([]);
  });
});

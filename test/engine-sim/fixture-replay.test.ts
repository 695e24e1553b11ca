/**
 * Replays the GET requests of the real engine 4.3 recording (../shared/fixtures/ovirt-engine-4.3,
 * one file per request path) against the simulator, with each recorded id replaced by an object of
 * the same kind the simulator has: every request the engine answered 200 must not be a 404 here,
 * and must answer with the same root element.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/ovirt-engine-4.3');
const present = fs.existsSync(FIXTURES);
if (!present) console.warn(`engine-sim fixture replay: SKIPPED, fixtures folder ${FIXTURES} is absent`);
const describeIfPresent = present ? describe : describe.skip;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const rootOf = (xml: string): string | undefined => Object.keys(parser.parse(xml)).find((k) => !k.startsWith('?'));

/** The request path of a fixture file: `/` written as `_`, a search as `_search_<a>_<b>`. */
function requestOf(file: string): string[] {
  const name = file.replace(/\.xml$/, '');
  const search = /^(\w+?)_search_(\w+)_(\w+)$/.exec(name);
  if (search) return [`${search[1]}?search=${search[2]}%3D${search[3]}`];
  return name.split('_');
}

describeIfPresent('engine-sim answers the engine 4.3 recording', () => {
  let sim: EngineSim;
  let client: SimClient;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    sim = await startEngineSim();
    client = await new SimClient(sim).login();
    ids.vms = await client.createVm('replay', '', 'rhcos-template');
    await client.post(`/vms/${ids.vms}/start`);
    ids.snapshots = (await client.get(`/vms/${ids.vms}/snapshots`)).doc.snapshots.snapshot['@id'];
    Object.assign(ids, {
      hosts: SEED_IDS.hosts[0],
      templates: SEED_IDS.rhcosTemplate,
      datacenters: SEED_IDS.datacenter,
      storagedomains: SEED_IDS.nfsDomain,
      clusters: SEED_IDS.cluster,
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  const files = present
    ? fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.xml'))
        .sort()
    : [];
  it.each(files)('%s', async (file) => {
    const segs = requestOf(file);
    // Each recorded id becomes the simulator's object of the kind named just before it.
    const mapped = segs.map((s, i) => (UUID.test(s) ? (ids[segs[i - 1] ?? ''] ?? s) : s));
    const answer = await client.get(`/${mapped.join('/')}`);
    expect(`${answer.status} ${mapped.join('/')}`).toBe(`200 ${mapped.join('/')}`);
    expect(rootOf(answer.text)).toBe(rootOf(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
  });
});

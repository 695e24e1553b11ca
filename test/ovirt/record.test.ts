/**
 * Recording mode (OVIRT_RECORD): the scrubbing rules on their own, a recording of a client run
 * against the simulator that must parse like the conformance fixtures and hold none of the secrets
 * the run used (every secret searched for in the recorded bytes), and a recording of an image upload
 * whose transfers are checked against the client's model.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { OvirtClient, OvirtError, asId, type VmId } from '../../src/ovirt';
import { SCRUBBED, SCRUBBED_HOST, Scrubber, unscrubbed } from '../../src/ovirt/scrub';
import { checkRecording, recordingIndexes } from './support/recordings';
import { nth } from '../support/nth';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyMaterialForTheScrubTest0123 user@laptop';

describe('scrubbing', () => {
  const scrubber = new Scrubber(['hunter2-password'], ['engine.corp.example']);

  it('replaces secrets and host names in XML, keeping MACs and the shape', () => {
    const xml =
      '<vm><initialization><custom_script>{"ignition":{"passwd":"x"}}</custom_script><root_password>pw</root_password>' +
      `<authorized_ssh_keys>${KEY}</authorized_ssh_keys><host_name>web-1.corp.example</host_name></initialization>` +
      '<fqdn>web-1.corp.example</fqdn><nics><nic><mac><address>56:6f:1a:2b:00:01</address></mac></nic></nics>' +
      '<ips><ip><address>10.1.2.3</address></ip></ips><comment>at engine.corp.example</comment></vm>';
    expect(scrubber.text(xml, 'application/xml')).toBe(
      `<vm><initialization><custom_script>${SCRUBBED}</custom_script><root_password>${SCRUBBED}</root_password>` +
        `<authorized_ssh_keys>${SCRUBBED}</authorized_ssh_keys><host_name>${SCRUBBED_HOST}</host_name></initialization>` +
        `<fqdn>${SCRUBBED_HOST}</fqdn><nics><nic><mac><address>56:6f:1a:2b:00:01</address></mac></nic></nics>` +
        `<ips><ip><address>192.0.2.1</address></ip></ips><comment>at ${SCRUBBED_HOST}</comment></vm>`,
    );
  });

  it('replaces secrets in JSON, form bodies, headers and free text', () => {
    expect(
      scrubber.text('{"custom_script": "#cloud-config\\nx", "fqdn":"a.b", "name":"keep"}', 'application/json'),
    ).toBe(`{"custom_script": "${SCRUBBED}", "fqdn":"${SCRUBBED_HOST}", "name":"keep"}`);
    expect(
      scrubber.text(
        'grant_type=password&username=admin%40internal&password=hunter2-password',
        'application/x-www-form-urlencoded',
      ),
    ).toBe(`grant_type=password&username=${SCRUBBED}&password=${SCRUBBED}`);
    expect(
      scrubber.headers({ authorization: 'Bearer abc.def.ghi', accept: 'application/xml', cookie: 'JSESSIONID=1' }, [
        'accept',
        'authorization',
      ]),
    ).toEqual({ accept: 'application/xml', authorization: `Bearer ${SCRUBBED}` });
    scrubber.learnAuthorization('Bearer tok-123456');
    expect(scrubber.text(`echo tok-123456 hunter2-password ${KEY}`)).toBe(
      `echo ${SCRUBBED} ${SCRUBBED} ssh-ed25519 ${SCRUBBED}`,
    );
    expect(new Scrubber(['p@ss w0rd!'], []).text('q=p%40ss%20w0rd! and p@ss w0rd!')).toBe(
      `q=${SCRUBBED} and ${SCRUBBED}`,
    );
    expect(new Scrubber([], ['engine']).text('https://ENGINE/ovirt-engine/api at engine.')).toBe(
      `https://${SCRUBBED_HOST}/ovirt-engine/api at ${SCRUBBED_HOST}.`,
    );
  });

  it('finds what was not scrubbed', () => {
    expect(unscrubbed(`<root_password>pw</root_password> ${KEY} Authorization: Basic YWRtaW46cHc=`)).toHaveLength(3);
    expect(unscrubbed('<reason>Basic authentication failed</reason>')).toEqual([]);
    expect(
      unscrubbed(scrubber.text(`<root_password>pw</root_password> ${KEY} Basic YWRtaW46cHc=`, 'application/xml')),
    ).toEqual([]);
  });
});

describe('a recording of a client run against the simulator', () => {
  let sim: EngineSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovirt-record-'));
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes every exchange in the fixture layout, parseable and without the run's secrets", async () => {
    const script =
      '{"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"core","passwordHash":"$6$secret-hash-4711"}]}}';
    const rootPassword = 'root-pw-8a7c55e1';
    const client = await OvirtClient.connect({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caPem: sim.caPem,
      record: dir,
    });
    const vm = await client.vms.create({
      name: 'recorded',
      cluster: { id: SEED_IDS.cluster },
      template: { id: SEED_IDS.blankTemplate },
      initialization: {
        custom_script: script,
        root_password: rootPassword,
        authorized_ssh_keys: KEY,
        host_name: 'recorded.corp.example',
      },
    });
    await client.vms.get(asId<VmId>(vm.id!), { allContent: true });
    await client.hosts.list();
    await client.storageDomains.list();
    expect(
      OvirtError.is(
        await client.vms.get(asId<VmId>('5a1e0000-0000-4000-8000-00000000ffff')).catch((e: unknown) => e),
        'not_found',
      ),
    ).toBe(true);
    await client.close();

    const index = nth(recordingIndexes(dir), 0);
    const lines = fs
      .readFileSync(index, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { method: string; path: string; status: number; response?: { file?: string } });
    expect(lines.map((l) => `${l.method} ${l.path.split('?')[0]} ${l.status}`)).toEqual([
      'POST /ovirt-engine/sso/oauth/token 200',
      'GET /ovirt-engine/api 200',
      'POST /ovirt-engine/api/vms 201',
      `GET /ovirt-engine/api/vms/${vm.id} 200`,
      'GET /ovirt-engine/api/hosts 200',
      'GET /ovirt-engine/api/storagedomains 200',
      'GET /ovirt-engine/api/vms/5a1e0000-0000-4000-8000-00000000ffff 404',
      'POST /ovirt-engine/services/sso-logout 200',
    ]);
    expect(nth(lines, 4).response?.file).toBe('0005-GET-hosts.xml');
    expect(checkRecording(dir)).toEqual({ exchanges: 8, problems: [] });

    const recorded = fs
      .readdirSync(path.dirname(index))
      .map((f) => fs.readFileSync(path.join(path.dirname(index), f), 'utf8'))
      .join('\n');
    const hosts = sim.control.list('hosts').map((h) => String(h.data.address));
    const secrets = [
      sim.password,
      ...sim.control.issuedTokens(),
      script,
      'secret-hash-4711',
      rootPassword,
      nth(KEY.split(' '), 1),
      'corp.example',
      '127.0.0.1',
      'sim.local',
      ...hosts,
    ];
    expect(sim.control.issuedTokens()).toHaveLength(1);
    expect(secrets.filter((x) => recorded.includes(x))).toEqual([]);
  });
});

describe('a recording of an image upload', () => {
  let sim: EngineSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovirt-record-upload-'));
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds the transfers (not the image's bytes), each checked against the client's model", async () => {
    const image = path.join(dir, 'disk.raw');
    fs.writeFileSync(image, Buffer.alloc(2 * 1024 * 1024, 0x5a));
    const record = path.join(dir, 'recording');
    const client = await OvirtClient.connect({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caPem: sim.caPem,
      record,
    });
    await client
      .uploadImage({ file: image, storageDomainId: SEED_IDS.nfsDomain, alias: 'recorded-upload', format: 'raw' })
      .finally(() => client.close());

    const index = nth(recordingIndexes(record), 0);
    const files = fs.readdirSync(path.dirname(index));
    const transfers = files.filter((f) => /-GET-imagetransfers_[0-9a-f-]{36}\.xml$/.test(f));
    expect(transfers.length).toBeGreaterThan(0);
    expect(files.some((f) => /-POST-imagetransfers_[0-9a-f-]{36}_finalize\.xml$/.test(f))).toBe(true);
    expect(checkRecording(record).problems).toEqual([]);
    // The imageio data plane is not the API: no range of the image is recorded.
    expect(fs.readFileSync(index, 'utf8')).not.toContain('/images/');
    expect(files.map((f) => fs.readFileSync(path.join(path.dirname(index), f), 'latin1')).join('')).not.toContain(
      'ZZZZZZZZ',
    );

    // A transfer body that does not fit the model is reported.
    const first = path.join(path.dirname(index), nth(transfers, 0));
    fs.writeFileSync(first, fs.readFileSync(first, 'utf8').replace(/<transferred>\d+</, '<transferred>lots<'));
    expect(checkRecording(record).problems).toEqual([
      expect.stringMatching(/imagetransfers.*"transferred" is invalid/),
    ]);
  });
});

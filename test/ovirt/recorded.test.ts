/**
 * Conformance with contributed recordings (test/fixtures/recorded/, and the folders in
 * OVIRT_RECORDINGS separated by `:`): every recorded response parses into the client's models and
 * nothing in them is an unscrubbed secret. Until recordings of real engines arrive, the folder holds
 * a recording of the acceptance suite against the simulator (simulator-4.5.5-sample/), so the
 * mechanism always runs; a damaged copy of it shows that the check finds what it looks for.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkRecording, recordingIndexes } from './support/recordings';
import type { RecordedExchange } from '../../src/ovirt/record';

const CONTRIBUTED = path.join(__dirname, '..', 'fixtures', 'recorded');
const SAMPLE = path.join(CONTRIBUTED, 'simulator-4.5.5-sample');
const folders = [
  ...fs
    .readdirSync(CONTRIBUTED, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(CONTRIBUTED, d.name)),
  ...(process.env.OVIRT_RECORDINGS ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => path.resolve(d)),
];

describe('contributed engine recordings', () => {
  it.each(folders)('%s parses into the models and holds no secrets', (folder) => {
    const { exchanges, problems } = checkRecording(folder);
    expect(exchanges).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('the simulator sample covers every kind of exchange of an acceptance run', () => {
    const kinds = new Set(
      recordingIndexes(SAMPLE).flatMap((index) =>
        fs
          .readFileSync(index, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as RecordedExchange)
          .map((e) => `${e.method} ${e.path.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')} ${e.status}`),
      ),
    );
    expect(kinds).toEqual(
      new Set([
        'POST /ovirt-engine/sso/oauth/token 200',
        'POST /ovirt-engine/services/sso-logout 200',
        'GET /ovirt-engine/api 200',
        ...['clusters', 'disks', 'networks', 'storagedomains', 'templates', 'vms', 'vnicprofiles'].map(
          (c) => `GET /ovirt-engine/api/${c} 200`,
        ),
        'GET /ovirt-engine/api/clusters 503',
        'POST /ovirt-engine/api/disks 201',
        'GET /ovirt-engine/api/disks/{id} 200',
        'PUT /ovirt-engine/api/disks/{id} 200',
        'DELETE /ovirt-engine/api/disks/{id} 200',
        'POST /ovirt-engine/api/vms 201',
        'GET /ovirt-engine/api/vms/{id} 200',
        'GET /ovirt-engine/api/vms/{id} 503',
        'PUT /ovirt-engine/api/vms/{id} 200',
        'PUT /ovirt-engine/api/vms/{id} 409',
        'DELETE /ovirt-engine/api/vms/{id} 200',
        'POST /ovirt-engine/api/vms/{id}/start 200',
        'POST /ovirt-engine/api/vms/{id}/stop 200',
        'POST /ovirt-engine/api/vms/{id}/stop 409',
        'GET /ovirt-engine/api/vms/{id}/diskattachments 200',
        'POST /ovirt-engine/api/vms/{id}/diskattachments 201',
        'GET /ovirt-engine/api/vms/{id}/diskattachments/{id} 200',
        'GET /ovirt-engine/api/vms/{id}/diskattachments/{id} 503',
        'DELETE /ovirt-engine/api/vms/{id}/diskattachments/{id} 200',
        'GET /ovirt-engine/api/vms/{id}/nics 200',
        'POST /ovirt-engine/api/vms/{id}/nics 201',
        'GET /ovirt-engine/api/vms/{id}/nics/{id} 200',
        'DELETE /ovirt-engine/api/vms/{id}/nics/{id} 200',
      ]),
    );
  });

  describe('a damaged copy of the sample', () => {
    let copy: string;
    beforeAll(() => {
      copy = fs.mkdtempSync(path.join(os.tmpdir(), 'recorded-'));
      fs.cpSync(SAMPLE, copy, { recursive: true });
    });
    afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

    it('is reported: a secret left in a body, a body that does not fit the model', () => {
      // GIVEN one VM body with its root password put back, another whose memory is not a number
      const vmBodies = fs
        .readdirSync(copy, { recursive: true, encoding: 'utf8' })
        .filter((f) => /-GET-vms_[0-9a-f-]{36}\.xml$/.test(f))
        .sort();
      expect(vmBodies.length).toBeGreaterThan(1);
      const [leaky, broken] = vmBodies.map((f) => path.join(copy, f));
      const leak = fs.readFileSync(leaky!, 'utf8');
      expect(leak).toContain('<root_password>SCRUBBED</root_password>');
      fs.writeFileSync(leaky!, leak.replace('<root_password>SCRUBBED<', '<root_password>hunter2<'));
      const bad = fs.readFileSync(broken!, 'utf8');
      expect(bad).toMatch(/<memory>\d+<\/memory>/);
      fs.writeFileSync(broken!, bad.replace(/<memory>\d+<\/memory>/, '<memory>plenty</memory>'));

      // THEN the check names both exchanges, and only them
      const { problems } = checkRecording(copy);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/ GET \/ovirt-engine\/api\/vms\/[0-9a-f-]{36}: unscrubbed .*root_password/);
      expect(problems[1]).toMatch(/ GET \/ovirt-engine\/api\/vms\/[0-9a-f-]{36}: .*memory/);
    });
  });
});

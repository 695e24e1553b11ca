/**
 * Conformance with contributed recordings (test/fixtures/recorded/, and the folders in
 * OVIRT_RECORDINGS separated by `:`): every recorded response parses into the client's models and
 * nothing in them is an unscrubbed secret. Skipped, visibly, when there is no recording.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRecording, recordingIndexes } from './support/recordings';

const CONTRIBUTED = path.join(__dirname, '..', 'fixtures', 'recorded');
const folders = [
  ...fs
    .readdirSync(CONTRIBUTED, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(CONTRIBUTED, d.name)),
  ...(process.env.OVIRT_RECORDINGS ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => path.resolve(d)),
].filter((d) => recordingIndexes(d).length > 0);
if (folders.length === 0)
  console.warn(`recorded conformance SKIPPED: no recording in ${CONTRIBUTED} or OVIRT_RECORDINGS`);
const suite = folders.length > 0 ? describe : describe.skip;

suite('contributed engine recordings', () => {
  it.each(folders.length > 0 ? folders : ['(none)'])('%s parses into the models and holds no secrets', (folder) => {
    const { exchanges, problems } = checkRecording(folder);
    expect(exchanges).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

/**
 * The boot server under concurrent traffic: 1,000 fetches in flight while the admin API rewrites
 * the entries they select. Every answer must be one complete version, old or new, never a mix.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { startBootServer, type RunningBootServer } from '../../src/boot';
import { entryOf, fetchText, type Answer, ignitionVersion, ipxeVersion, macOf, putEntry } from './boot-support';
import { countOps, SIZES } from './support';

/** Entries the fetches spread over. */
const ENTRIES = 8;

/** Registers the scenario; `logs` collects the server's log lines for the secrets check. */
export function bootLoadScenarios(logs: string[]): void {
  describe(`boot server: ${SIZES.fetches} concurrent fetches while entries are rewritten`, () => {
    let dir: string;
    let server: RunningBootServer;
    const token = 'chaos-admin-token-load-0b7e';
    const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 10_000 });

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-boot-'));
      server = await startBootServer({ port: 0, dataDir: dir, token, log: (l) => logs.push(l) });
      for (let i = 0; i < ENTRIES; i++)
        expect((await putEntry(server.url, token, entryOf(`load-${i}`, i, 0))).status).toBe(201);
    });
    afterAll(async () => {
      await agent.close();
      await server?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('every answer is one complete version, old or new', async () => {
      // latest: acknowledged version of each entry; sent: the version being written (may be served already).
      const latest = new Array<number>(ENTRIES).fill(0);
      const sent = new Array<number>(ENTRIES).fill(0);
      let writing = true;
      let writes = 0;
      const writer = (async () => {
        // Rewrites round-robin until the fetches are done (bounded by count as well).
        for (let n = 1; writing && n <= 10_000; n++) {
          const entry = n % ENTRIES;
          const version = latest[entry]! + 1;
          sent[entry] = version;
          const response = await putEntry(server.url, token, entryOf(`load-${entry}`, entry, version), agent);
          if (response.status !== 200) throw new Error(`admin PUT answered ${response.status}: ${response.body}`);
          latest[entry] = version;
          writes++;
        }
      })();
      const problems: string[] = [];
      const fetchOne = async (fetchNo: number) => {
        const entry = fetchNo % ENTRIES;
        const name = `load-${entry}`;
        const before = latest[entry]!;
        const kind = fetchNo % 3 === 0 ? 'ipxe' : 'ignition';
        const gzip = fetchNo % 6 === 1;
        const response = await fetchText(`${server.url}/${kind}?mac=${macOf(entry)}`, {
          agent,
          headers: gzip ? { 'accept-encoding': 'gzip' } : {},
        }).catch((e: Error): Answer => ({ status: 0, body: e.message, raw: Buffer.alloc(0), headers: {} }));
        let body = response.body;
        if (gzip && response.status === 200) {
          if (response.headers['content-encoding'] !== 'gzip') problems.push(`#${fetchNo}: gzip asked, not given`);
          else body = gunzipSync(response.raw).toString('utf8');
        }
        if (response.status !== 200) {
          problems.push(`#${fetchNo} ${kind} ${name}: status ${response.status} ${response.body.slice(0, 200)}`);
          return;
        }
        const version = kind === 'ipxe' ? ipxeVersion(name, body) : ignitionVersion(name, body);
        if (typeof version === 'string') problems.push(`#${fetchNo} ${kind} ${name}: ${version}`);
        // An answer may be the version current when the request left or any later one, never an older one.
        else if (version < before || version > sent[entry]!)
          problems.push(`#${fetchNo} ${kind} ${name}: version ${version} outside [${before}, ${sent[entry]}]`);
      };
      await Promise.all(Array.from({ length: SIZES.fetches }, (_, k) => fetchOne(k)));
      writing = false;
      await writer;
      countOps('boot fetches', SIZES.fetches);
      countOps('boot admin writes', writes + ENTRIES);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(writes).toBeGreaterThan(0);
    });
  });
}

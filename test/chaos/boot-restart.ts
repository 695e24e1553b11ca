/**
 * The boot server killed (SIGKILL) and stopped (SIGTERM) while machines fetch and the admin API
 * writes: no partial entry ever, every write acknowledged before a crash survives it, and every
 * answer served is one complete version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleEntry } from '../support/terraform';
import { entryOf, fetchText, ignitionVersion, ipxeVersion, macOf, putEntry } from './boot-support';
import { countFault, countOps } from './support';

const ENTRIES = 6;
const RESTARTS = 4;
const TOKEN = 'chaos-admin-token-restart-91c2';

interface Proc {
  child: ChildProcess;
  url: string;
}

function startProc(main: string, dir: string, port: number, logs: string[]): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [main, '--port', String(port), '--data-dir', path.join(dir, 'data'), '--token-file', path.join(dir, 'token')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    logs.push(chunk.toString());
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('boot server did not get ready in 15 s'));
    }, 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { url: string }).url });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`boot server exited ${code} before its ready line: ${err}`));
    });
  });
}

function stopProc(proc: Proc, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    proc.child.once('exit', () => resolve());
    proc.child.kill(signal);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers the scenario; `logs` collects the server's stderr for the secrets check. */
export function bootRestartScenarios(logs: string[]): void {
  describe(`boot server: ${RESTARTS} kills and restarts during traffic`, () => {
    let dir: string;
    let main: string;
    let proc: Proc | undefined;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-restart-'));
      fs.writeFileSync(path.join(dir, 'token'), TOKEN + '\n', { mode: 0o600 });
      main = await bundleEntry('test/chaos/boot-server-main.ts', dir);
    });
    afterAll(async () => {
      if (proc) await stopProc(proc, 'SIGKILL');
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('leaves no partial entry, keeps acknowledged writes, serves only complete versions', async () => {
      proc = await startProc(main, dir, 0, logs);
      const base = proc.url;
      const port = Number(new URL(base).port);
      const acked = new Array<number>(ENTRIES).fill(-1);
      const sent = new Array<number>(ENTRIES).fill(-1);
      const problems: string[] = [];
      const counts = { writes: 0, fetches: 0, refused: 0 };
      let running = true;
      const writer = async (entry: number) => {
        for (let v = 0; running && v < 100_000; v++) {
          sent[entry] = v;
          const response = await putEntry(base, TOKEN, entryOf(`restart-${entry}`, entry, v)).catch(() => undefined);
          counts.writes++;
          if (response && response.status < 300) acked[entry] = v;
          else if (response)
            problems.push(`PUT restart-${entry} v${v}: ${response.status} ${response.body.slice(0, 200)}`);
          else {
            counts.refused++;
            await pause(20);
          }
        }
      };
      const fetcher = async (fetcherNo: number) => {
        for (let n = 0; running && n < 100_000; n++) {
          const entry = (fetcherNo + n) % ENTRIES;
          const kind = n % 2 ? 'ipxe' : 'ignition';
          const response = await fetchText(`${base}/${kind}?mac=${macOf(entry)}`).catch(() => undefined);
          counts.fetches++;
          if (!response) {
            counts.refused++;
            await pause(20);
            continue;
          }
          if (response.status === 404 && (acked[entry] ?? -1) < 0) continue; // not written yet
          if (response.status !== 200) {
            problems.push(`${kind} restart-${entry}: ${response.status} ${response.body.slice(0, 200)}`);
            continue;
          }
          const version =
            kind === 'ipxe'
              ? ipxeVersion(`restart-${entry}`, response.body)
              : ignitionVersion(`restart-${entry}`, response.body);
          if (typeof version === 'string') problems.push(`${kind} restart-${entry}: ${version}`);
        }
      };
      const traffic = Promise.all([
        ...Array.from({ length: ENTRIES }, (_, i) => writer(i)),
        ...Array.from({ length: 12 }, (_, k) => fetcher(k)),
      ]);
      for (let r = 0; r < RESTARTS; r++) {
        await pause(400 + r * 150);
        const signal = r % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
        await stopProc(proc, signal);
        countFault(`boot server ${signal}`);
        proc = await startProc(main, dir, port, logs);
      }
      await pause(400);
      running = false;
      await traffic;
      countOps('boot admin writes', counts.writes);
      countOps('boot fetches', counts.fetches);
      expect(problems.slice(0, 10)).toEqual([]);

      // After the last restart: each entry is complete and at least as new as its last acknowledged write.
      const states: string[] = [];
      for (let i = 0; i < ENTRIES; i++) {
        const response = await fetchText(`${base}/api/v1/entries/restart-${i}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const stored = JSON.parse(response.body) as { ignition?: string; ipxe?: { script?: string } };
        const ignitionVer = ignitionVersion(`restart-${i}`, stored.ignition ?? '');
        const ipxeVer = ipxeVersion(`restart-${i}`, stored.ipxe?.script ?? '');
        if (
          typeof ignitionVer === 'string' ||
          ignitionVer !== ipxeVer ||
          ignitionVer < acked[i]! ||
          ignitionVer > sent[i]!
        )
          states.push(`restart-${i}: ignition ${ignitionVer}, ipxe ${ipxeVer}, acked ${acked[i]}, sent ${sent[i]}`);
      }
      expect(states).toEqual([]);
      const entryFiles = fs.readdirSync(path.join(dir, 'data', 'entries'));
      expect(entryFiles.filter((f) => !/^restart-\d\.json$/.test(f))).toEqual([]);
      expect(acked.every((v) => v >= 0)).toBe(true);
    });
  });
}

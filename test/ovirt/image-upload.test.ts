/**
 * `OvirtClient.uploadImage` against the simulator with real images made by qemu-img: qcow2 and raw
 * bytes land intact, a dead host daemon falls back to the proxy, injected range faults are resent
 * range by range, and bad input, failed verification or a cancel leave no disk and no transfer.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, SEED_IDS, type EngineSim } from '../../src/engine-sim';
import { OvirtClient, OvirtError, probeImage, type UploadProgress } from '../../src/ovirt';

const MiB = 1024 * 1024;
let sim: EngineSim;
let client: OvirtClient;
let dir: string;
const logs: string[] = [];

/** A qcow2 of `virtualMiB` with `dataMiB` of pseudo-random data written into it (real qemu-img). */
function qcow2(name: string, virtualMiB: number, dataMiB: number): string {
  const raw = path.join(dir, `${name}.raw`);
  fs.writeFileSync(raw, Buffer.alloc(0));
  fs.truncateSync(raw, virtualMiB * MiB);
  const fd = fs.openSync(raw, 'r+');
  for (let i = 0; i < dataMiB; i++)
    fs.writeSync(fd, createHash('sha512').update(`${name}${i}`).digest(), 0, 64, i * 2 * MiB);
  fs.closeSync(fd);
  const out = path.join(dir, `${name}.qcow2`);
  execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, out]);
  return out;
}

/** Reads the disk's bytes back from the simulator's store. */
function stored(diskId: string, length: number): Buffer {
  const file = fs
    .readdirSync(os.tmpdir())
    .filter((d) => d.startsWith('engine-sim-images-'))
    .map((d) => path.join(os.tmpdir(), d, diskId))
    .find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no stored image for disk ${diskId}`);
  return fs.readFileSync(file).subarray(0, length);
}

/** Disks and unfinished transfers in the simulator. */
const left = () => ({
  disks: sim.control.list('disks').length,
  transfers: sim.control.list('imagetransfers').filter((t) => !String(t.data.phase).startsWith('finished')).length,
});

beforeAll(async () => {
  sim = await startEngineSim({ seed: 3 });
  client = await OvirtClient.connect({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    caPem: sim.caPem,
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-'));
});
afterAll(async () => {
  await client.close();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  sim.control.setFaults({});
});

const log = (msg: string) => {
  logs.push(msg);
};

describe('uploadImage', () => {
  it('uploads a qemu-img qcow2 in parallel ranges: disk cow, virtual size from the header, bytes intact, progress reported', async () => {
    const file = qcow2('a', 64, 12);
    const info = await probeImage(file);
    expect([info.format, info.kind, info.virtualSize]).toEqual(['cow', 'qcow2', 64 * MiB]);
    const seen: UploadProgress[] = [];
    const disk = await client.uploadImage(
      { file, storageDomainId: SEED_IDS.nfsDomain, alias: 'up-a' },
      { rangeBytes: 64 * 1024, progress: (p) => seen.push(p), progressIntervalMs: 0, log },
    );
    expect([disk.status, disk.format, disk.provisioned_size]).toEqual(['ok', 'cow', 64 * MiB]);
    expect(stored(disk.id, info.fileSize).equals(fs.readFileSync(file))).toBe(true);
    expect(seen[seen.length - 1]).toMatchObject({ sent: info.fileSize, total: info.fileSize });
    expect(sim.control.counters()['GET /imagetransfers/{id}']).toBeGreaterThan(0);
  });

  it('uploads a raw image into a raw disk rounded up to whole sectors', async () => {
    const file = path.join(dir, 'b.raw');
    fs.writeFileSync(file, Buffer.concat([Buffer.alloc(3 * MiB + 100, 9)]));
    const disk = await client.uploadImage({ file, storageDomainId: SEED_IDS.nfsDomain, alias: 'up-b' });
    expect([disk.format, disk.provisioned_size]).toEqual(['raw', 3 * MiB + 512]);
    expect(stored(disk.id, 3 * MiB + 100).equals(fs.readFileSync(file))).toBe(true);
  });

  it('uses proxy_url when the host daemon is down, and resends failed ranges alone under resets and 503s', async () => {
    const file = qcow2('c', 32, 16);
    sim.control.setFaults({ hostDown: 1, pRangeReset: 0.2, pRange503: 0.2 });
    logs.length = 0;
    const disk = await client.uploadImage(
      { file, storageDomainId: SEED_IDS.nfsDomain, alias: 'up-c' },
      { rangeBytes: 256 * 1024, log },
    );
    expect(logs).toContain('image upload: imageio endpoint unreachable, trying the next');
    expect(logs.filter((l) => l === 'image upload: resending after a failure').length).toBeGreaterThan(0);
    expect(stored(disk.id, fs.statSync(file).size).equals(fs.readFileSync(file))).toBe(true);
    const faults = sim.control.faultCounts();
    expect((faults.reset ?? 0) + (faults['503'] ?? 0)).toBeGreaterThan(0);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'absent.qcow2'), {}, /does not exist/],
    [
      'an empty file',
      () => {
        const file = path.join(dir, 'empty.img');
        fs.writeFileSync(file, '');
        return file;
      },
      {},
      /is empty/,
    ],
    [
      'a raw file claimed to be qcow2',
      () => {
        const file = path.join(dir, 'r.img');
        fs.writeFileSync(file, Buffer.alloc(MiB));
        return file;
      },
      { format: 'cow' as const },
      /is a raw image .* not cow/,
    ],
    ['an image larger than the disk', () => qcow2('big', 8, 1), { size: 4 * MiB }, /at least 8388608 bytes/],
  ])('refuses %s before creating anything', async (_name, make, extra, message) => {
    const before = left().disks;
    const err = await client
      .uploadImage({ file: make(), storageDomainId: SEED_IDS.nfsDomain, alias: 'up-bad', ...extra })
      .catch((e: unknown) => e);
    expect(OvirtError.is(err, 'invalid_argument') && err.message).toMatch(message);
    expect(left()).toEqual({ disks: before, transfers: 0 });
  });

  it('a cancel mid-upload cancels the transfer and removes the disk', async () => {
    const file = qcow2('d', 32, 16);
    sim.control.setFaults({ rangeDripMs: 20 });
    const abort = new AbortController();
    const before = left().disks;
    const run = client.uploadImage(
      { file, storageDomainId: SEED_IDS.nfsDomain, alias: 'up-d' },
      { signal: abort.signal, rangeBytes: 256 * 1024, progressIntervalMs: 0, progress: () => abort.abort() },
    );
    const err = await run.catch((e: unknown) => e);
    expect(OvirtError.is(err, 'aborted')).toBe(true);
    expect(left().disks).toBe(before);
    expect(sim.control.list('disks').some((d) => d.data.alias === 'up-d')).toBe(false);
    expect(left().transfers).toBe(0);
  });

  it('a transfer the engine fails to verify ends in an error naming the phase, and leaves nothing', async () => {
    const file = qcow2('e', 16, 4);
    const before = left().disks;
    // Behind the client's back the disk turns raw, so the engine's check of the qcow2 upload fails.
    const err = await client
      .uploadImage(
        { file, storageDomainId: SEED_IDS.nfsDomain, alias: 'up-e' },
        {
          progressIntervalMs: 0,
          progress: () => {
            const disk = sim.control.list('disks').find((d) => d.data.alias === 'up-e');
            if (disk) sim.control.mutate('disks', disk.id, { format: 'raw' });
          },
        },
      )
      .catch((e: unknown) => e);
    expect(OvirtError.is(err, 'conflict') && err.message).toMatch(
      /ended in phase finished_failure instead of finished_success/,
    );
    expect(left()).toEqual({ disks: before, transfers: 0 });
  });
});

/**
 * Benchmark of image uploads. Prints, for a 1 GiB sparse qcow2 (256 MiB of data) and a 256 MiB raw
 * image made with qemu-img: MB/s of `OvirtClient.uploadImage` end to end (disk create, transfer,
 * ranges, flush, finalize, disk ok) beside a bare undici PUT loop (same ranges, same parallelism,
 * data only) to the same simulator imageio endpoint in the same run, their ratio, and the peak RSS
 * growth of this process during the client upload (streaming: it must not grow with the image).
 * The simulator runs in its own process (`ovirt-cdktf engine-sim`, from dist/: `npm run build`).
 *
 * Run: npx ts-node --transpile-only bench/image-upload/main.ts [rounds=3]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'undici';
import { OvirtClient, asId, probeImage, type DiskId } from '../../src/ovirt';

const MiB = 1024 * 1024;
const RANGE = 8 * MiB;
const PARALLEL = 4;
const NFS = '5a1e0000-0000-4000-8000-000000005d01';
const rounds = Number(process.argv[2] ?? 3);

interface Sim {
  url: string;
  username: string;
  password: string;
  caFile: string;
  stop(): void;
}

async function startSim(): Promise<Sim> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '../../bin/ovirt-cdktf.js'), 'engine-sim', '--delays', 'none'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('close', (code) => reject(new Error(`engine-sim exited ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<Sim, 'stop'>), stop: () => child.kill('SIGTERM') };
}

/** A raw file of `sizeMiB` with `dataMiB` of random data spread over it (the rest holes). */
function rawImage(file: string, sizeMiB: number, dataMiB: number): void {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, sizeMiB * MiB);
  const fd = fs.openSync(file, 'r+');
  const step = Math.floor(sizeMiB / dataMiB);
  for (let i = 0; i < dataMiB; i++) fs.writeSync(fd, randomBytes(MiB), 0, MiB, i * step * MiB);
  fs.closeSync(fd);
}

/** The bare loop: PUT every range of `file` to `url`, PARALLEL at a time, over one undici Pool. */
async function bareUpload(url: string, file: string, ca: string): Promise<void> {
  const parsed = new URL(url);
  const pool = new Pool(parsed.origin, { connections: PARALLEL, connect: { ca } });
  const size = fs.statSync(file).size;
  let next = 0;
  const worker = async () => {
    while (next < size) {
      const start = next;
      next += RANGE;
      const end = Math.min(start + RANGE, size) - 1;
      const res = await pool.request({
        method: 'PUT',
        path: parsed.pathname,
        body: createReadStream(file, { start, end, highWaterMark: MiB }),
        headers: { 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/*` },
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`PUT ${start}-${end}: HTTP ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  await pool.close();
}

async function measure(ovirtClient: OvirtClient, sim: Sim, file: string, label: string): Promise<void> {
  const info = await probeImage(file);
  const mb = info.fileSize / 1e6;
  const ca = fs.readFileSync(sim.caFile, 'utf8');
  const client: number[] = [];
  const bare: number[] = [];
  let peak = 0;
  const runClient = async (round: number) => {
    global.gc?.();
    const base = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss - base);
    }, 20);
    const started = performance.now();
    const disk = await ovirtClient.uploadImage(
      { file, storageDomainId: NFS, alias: `bench-${label}-${round}` },
      { rangeBytes: RANGE, maxParallel: PARALLEL },
    );
    client.push(mb / ((performance.now() - started) / 1000));
    clearInterval(sampler);
    await ovirtClient.disks.remove(asId<DiskId>(disk.id));
  };
  // The bare loop writes to a transfer made the same way (its setup not timed).
  const runBare = async (round: number) => {
    const disk = await ovirtClient.disks.create({
      alias: `bench-bare-${label}-${round}`,
      format: info.format,
      provisioned_size: info.virtualSize,
      initial_size: info.fileSize,
      storage_domains: [{ id: NFS }],
    });
    await ovirtClient.disks.waitForOk(asId<DiskId>(disk.id));
    const tr = await ovirtClient.imageTransfers.create({
      disk: { id: disk.id },
      direction: 'upload',
      format: info.format,
    });
    const ready = await ovirtClient.imageTransfers.waitForPhase(asId(tr.id), ['transferring']);
    const started = performance.now();
    await bareUpload(ready!.transfer_url!, file, ca);
    bare.push(mb / ((performance.now() - started) / 1000));
    await ovirtClient.imageTransfers.cancel(asId(tr.id));
    await ovirtClient.imageTransfers.waitForPhase(asId(tr.id), ['finished_failure']);
    await ovirtClient.disks.remove(asId<DiskId>(disk.id));
  };
  // Alternating which goes first, so neither always runs on a warmer (or busier) machine.
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      await runClient(r);
      await runBare(r);
    } else {
      await runBare(r);
      await runClient(r);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `${label}: ${(info.fileSize / MiB).toFixed(0)} MiB file (virtual ${(info.virtualSize / MiB).toFixed(0)} MiB) | client ${med(client).toFixed(0)} MB/s | bare undici PUT loop ${med(bare).toFixed(0)} MB/s | ratio ${(med(client) / med(bare)).toFixed(2)}x | peak RSS growth ${(peak / MiB).toFixed(0)} MiB | rounds ${rounds} (client ${client.map((x) => x.toFixed(0)).join('/')}, bare ${bare.map((x) => x.toFixed(0)).join('/')})`,
  );
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-image-'));
  const sim = await startSim();
  const client = await OvirtClient.connect({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    caFile: sim.caFile,
  });
  try {
    const sparse = path.join(dir, 'sparse.raw');
    rawImage(sparse, 1024, 256);
    execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', sparse, path.join(dir, 'sparse.qcow2')]);
    fs.rmSync(sparse);
    rawImage(path.join(dir, 'full.raw'), 256, 256);
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}, ${os.cpus().length} cores, Node ${process.version}`,
    );
    await measure(client, sim, path.join(dir, 'sparse.qcow2'), 'qcow2 1 GiB sparse');
    await measure(client, sim, path.join(dir, 'full.raw'), 'raw 256 MiB');
  } finally {
    await client.close();
    sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

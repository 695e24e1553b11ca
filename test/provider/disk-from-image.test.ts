/**
 * `ovirt_disk_from_image` in-process (the SDK harness) against the simulator, for what the
 * terraform end-to-end test does not reach: a source that is not the format it claims or larger
 * than the configured size, an unreachable URL and one answering 404 (plan-time diagnostics on the
 * attribute, nothing made in the engine); an upload from a URL whose content then changes
 * (a replace); and a create timeout, which cancels the transfer and removes the disk.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { simProvider } from '../support/provider-harness';

const MiB = 1024 * 1024;
const TYPE = 'ovirt_disk_from_image';

describe('ovirt_disk_from_image (in-process, simulator)', () => {
  let sim: EngineSim;
  let dir: string;
  let server: http.Server;
  let base: string;
  let closedPort: number;
  /** What the local web server answers for /image.qcow2 (changed by the tests). */
  let served: string;

  const sourceOf = (source: string, extra: Record<string, unknown> = {}) => ({
    source,
    storage_domain_id: SEED_IDS.nfsDomain,
    alias: 'inproc-image',
    ...extra,
  });
  /** Disks and unfinished transfers the engine holds for the test's alias. */
  const leftovers = () => ({
    disks: sim.control.list('disks').filter((d) => d.data.alias === 'inproc-image').length,
    transfers: sim.control.list('imagetransfers').filter((t) => !String(t.data.phase).startsWith('finished')).length,
  });
  const harness = (extra: Record<string, unknown> = {}) => simProvider(sim, extra);
  const qcow2 = (name: string, virtual: string) => {
    const file = path.join(dir, name);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, virtual]);
    return file;
  };

  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-from-image-'));
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    server = http.createServer((req, res) => {
      if (req.url !== '/image.qcow2') {
        res.writeHead(404);
        res.end('not here');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      fs.createReadStream(served).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => sim.control.setFaults({}));

  it('bad input is a plan-time diagnostic on the attribute concerned, and nothing is made', async () => {
    const provider = await harness();
    const raw = path.join(dir, 'disk.raw');
    fs.writeFileSync(raw, Buffer.alloc(3 * MiB, 1));
    const big = qcow2('big.qcow2', '64M');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [sourceOf(raw, { format: 'cow' }), 'format', /disk\.raw is a raw image \(disk format raw\), not cow/],
      [sourceOf(big, { size: 16 * MiB }), 'size', /larger than the size/],
      [sourceOf(`http://127.0.0.1:${closedPort}/image.qcow2`), 'source', /cannot be reached/],
      [sourceOf(`${base}/absent.qcow2`), 'source', /answered HTTP 404/],
    ];
    for (const [config, attribute, detail] of cases) {
      const planned = await provider.plan(TYPE, null, config);
      expect(planned.diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', summary: 'Invalid Image Source', path: [{ attribute }] }),
      ]);
      expect(planned.diagnostics[0]!.detail).toMatch(detail);
    }
    expect(leftovers()).toEqual({ disks: 0, transfers: 0 });
  });

  it('uploads from a URL, records its sha256, and plans a replace when the content behind the URL changes', async () => {
    const provider = await harness();
    served = qcow2('one.qcow2', '8M');
    const config = sourceOf(`${base}/image.qcow2`);
    const created = await provider.planApply(TYPE, null, config);
    expect(created.diagnostics).toEqual([]);
    expect(created.state).toMatchObject({
      format: 'cow',
      size: 8 * MiB,
      status: 'ok',
      source_sha256: createHash('sha256').update(fs.readFileSync(served)).digest('hex'),
    });
    expect((await provider.plan(TYPE, created.state, config)).requiresReplace).toEqual([]);

    served = qcow2('two.qcow2', '12M');
    const changed = await provider.plan(TYPE, created.state, config);
    expect(changed.requiresReplace).toEqual(['source_sha256']);
    expect(changed.planned).toMatchObject({ size: 12 * MiB });

    expect((await provider.planApply(TYPE, created.state, null)).diagnostics).toEqual([]);
    expect(leftovers()).toEqual({ disks: 0, transfers: 0 });
  });

  it('a create timeout cancels the transfer and removes the half-made disk', async () => {
    const provider = await harness({ default_timeouts: { create: '2s' } });
    const image = path.join(dir, 'slow.raw');
    fs.writeFileSync(image, Buffer.alloc(8 * MiB, 7));
    sim.control.setFaults({ rangeDripMs: 200 });
    sim.control.resetCounters();
    const created = await provider.planApply(TYPE, null, sourceOf(image));
    expect(created.state).toBeNull();
    expect(created.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', summary: 'oVirt Operation Timed Out' }),
    ]);
    expect(sim.control.counters()['POST /imagetransfers/{id}/cancel']).toBe(1);
    expect(leftovers()).toEqual({ disks: 0, transfers: 0 });
  });
});

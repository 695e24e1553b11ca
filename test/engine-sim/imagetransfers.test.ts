/**
 * The simulator's image transfers and imageio endpoint, driven with plain HTTP (not src/ovirt):
 * phases, OPTIONS, PUT with Content-Range, PATCH, GET back, verification of a real qcow2 image made
 * by qemu-img, sparse storage, cancel, size limits and injected range faults.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetch } from 'undici';
import { SEED_IDS, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';

const MiB = 1024 * 1024;

describe('engine-sim image transfers and imageio', () => {
  let sim: EngineSim;
  let client: SimClient;
  let dir: string;
  beforeAll(async () => {
    sim = await startEngineSim();
    client = await new SimClient(sim).login();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-it-'));
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const newDisk = async (format: string, size: number, initial?: number): Promise<string> => {
    const created = await client.post(
      '/disks',
      `<disk><name>img</name><provisioned_size>${size}</provisioned_size>${initial ? `<initial_size>${initial}</initial_size>` : ''}<format>${format}</format><storage_domains><storage_domain id="${SEED_IDS.nfsDomain}"/></storage_domains></disk>`,
    );
    expect(created.status).toBe(201);
    await client.get(`/disks/${created.doc.disk['@id']}`);
    return created.doc.disk['@id'];
  };
  const start = async (diskId: string): Promise<{ id: string; url: string; proxy: string }> => {
    const created = await client.post(
      '/imagetransfers',
      `<image_transfer><disk id="${diskId}"/><direction>upload</direction></image_transfer>`,
    );
    expect([created.status, created.doc.image_transfer.phase]).toEqual([201, 'initializing']);
    const transfer = (await client.get(`/imagetransfers/${created.doc.image_transfer['@id']}`)).doc.image_transfer;
    expect(transfer.phase).toBe('transferring');
    return { id: transfer['@id'], url: transfer.transfer_url, proxy: transfer.proxy_url };
  };
  const send = (url: string, method: string, body?: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(url, { method, body, headers, dispatcher: client.agent });
  const phase = async (id: string): Promise<string> =>
    (await client.get(`/imagetransfers/${id}`)).doc.image_transfer.phase;

  it('uploads a qemu-img qcow2 in ranges, reads it back, finalizes to finished_success and the disk ok', async () => {
    const file = path.join(dir, 'a.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '8M']);
    const bytes = fs.readFileSync(file);
    const disk = await newDisk('cow', 8 * MiB, bytes.length);
    const transfer = await start(disk);
    expect(transfer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/images\/[0-9a-f-]{36}$/);
    const opts = await send(transfer.url, 'OPTIONS');
    expect(await opts.json()).toEqual({
      unix_socket: null,
      features: ['extents', 'zero', 'flush'],
      max_readers: 8,
      max_writers: 8,
    });
    const half = Math.floor(bytes.length / 2);
    const second = await send(transfer.proxy, 'PUT', bytes.subarray(half), {
      'content-range': `bytes ${half}-${bytes.length - 1}/*`,
    });
    const first = await send(transfer.url, 'PUT', bytes.subarray(0, half), {
      'content-range': `bytes 0-${half - 1}/*`,
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await send(transfer.url, 'PATCH', JSON.stringify({ op: 'flush' }))).status).toBe(200);
    const back = await send(transfer.url, 'GET', undefined, { range: 'bytes=0-3' });
    expect([back.status, Buffer.from(await back.arrayBuffer()).toString('latin1')]).toEqual([206, 'QFI\xfb']);
    const whole = Buffer.from(await (await send(transfer.url, 'GET')).arrayBuffer());
    expect(whole.equals(bytes)).toBe(true);
    expect((await client.get(`/imagetransfers/${transfer.id}`)).doc.image_transfer.transferred).toBe(bytes.length);
    expect((await client.post(`/imagetransfers/${transfer.id}/finalize`)).status).toBe(200);
    expect(await phase(transfer.id)).toBe('finished_success');
    expect((await client.get(`/disks/${disk}`)).doc.disk.status).toBe('ok');
    expect((await send(transfer.url, 'OPTIONS')).status).toBe(403);
  });

  it('fails verification of a raw file sent to a cow disk: finished_failure and the disk illegal', async () => {
    const disk = await newDisk('cow', MiB);
    const transfer = await start(disk);
    expect((await send(transfer.url, 'PUT', Buffer.alloc(4096, 7))).status).toBe(200);
    await client.post(`/imagetransfers/${transfer.id}/finalize`);
    // With zero delays finalizing_failure and finished_failure happen before the next poll.
    expect(await phase(transfer.id)).toBe('finished_failure');
    expect((await client.get(`/disks/${disk}`)).doc.disk.status).toBe('illegal');
  });

  it('refuses bytes past the disk size, bad ranges and unknown tickets with 4xx and a reason', async () => {
    const transfer = await start(await newDisk('raw', MiB));
    const past = await send(transfer.url, 'PUT', Buffer.alloc(10), {
      'content-range': `bytes ${MiB - 5}-${MiB + 4}/*`,
    });
    expect([past.status, await past.text()]).toEqual([416, expect.stringContaining('past the image capacity')]);
    const bad = await send(transfer.url, 'PUT', Buffer.alloc(10), { 'content-range': 'bytes 0-3/*' });
    expect(bad.status).toBe(400);
    const op = await send(transfer.url, 'PATCH', JSON.stringify({ op: 'trim' }));
    expect([op.status, await op.text()]).toEqual([400, expect.stringContaining('supported ops are flush and zero')]);
    const unknown = await send(
      transfer.url.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000'),
      'OPTIONS',
    );
    expect([unknown.status, await unknown.text()]).toEqual([403, expect.stringContaining('No such ticket')]);
  });

  it('stores the bytes sparsely: a range far into a 1 GiB raw disk takes about its own size', async () => {
    const disk = await newDisk('raw', 1024 * MiB);
    const transfer = await start(disk);
    const at = 900 * MiB;
    const put = await send(transfer.url, 'PUT', Buffer.alloc(64 * 1024, 9), {
      'content-range': `bytes ${at}-${at + 64 * 1024 - 1}/*`,
    });
    expect(put.status).toBe(200);
    const hole = await send(transfer.url, 'GET', undefined, { range: `bytes=${MiB}-${MiB + 3}` });
    expect([hole.status, [...Buffer.from(await hole.arrayBuffer())]]).toEqual([206, [0, 0, 0, 0]]);
    expect((await client.post(`/imagetransfers/${transfer.id}/finalize`)).status).toBe(200);
    for (let i = 0; i < 100 && (await phase(transfer.id)) !== 'finished_success'; i++)
      await new Promise((r) => setTimeout(r, 50));
    const stored = (await client.get(`/disks/${disk}`)).doc.disk;
    expect([stored.status, stored.provisioned_size]).toEqual(['ok', 1024 * MiB]);
    expect(stored.actual_size).toBeGreaterThanOrEqual(64 * 1024);
    expect(stored.actual_size).toBeLessThan(MiB);
  });

  it('cancel ends the ticket, the transfer ends finished_failure and goes away; the disk can be removed', async () => {
    const disk = await newDisk('raw', MiB);
    const transfer = await start(disk);
    expect((await client.post(`/imagetransfers/${transfer.id}/cancel`)).status).toBe(200);
    expect((await send(transfer.url, 'PUT', Buffer.alloc(10))).status).toBe(403);
    expect(await phase(transfer.id)).toBe('finished_failure');
    expect((await client.del(`/disks/${disk}`)).status).toBe(200);
  });

  it('injects range faults: 503s, resets half-way and a dead host daemon (the proxy still works)', async () => {
    const transfer = await start(await newDisk('raw', MiB));
    sim.control.setFaults({ pRange503: 1 });
    expect((await send(transfer.url, 'PUT', Buffer.alloc(10))).status).toBe(503);
    sim.control.setFaults({ pRangeReset: 1 });
    await expect(send(transfer.url, 'PUT', Buffer.alloc(256 * 1024, 1))).rejects.toThrow();
    sim.control.setFaults({ hostDown: 1 });
    await expect(send(transfer.url, 'OPTIONS')).rejects.toThrow();
    expect((await send(transfer.proxy, 'OPTIONS')).status).toBe(200);
    sim.control.setFaults({});
    expect(sim.control.faultCounts()).toMatchObject({ 503: 1, reset: 1 });
  });

  it("renders a transfer in the engine's documented shape (XML and JSON)", async () => {
    const transfer = await start(await newDisk('raw', MiB));
    const xml = (await client.get(`/imagetransfers/${transfer.id}`)).doc.image_transfer;
    // Fields of the ImageTransfer type (api-model types/ImageTransfer.java) with the actions of its service.
    expect(Object.keys(xml).sort()).toEqual([
      '@href',
      '@id',
      'actions',
      'active',
      'direction',
      'disk',
      'format',
      'host',
      'image',
      'inactivity_timeout',
      'phase',
      'proxy_url',
      'shallow',
      'timeout_policy',
      'transfer_url',
      'transferred',
    ]);
    expect(xml['@href']).toBe(`/ovirt-engine/api/imagetransfers/${transfer.id}`);
    expect(xml.actions.link.map((l: Record<string, string>) => l['@rel'])).toEqual([
      'cancel',
      'extend',
      'finalize',
      'pause',
      'resume',
    ]);
    expect([xml.active, xml.direction, xml.phase, xml.timeout_policy, xml.shallow]).toEqual([
      true,
      'upload',
      'transferring',
      'legacy',
      false,
    ]);
    const json = (await client.get(`/imagetransfers/${transfer.id}`, { json: true })).doc;
    expect([json.active, json.transferred, json.inactivity_timeout, json.host.id]).toEqual([
      'true',
      '0',
      '60',
      SEED_IDS.hosts[0],
    ]);
    const list = (await client.get('/imagetransfers')).doc.image_transfers.image_transfer;
    expect((Array.isArray(list) ? list : [list]).map((x: Record<string, string>) => x['@id'])).toContain(transfer.id);
    await client.post(`/imagetransfers/${transfer.id}/cancel`);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetch } from 'undici';
import { parseFaultSpec, startEngineSim, EngineSim } from '../../src/engine-sim';
import { SimClient } from './sim-client';
import { nth } from '../support/nth';

describe('engine-sim faults', () => {
  it('parses fault specs and names a bad field', () => {
    expect(parseFaultSpec('latency=20,jitter=5,503=0.1,reset=0.05,locked=0.2')).toEqual({
      latencyMs: 20,
      jitterMs: 5,
      p503: 0.1,
      pReset: 0.05,
      pLocked: 0.2,
    });
    expect(() => parseFaultSpec('503=2')).toThrow(/probability/);
    expect(() => parseFaultSpec('boom=1')).toThrow(/bad fault "boom=1"/);
  });

  it('injects 503s, resets, 409-locked and latency, and can be switched at runtime', async () => {
    const sim = await startEngineSim({ faults: '503=1' });
    const client = await new SimClient(sim).login();
    try {
      expect((await client.get('/vms')).status).toBe(503);
      sim.control.setFaults({ pReset: 1 });
      await expect(client.get('/vms')).rejects.toThrow();
      sim.control.setFaults({ pLocked: 1 });
      expect((await client.get('/vms')).status).toBe(200);
      const answer = await client.post('/tags', '<tag><name>x</name></tag>');
      expect([answer.status, answer.doc.fault.detail]).toEqual([
        409,
        '[Cannot complete the operation. Related operation is currently in progress. Please try again later.]',
      ]);
      sim.control.setFaults({ latencyMs: 150 });
      const t0 = Date.now();
      expect((await client.get('/vms')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      expect(() => sim.control.setFaults({ p503: 3 })).toThrow();
    } finally {
      await client.close();
      await sim.stop();
    }
  });

  it('draws the same faults for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const sim = await startEngineSim({ seed: 42, faults: { p503: 0.5 } });
      const client = await new SimClient(sim).login();
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await client.get('/clusters')).status);
      await client.close();
      await sim.stop();
      return out;
    };
    const statuses = await run();
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    expect(await run()).toEqual(statuses);
  });
});

describe('engine-sim admin endpoint', () => {
  let sim: EngineSim;
  let client: SimClient;
  beforeAll(async () => {
    sim = await startEngineSim();
    client = await new SimClient(sim).login();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });
  const admin = async (
    method: string,
    adminPath: string,
    body?: unknown,
    auth = true,
  ): Promise<{ status: number; body: any }> => {
    const basic = Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
    const response = await fetch(sim.adminUrl + adminPath, {
      method,
      dispatcher: client.agent,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: auth ? { authorization: `Basic ${basic}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };

  it('needs the simulator credentials', async () => {
    expect((await admin('GET', '/counters', undefined, false)).status).toBe(401);
  });

  it('counts requests by pattern and resets the counts', async () => {
    await admin('DELETE', '/counters');
    const id = await client.createVm('counted', '', 'Blank');
    await client.get(`/vms/${id}`);
    await client.get(`/vms/${id}`);
    const counters = (await admin('GET', '/counters')).body;
    expect(counters['GET /vms/{id}']).toBe(2);
    expect(counters['POST /vms']).toBe(1);
    await admin('DELETE', '/counters');
    expect((await admin('GET', '/counters')).body).toEqual({});
  });

  it("lists, mutates and deletes objects behind the client's back", async () => {
    const id = await client.createVm('drift', '', 'Blank');
    const vms = (await admin('GET', '/objects/vms')).body as Array<{ id: string }>;
    expect(vms.map((v) => v.id)).toContain(id);
    expect((await admin('PATCH', `/objects/vms/${id}`, { memory: 2147483648 })).status).toBe(200);
    expect((await client.get(`/vms/${id}`)).doc.vm.memory).toBe(2147483648);
    expect((await admin('DELETE', `/objects/vms/${id}`)).status).toBe(200);
    expect((await client.get(`/vms/${id}`)).status).toBe(404);
    expect((await admin('GET', '/objects/bogus')).status).toBe(400);
  });

  it('locks objects, sets faults and expires tokens', async () => {
    const id = await client.createVm('admin-locked', '', 'Blank');
    await admin('POST', `/locks/${id}`);
    expect((await client.del(`/vms/${id}`)).status).toBe(409);
    await admin('DELETE', `/locks/${id}`);
    expect((await admin('PUT', '/faults', { p503: 1 })).status).toBe(200);
    expect((await client.get('/vms')).status).toBe(503);
    expect((await admin('PUT', '/faults', { p503: 7 })).status).toBe(400);
    await admin('PUT', '/faults', {});
    expect((await admin('POST', '/tokens/expire')).body.expired).toBeGreaterThan(0);
    expect((await client.get('/vms')).status).toBe(401);
    await client.login();
    expect((await client.del(`/vms/${id}`)).status).toBe(200);
  });
});

describe('engine-sim persistence', () => {
  it('keeps state in a file across restarts, written atomically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-state-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      const firstSim = await startEngineSim({ stateFile });
      const ca = await new SimClient(firstSim).login();
      const id = await ca.createVm('survivor');
      await ca.close();
      await firstSim.stop();
      expect(fs.readdirSync(dir)).toEqual(['state.json']);
      const secondSim = await startEngineSim({ stateFile });
      const cb = await new SimClient(secondSim).login();
      const vm = (await cb.get(`/vms/${id}`)).doc.vm;
      expect([vm.name, vm.status]).toEqual(['survivor', 'down']);
      expect((await cb.get('/vms?search=name%3Dsurvivor')).doc.vms.vm['@id']).toBe(id);
      await cb.close();
      await secondSim.stop();
      fs.writeFileSync(stateFile, '{not json');
      await expect(startEngineSim({ stateFile })).rejects.toThrow(/not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('engine-sim configuration', () => {
  it('takes users and extra seed entities from options', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-seed-'));
    const seedFile = path.join(dir, 'seed.json');
    fs.writeFileSync(
      seedFile,
      JSON.stringify([
        {
          kind: 'networks',
          id: '5a1e0000-0000-4000-8000-000000000e99',
          data: { name: 'storage-net', description: '', mtu: 9000, stp: false },
        },
      ]),
    );
    const sim = await startEngineSim({ users: { 'ops@internal': 's3cret' }, seedFile, tls: false });
    const client = await new SimClient(sim).login();
    try {
      expect([sim.username, sim.password, sim.caFile]).toEqual(['ops@internal', 's3cret', '']);
      expect(sim.url).toMatch(/^http:\/\//);
      const nets = (await client.get('/networks?search=name%3Dstorage-net')).doc.networks.network;
      expect(nets.mtu).toBe(9000);
      fs.writeFileSync(seedFile, '{}');
      await expect(startEngineSim({ seedFile })).rejects.toThrow(/JSON array/);
      fs.writeFileSync(seedFile, '[{"kind":"widgets","id":"x","data":{}}]');
      await expect(startEngineSim({ seedFile })).rejects.toThrow(/entry 0: needs kind/);
    } finally {
      await client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('engine-sim concurrency', () => {
  it('stays consistent under 10 parallel clients', async () => {
    const sim = await startEngineSim();
    const clients = await Promise.all(Array.from({ length: 10 }, () => new SimClient(sim).login()));
    try {
      const same = await Promise.all(
        clients.map((client) =>
          client.post(
            '/vms',
            '<vm><name>race</name><cluster><name>Default</name></cluster><template><name>rhcos-template</name></template></vm>',
          ),
        ),
      );
      expect(same.filter((r) => r.status === 201)).toHaveLength(1);
      expect(same.filter((r) => r.status === 409)).toHaveLength(9);
      const made = await Promise.all(clients.flatMap((c, i) => [0, 1, 2].map((j) => c.createVm(`p-${i}-${j}`))));
      expect(new Set(made).size).toBe(30);
      const nics = await Promise.all(
        made.map((id, i) => nth(clients, i % 10).post(`/vms/${id}/nics`, '<nic><name>nic1</name></nic>')),
      );
      const macs = nics.map((n) => n.doc.nic.mac.address);
      expect(new Set(macs).size).toBe(30);
      const list = (await nth(clients, 0).get('/vms')).doc.vms.vm;
      expect(list).toHaveLength(31);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await sim.stop();
    }
  });
});

describe('engine-sim on the wall clock', () => {
  it('moves statuses between requests with fast delays (seen in the state file)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-tick-'));
    const stateFile = path.join(dir, 'state.json');
    const sim = await startEngineSim({ delays: 'fast', stateFile });
    const client = await new SimClient(sim).login();
    const statusInFile = (id: string): unknown =>
      (
        JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { entities: Array<{ id: string; data: { status?: string } }> }
      ).entities.find((e) => e.id === id)?.data.status;
    try {
      const id = await client.createVm('ticking');
      expect(statusInFile(id)).toBe('image_locked');
      await new Promise((r) => setTimeout(r, 700));
      expect(statusInFile(id)).toBe('down');
    } finally {
      await client.close();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

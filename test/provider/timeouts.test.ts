/**
 * Operation timeouts and Ctrl-C reach every request, and the diagnostics say which limit applied:
 * a VM create against a hung engine and a boot entry against a boot server dripping its answer
 * both stop at `timeouts.create` and name it; StopProvider stops a boot entry write.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { simProvider } from '../support/provider-harness';

const ENTRY = { name: 'drip-0', macs: ['56:6f:00:00:00:09'], ipxe_script: '#!ipxe\nexit' };

describe('operation timeouts and Ctrl-C', () => {
  let sim: EngineSim;
  let dripping: Server;
  let dripUrl: string;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    // A boot server that accepts every request and answers one byte every 100 ms, forever.
    dripping = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => dripping.listen(0, '127.0.0.1', r));
    dripUrl = `http://127.0.0.1:${(dripping.address() as AddressInfo).port}`;
  });
  afterEach(() => sim.control.setFaults({}));
  afterAll(async () => {
    dripping?.closeAllConnections();
    await new Promise((r) => dripping?.close(r));
    await sim?.stop();
  });

  const harness = () => simProvider(sim, { boot_server: { url: dripUrl, token: 'drip-admin-token' } });

  it("a VM create against a hung engine reports timeouts.create, not the client's request timeout", async () => {
    const provider = await harness();
    sim.control.setFaults({ latencyMs: 3000 });
    const result = await provider.planApply('ovirt_vm', null, {
      name: 'hung',
      cluster_id: SEED_IDS.cluster,
      memory: 1024 ** 3,
      timeouts: { create: '1s' },
    });
    expect(result.diagnostics.map((d) => d.summary)).toEqual(['oVirt Operation Timed Out']);
    expect(result.diagnostics[0]!.detail).toMatch(
      /^The create timeout of 1s passed before the create finished\. Raise `timeouts\.create`/,
    );
    expect(result.diagnostics[0]!.detail).not.toMatch(/60000|60 s/);
  });

  it('a boot entry against a dripping boot server stops at timeouts.create and says so', async () => {
    const provider = await harness();
    const result = await provider.planApply('ovirt_boot_entry', null, { ...ENTRY, timeouts: { create: '1s' } });
    expect(result.diagnostics.map((d) => d.summary)).toEqual(['Boot Server Operation Timed Out']);
    expect(result.diagnostics[0]!.detail).toBe(
      "The create timeout of 1s passed before the create finished. Raise `timeouts.create` (or the provider's `default_timeouts`). " +
        'While creating boot entry "drip-0": boot server PUT /drip-0: stopped: the create timeout of 1s passed',
    );
  });

  it('StopProvider (Ctrl-C) stops a boot entry write at once', async () => {
    const provider = await harness();
    const pending = provider.planApply('ovirt_boot_entry', null, ENTRY);
    setTimeout(() => void provider.stop(), 300);
    const result = await pending;
    expect(result.diagnostics.map((d) => d.summary)).toEqual(['Boot Server Error']);
    expect(result.diagnostics[0]!.detail).toMatch(
      /^Terraform asked the provider to stop\. While creating boot entry "drip-0": boot server PUT \/drip-0: stopped: /,
    );
  });

  it('a boot entry write that reaches the provider after StopProvider stops at once', async () => {
    // Terraform prints "Creating..." before it sends the apply; Ctrl-C in between stops the provider first.
    const provider = await harness();
    const planned = await provider.plan('ovirt_boot_entry', null, ENTRY);
    await provider.stop();
    const result = await provider.apply('ovirt_boot_entry', null, planned.planned, ENTRY);
    expect(result.diagnostics.map((d) => d.summary)).toEqual(['Boot Server Error']);
    expect(result.diagnostics[0]!.detail).toMatch(/^Terraform asked the provider to stop\. /);
  });
});

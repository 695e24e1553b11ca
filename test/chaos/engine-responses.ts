/**
 * Malformed engine answers to the engine client: truncated XML, wrong types, entity-expansion
 * XML, wrong documents, oversized and stalled bodies. Each must end in a clear `OvirtError`
 * naming the request, quickly, never a hang, a crash or half a model.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { asId, OvirtClient, OvirtError, type OvirtErrorCode, type VmId } from '../../src/ovirt';
import { countFault } from './support';

const VM_ID = '0b5c0000-0000-4000-8000-00000000c4a0';
const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
  { length: 9 },
  (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`,
).join('')}]><vm id="${VM_ID}"><name>&lol9;</name></vm>`;

interface Answer {
  status?: number;
  type?: string;
  body?: string;
  stall?: boolean;
  lie?: boolean;
}
interface Case {
  what: string;
  answer: Answer;
  code: OvirtErrorCode;
  says: RegExp;
  format?: 'xml' | 'json';
}

const XML = 'application/xml';
const CASES: Case[] = [
  {
    what: 'truncated XML',
    answer: { body: `<vm id="${VM_ID}"><name>half</name><memory>10` },
    code: 'parse',
    says: /truncated/,
  },
  {
    what: 'a number field holding text',
    answer: { body: `<vm id="${VM_ID}"><name>x</name><memory>lots</memory></vm>` },
    code: 'parse',
    says: /memory/,
  },
  {
    what: 'a boolean field holding a number',
    answer: { body: `<vm id="${VM_ID}"><name>x</name><stateless>2</stateless></vm>` },
    code: 'parse',
    says: /stateless/,
  },
  { what: 'entity expansion (billion laughs)', answer: { body: LAUGHS }, code: 'parse', says: /DOCTYPE|ENTITY/ },
  {
    what: 'an external entity',
    answer: { body: `<!DOCTYPE vm [<!ENTITY x SYSTEM "file:///etc/passwd">]><vm id="${VM_ID}"><name>&x;</name></vm>` },
    code: 'parse',
    says: /DOCTYPE|ENTITY/,
  },
  {
    what: 'the wrong document',
    answer: { body: `<disk id="${VM_ID}"><name>x</name></disk>` },
    code: 'parse',
    says: /<vm>/,
  },
  {
    what: 'an HTML page with 200',
    answer: { type: 'text/html', body: '<html><body><h1>Welcome to nginx</h1><br></body></html>' },
    code: 'parse',
    says: /./,
  },
  { what: 'an empty body with 200', answer: { body: '' }, code: 'parse', says: /./ },
  { what: 'binary garbage', answer: { body: '\u0000\u0001\u0002\uFFFD<<<>>>' }, code: 'parse', says: /./ },
  {
    what: 'a body over the size limit',
    answer: { body: `<vm id="${VM_ID}"><description>${'x'.repeat(70_000)}</description></vm>` },
    code: 'parse',
    says: /limit/,
  },
  {
    what: 'a body shorter than its Content-Length',
    answer: { body: `<vm id="${VM_ID}"><name>x</name></vm>`, lie: true },
    code: 'connection',
    says: /./,
  },
  { what: 'a body that stalls', answer: { body: `<vm id="${VM_ID}">`, stall: true }, code: 'timeout', says: /./ },
  {
    what: 'a 500 with a garbled fault',
    answer: { status: 500, body: '<fault><reason>Operation Fa' },
    code: 'server',
    says: /500/,
  },
  {
    what: 'a 400 fault with a reason',
    answer: {
      status: 400,
      body: '<fault><reason>Operation Failed</reason><detail>[Cannot add VM. Bad spec.]</detail></fault>',
    },
    code: 'bad_request',
    says: /Cannot add VM/,
  },
  {
    what: 'malformed JSON',
    format: 'json',
    answer: { type: 'application/json', body: '{"id": "x", "name": ' },
    code: 'parse',
    says: /JSON/,
  },
  {
    what: 'JSON with wrong types',
    format: 'json',
    answer: { type: 'application/json', body: JSON.stringify({ id: VM_ID, name: ['a'], memory: { x: 1 } }) },
    code: 'parse',
    says: /name|memory/,
  },
];

/** Registers the scenario. */
export function engineResponseScenarios(): void {
  describe('engine client: malformed engine answers', () => {
    let server: http.Server;
    let base: string;
    let current: Answer = {};
    const stalled: http.ServerResponse[] = [];

    beforeAll(async () => {
      server = http.createServer((_req, res) => {
        const answer = current;
        const body = Buffer.from(answer.body ?? '', 'utf8');
        if (answer.stall) {
          res.writeHead(200, { 'content-type': XML });
          res.write(body);
          stalled.push(res);
          return;
        }
        const length = answer.lie ? body.length + 1000 : body.length;
        res.writeHead(answer.status ?? 200, { 'content-type': answer.type ?? XML, 'content-length': length });
        if (answer.lie) {
          res.write(body);
          res.socket?.destroy();
          return;
        }
        res.end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ovirt-engine/api`;
    });
    afterAll(async () => {
      stalled.forEach((r) => r.destroy());
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it.each(CASES.map((c) => [c.what, c] as const))('%s: a clear error', async (_what, hostile) => {
      current = hostile.answer;
      const client = new OvirtClient({
        url: base,
        username: 'admin@internal',
        password: 'chaos-engine-password',
        auth: 'basic',
        format: hostile.format ?? 'xml',
        // A short timeout only where the answer stalls: the machine may be busy with other tests.
        timeoutMs: hostile.answer.stall ? 1500 : 15_000,
        maxAttempts: 2,
        retryBaseDelayMs: 1,
        retryMaxDelayMs: 5,
        maxBodyBytes: 64 * 1024,
      });
      const err = await client.vms.get(asId<VmId>(VM_ID)).then(
        () => undefined,
        (e: unknown) => e,
      );
      countFault('malformed engine answers');
      expect(OvirtError.is(err)).toBe(true);
      const ovirtErr = err as OvirtError;
      expect({
        code: ovirtErr.code,
        says: hostile.says.test(ovirtErr.message),
        endpoint: ovirtErr.message.includes(`/vms/${VM_ID}`),
      }).toEqual({
        code: hostile.code,
        says: true,
        endpoint: true,
      });
      expect(ovirtErr.message).not.toContain('chaos-engine-password');
    });
  });
}

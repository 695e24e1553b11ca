/**
 * Benchmark of the engine client. Prints:
 *  1. requests/s of `GET /vms/{id}` through OvirtClient (keep-alive pool, SSO token, XML decode +
 *     zod validation) beside a bare undici Pool loop against the same local HTTPS server in the
 *     same run, and their ratio;
 *  2. parse time per MB of the largest engine 4.3 fixture (XML validate + parse + model decode).
 * The server runs in a worker thread so it does not share the event loop with the measured code.
 *
 * Run: npx ts-node --transpile-only bench/ovirt-client/main.ts [seconds=5] [concurrency=8]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import {
  OvirtClient,
  asId,
  decodeEntity,
  decodeList,
  diskSchema,
  parseBody,
  vmSchema,
  type VmId,
} from '../../src/ovirt';
import { makeTestPki } from '../../test/ovirt/support/tls';
import { vmXml } from '../../test/ovirt/support/bodies';

const FIXTURES = join(__dirname, '../../../shared/fixtures/ovirt-engine-4.3');
const VM_ID = '8070fa6d-5b82-412c-9d41-a00017205c73';

/** The `<vm>` element of the real fixture (about 7 KB), or a small synthetic one when absent. */
function vmBody(): string {
  try {
    const all = readFileSync(join(FIXTURES, 'vms.xml'), 'utf8');
    const start = all.indexOf('<vm href');
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + all.slice(start, all.indexOf('</vm>', start) + 5)
    );
  } catch {
    return vmXml(VM_ID, 'bench');
  }
}

const SERVER = `
const { workerData, parentPort } = require('node:worker_threads');
const https = require('node:https');
const s = https.createServer({ key: workerData.key, cert: workerData.cert }, (req, res) => {
  if (req.url.startsWith('/ovirt-engine/sso/')) {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ access_token: 'bench-token', scope: 'ovirt-app-api', exp: '9223372036854775807', token_type: 'bearer' }));
  }
  req.resume();
  const json = String(req.headers.accept || '').includes('json');
  res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/xml;charset=UTF-8', 'correlation-id': String(req.headers['correlation-id'] || '') });
  res.end(json ? workerData.json : workerData.body);
});
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
`;

async function loop(seconds: number, concurrency: number, once: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await once();
        requests++;
      }
    }),
  );
  return requests / seconds;
}

async function requestsPerSecond(seconds: number, concurrency: number): Promise<void> {
  const pki = makeTestPki();
  const body = vmBody();
  // The same VM as JSON (the parsed XML tree serialised; see decode.ts), for the client in JSON mode.
  const json = JSON.stringify((parseBody(body, 'xml', 'bench') as { vm: unknown }).vm);
  const worker = new Worker(SERVER, { eval: true, workerData: { key: pki.keyPem, cert: pki.certPem, body, json } });
  const port: number = await new Promise((resolve) => worker.once('message', resolve));
  const origin = `https://127.0.0.1:${port}`;
  const path = `/ovirt-engine/api/vms/${VM_ID}`;
  const pool = new Pool(origin, { connections: concurrency, connect: { ca: pki.caPem } });
  const bare = async () => {
    const response = await pool.request({
      method: 'GET',
      path,
      headers: { accept: 'application/xml', version: '4', authorization: 'Bearer bench-token' },
    });
    await response.body.text();
  };
  // The same socket loop plus the client's codec: separates the codec's cost from the rest.
  const bareDecoded = async () => {
    const response = await pool.request({
      method: 'GET',
      path,
      headers: { accept: 'application/xml', version: '4', authorization: 'Bearer bench-token' },
    });
    decodeEntity(parseBody(await response.body.text(), 'xml', path), 'xml', 'vm', vmSchema, path);
  };
  const client = new OvirtClient({
    url: `${origin}/ovirt-engine/api`,
    username: 'admin@internal',
    password: 'x',
    caPem: pki.caPem,
    maxConnections: concurrency,
  });
  const jsonClient = new OvirtClient({
    url: `${origin}/ovirt-engine/api`,
    username: 'admin@internal',
    password: 'x',
    caPem: pki.caPem,
    maxConnections: concurrency,
    format: 'json',
  });
  const id = asId<VmId>(VM_ID);
  const viaClient = () => client.vms.get(id);
  const viaJsonClient = () => jsonClient.vms.get(id);
  await loop(1, concurrency, bare); // warm-up: connections, JIT
  await loop(1, concurrency, viaClient);
  await loop(1, concurrency, viaJsonClient);
  const bareRps = await loop(seconds, concurrency, bare);
  const decodedRps = await loop(seconds, concurrency, bareDecoded);
  const clientRps = await loop(seconds, concurrency, viaClient);
  const jsonRps = await loop(seconds, concurrency, viaJsonClient);
  console.log(
    `GET /vms/{id} (${body.length} B XML body, HTTPS keep-alive, ${concurrency} concurrent, ${seconds}s each)`,
  );
  console.log(`  bare undici Pool loop : ${bareRps.toFixed(0)} req/s`);
  console.log(`  bare loop + XML decode: ${decodedRps.toFixed(0)} req/s`);
  console.log(`  OvirtClient.vms.get   : ${clientRps.toFixed(0)} req/s`);
  console.log(
    `  ratio client/bare     : ${(clientRps / bareRps).toFixed(2)} (client/bare+decode ${(clientRps / decodedRps).toFixed(2)})`,
  );
  console.log(
    `  OvirtClient JSON mode : ${jsonRps.toFixed(0)} req/s (${json.length} B JSON body), ratio to bare ${(jsonRps / bareRps).toFixed(2)}`,
  );
  await client.close();
  await jsonClient.close();
  await pool.close();
  await worker.terminate();
  pki.cleanup();
}

function parsePerMb(): void {
  let files: string[];
  try {
    files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
  } catch {
    console.log(`parse: SKIPPED, fixture folder ${FIXTURES} is absent`);
    return;
  }
  const largest = files.map((f) => ({ f, size: statSync(join(FIXTURES, f)).size })).sort((a, b) => b.size - a.size)[0];
  if (!largest) {
    console.log(`parse: SKIPPED, fixture folder ${FIXTURES} has no .xml file`);
    return;
  }
  const text = readFileSync(join(FIXTURES, largest.f), 'utf8');
  const [plural, element, schema] =
    largest.f === 'disks.xml' ? (['disks', 'disk', diskSchema] as const) : (['vms', 'vm', vmSchema] as const);
  const run = () => decodeList(parseBody(text, 'xml', largest.f), 'xml', plural, element, schema, largest.f);
  for (let i = 0; i < 50; i++) run();
  const rounds = Math.max(200, Math.ceil((64 * 1024 * 1024) / text.length));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const mb = (text.length * rounds) / (1024 * 1024);
  console.log(
    `parse ${largest.f} (${largest.size} B, ${run().length} ${plural}), ${rounds} rounds: ${(ms / mb).toFixed(1)} ms per MB (${(mb / (ms / 1000)).toFixed(1)} MB/s)`,
  );
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const concurrency = Number(process.argv[3] ?? 8);
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  await requestsPerSecond(seconds, concurrency);
  parsePerMb();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

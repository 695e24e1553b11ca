/**
 * Benchmark of the engine simulator: requests per second for GET /vms/{id} and POST /vms with 10
 * concurrent clients (Terraform's default parallelism). The simulator runs as its own process
 * (`node bin/ovirt-cdktf.js engine-sim`, needs `npm run build`) so the load generator does not share
 * its event loop; `--in-process` runs it in this process instead.
 *
 *   npx ts-node --transpile-only bench/engine-sim/bench.ts [--seconds 5] [--clients 10] [--in-process]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Agent, fetch } from 'undici';
import { startEngineSim } from '../../src/engine-sim';

interface Target {
  url: string;
  username: string;
  password: string;
  caPem: string;
  stop: () => Promise<void>;
}

function arg(name: string, dflt: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : dflt;
}

async function outOfProcess(): Promise<Target> {
  const bin = path.resolve(__dirname, '../../bin/ovirt-cdktf.js');
  const child = spawn(process.execPath, [bin, 'engine-sim', '--delays', 'none', '--seed', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`engine-sim exited with ${code}; run npm run build first`)));
  });
  const ready = JSON.parse(line) as { url: string; username: string; password: string; caFile: string };
  return {
    ...ready,
    caPem: fs.readFileSync(ready.caFile, 'utf8'),
    stop: async () => {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    },
  };
}

function percentile(sorted: number[], fraction: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
  if (value === undefined) throw new Error('percentile of no measurements');
  return value;
}

/** Runs `op` from `clients` concurrent loops for `seconds`; returns req/s and latency percentiles. */
async function load(
  clients: number,
  seconds: number,
  op: (worker: number, i: number) => Promise<number>,
): Promise<string> {
  const lat: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      for (let i = 0; Date.now() < end; i++) {
        const started = process.hrtime.bigint();
        const status = await op(worker, i);
        if (status >= 400) errors++;
        lat.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  lat.sort((a, b) => a - b);
  return `${(lat.length / secs).toFixed(0)} req/s (${lat.length} requests, ${errors} errors, p50 ${percentile(lat, 0.5).toFixed(2)} ms, p99 ${percentile(lat, 0.99).toFixed(2)} ms)`;
}

async function main(): Promise<void> {
  const seconds = arg('--seconds', 5);
  const clients = arg('--clients', 10);
  const inProcess = process.argv.includes('--in-process');
  const target: Target = inProcess ? await startEngineSim({ seed: 1 }) : await outOfProcess();
  const agent = new Agent({ connect: { ca: target.caPem }, connections: clients });
  const tok = (await (
    await fetch(target.url.replace(/\/api$/, '/sso/oauth/token'), {
      method: 'POST',
      dispatcher: agent,
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        scope: 'ovirt-app-api',
        username: target.username,
        password: target.password,
      }).toString(),
    })
  ).json()) as { access_token: string };
  const headers = {
    authorization: `Bearer ${tok.access_token}`,
    'content-type': 'application/xml',
    accept: 'application/xml',
  };
  const created = await (
    await fetch(`${target.url}/vms`, {
      method: 'POST',
      dispatcher: agent,
      headers,
      body: '<vm><name>bench-target</name><cluster><name>Default</name></cluster><template><name>rhcos-template</name></template></vm>',
    })
  ).text();
  const id = /<vm href="[^"]+" id="([^"]+)"/.exec(created)?.[1];
  if (!id) throw new Error(`could not create the target VM: ${created}`);
  process.stdout.write(
    `engine-sim benchmark: ${clients} concurrent clients, ${seconds} s per operation, simulator ${inProcess ? 'in-process' : 'in its own process'}, TLS, XML\n`,
  );
  const get = await load(clients, seconds, async () => {
    const response = await fetch(`${target.url}/vms/${id}`, { dispatcher: agent, headers });
    await response.arrayBuffer();
    return response.status;
  });
  process.stdout.write(`GET /vms/{id}: ${get}\n`);
  const post = await load(clients, seconds, async (worker, iteration) => {
    const response = await fetch(`${target.url}/vms`, {
      method: 'POST',
      dispatcher: agent,
      headers,
      body: `<vm><name>b-${worker}-${iteration}</name><cluster><name>Default</name></cluster><template><name>rhcos-template</name></template></vm>`,
    });
    await response.arrayBuffer();
    return response.status;
  });
  process.stdout.write(`POST /vms (from a one-disk template): ${post}\n`);
  await agent.close();
  await target.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

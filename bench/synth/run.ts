/**
 * bench/synth: synth time and peak memory of an OpenShiftIpiCluster (PXE mode, 3 masters, bootstrap)
 * with 100 and then 500 workers. Each size runs in a fresh Node process, so its peak RSS is its own;
 * prints one line per size with the time to build the constructs and to synthesize to disk. It
 * measures the compiled constructs (dist/, as users run them), so run `npm run build` first:
 *
 *   npm run build && npx ts-node --transpile-only bench/synth/run.ts [workers...]   (default: 100 500)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

interface Result {
  workers: number;
  constructMs: number;
  synthMs: number;
  maxRssMiB: number;
  jsonMiB: number;
  resources: number;
}

/** One measurement, in this process. */
function measure(workers: number): Result {
  // Imported here so module loading is not counted in either phase's time.
  const { TerraformStack, LocalBackend, App } = require('cdktf') as typeof import('cdktf');
  const constructs = require('../../dist/constructs') as typeof import('../../constructs');
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const tLoaded = performance.now();
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'ocp');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const server = new constructs.BootArtifactServer(stack, 'boot', { url: 'https://boot.example:8443' });
  new constructs.OvirtProvider(stack, 'ovirt', { bootServer: server });
  const ca = '-----BEGIN CERTIFICATE-----\nMIIBbench\n-----END CERTIFICATE-----\n';
  new constructs.OpenShiftIpiCluster(stack, 'cluster', {
    clusterName: 'ocp',
    baseDomain: 'example.com',
    ovirtCluster: { name: 'Default' },
    storageDomain: { name: 'data' },
    vnicProfile: { network: 'ovirtmgmt' },
    apiVips: ['10.0.0.5'],
    ingressVips: ['10.0.0.6'],
    bootServer: server,
    boot: { mode: 'pxe', kernelUrl: 'http://img/k', initramfsUrl: 'http://img/i', rootfsUrl: 'http://img/r' },
    ignition: { bootstrap: { content: JSON.stringify({ ignition: { version: '3.2.0' } }) }, machineConfigCaPem: ca },
    masters: { count: 3 },
    workers: { count: workers },
  });
  const tBuilt = performance.now();
  app.synth();
  const tSynth = performance.now();
  const file = join(outdir, 'stacks', 'ocp', 'cdk.tf.json');
  const json = JSON.parse(require('node:fs').readFileSync(file, 'utf8')) as { resource: Record<string, object> };
  const resources = Object.values(json.resource).reduce((n, r) => n + Object.keys(r).length, 0);
  const result: Result = {
    workers,
    constructMs: Math.round(tBuilt - tLoaded),
    synthMs: Math.round(tSynth - tBuilt),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    jsonMiB: +(statSync(file).size / 2 ** 20).toFixed(2),
    resources,
  };
  rmSync(outdir, { recursive: true, force: true });
  return result;
}

function main(): void {
  const arg = process.argv.indexOf('--child');
  if (arg >= 0) {
    // ts-node's source-map hook makes every stack capture (cdktf records one per token) map through
    // source maps; users run compiled JavaScript without it, so measure without it too.
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    process.stdout.write(JSON.stringify(measure(Number(process.argv[arg + 1]))) + '\n');
    return;
  }
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  console.log(`bench/synth: node ${process.version}, ${require('node:os').cpus().length} CPUs`);
  for (const workers of sizes.length ? sizes : [100, 500]) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', String(workers)], {
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as Result;
    console.log(
      `3 masters + ${result.workers} workers: ${result.resources} resources, construct ${result.constructMs} ms, synth ${result.synthMs} ms, ` +
        `total ${result.constructMs + result.synthMs} ms, peak RSS ${result.maxRssMiB} MiB, cdk.tf.json ${result.jsonMiB} MiB`,
    );
  }
}

main();

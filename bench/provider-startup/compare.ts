/**
 * Exec-to-handshake-line of provider executables side by side: each started N times with
 * AutoMTLS on as under Terraform, interleaved round by round with `node -e 'console.log(1)'` (a
 * bare start to its first line of output), so the shared machine's load hits all alike. Prints the
 * median wall time, the mean CPU time of the process up to its line (user+sys from /proc, which
 * the load inflates less than wall time) and the ratios to node.
 *
 *   npx ts-node --transpile-only bench/provider-startup/compare.ts N EXE...
 *   (e.g. the executable of main's dist/release beside this branch's, both unzipped)
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/tfplugin/grpc/serve';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Wall ms to the first stdout line, and the process's CPU ms at that moment. */
function startOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      const ms = performance.now() - t0;
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      child.kill('SIGKILL');
      resolve({ ms, cpu: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK });
    });
    child.on('error', reject);
    child.on('exit', (code) => code !== null && reject(new Error(`${cmd} exited ${code} before its first line`)));
  });
}

async function main(): Promise<void> {
  const [count, ...exes] = process.argv.slice(2);
  const rounds = Number(count);
  if (!(rounds > 0) || !exes.length) throw new Error('usage: compare.ts N EXE...');
  const env = {
    ...process.env,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: generateServerCertificate().certPem,
  };
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`# provider-startup/compare ${new Date().toISOString()} ${os.cpus().length} cpus, loadavg ${load()}`);
  const kinds: [string, string, string[]][] = [
    ["node -e 'console.log(1)'", process.execPath, ['-e', 'console.log(1)']],
    ...exes.map((exe): [string, string, string[]] => [exe, exe, []]),
  ];
  const runs = kinds.map(() => [] as { ms: number; cpu: number }[]);
  for (let i = 0; i < rounds; i++)
    for (const [k, [, cmd, args]] of kinds.entries()) runs[k]!.push(await startOnce(cmd, args, env));
  const stats = runs.map((starts) => ({
    ms: starts.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(starts.length / 2)]!,
    cpu: starts.reduce((sum, x) => sum + x.cpu, 0) / starts.length,
  }));
  for (const [k, [label]] of kinds.entries()) {
    const { ms, cpu } = stats[k]!;
    console.log(
      `${label.slice(-50).padEnd(50)} wall median ${ms.toFixed(0).padStart(5)} ms (${(ms / stats[0]!.ms).toFixed(2)}x)  ` +
        `cpu mean ${cpu.toFixed(0).padStart(4)} ms (${(cpu / stats[0]!.cpu).toFixed(2)}x)  n=${rounds}`,
    );
  }
  console.log(`# loadavg at end ${load()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

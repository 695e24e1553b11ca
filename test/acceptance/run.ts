/**
 * The acceptance run: check the input and the engine (before creating anything), run the scenarios
 * with the real terraform, remove whatever carries the run's prefix (also after a failure or an
 * interrupt), and report. `sweep` removes what earlier runs left instead.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BootAdminClient, MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { OvirtClient } from '../../src/ovirt';
import { createWorkspace, type Workspace } from '../support/terraform';
import { ANY_RUN, describeOwned, findOwned, newPrefix, removeOwned, type Owned } from './cleanup';
import { SCENARIOS, type Ctx } from './scenarios';
import { preflight, resolveTarget, type Target } from './target';

const HCL = path.join(__dirname, 'hcl', 'main.tf');
const GiB = 1024 ** 3;

/** Options of {@link runAcceptance}. */
export interface AcceptanceOptions {
  /** OVIRT_* variables (the process environment for the command). */
  env: NodeJS.ProcessEnv;
  /** Remove the leftovers of earlier runs instead of running. */
  sweep?: boolean;
  /** Runs only these scenarios (by name; the first, which creates the stack, must be among them). Default all. */
  only?: string[];
  /** Aborted on Ctrl-C: stops terraform, skips what is left, cleans up. */
  signal?: AbortSignal;
  /** Report lines. */
  out: (line: string) => void;
}

/** One scenario's outcome. */
export interface Outcome {
  name: string;
  result: 'passed' | 'failed' | 'skipped';
  reason?: string;
  ms: number;
}

/** What a run did. */
export interface AcceptanceReport {
  outcomes: Outcome[];
  /** Engine product and version from the API root. */
  engine: string;
  prefix: string;
  ms: number;
  /** Objects with the prefix still on the engine after cleanup (or, after a sweep, with any run prefix). */
  leftBehind: string[];
  interrupted: boolean;
  /** The secret values the run gave the engine (for the recording test: none may be recorded). */
  secrets: string[];
  exitCode: number;
}

/** Runs the suite (or the sweep). Input errors are thrown as InputError before anything is created. */
export async function runAcceptance(options: AcceptanceOptions): Promise<AcceptanceReport> {
  const started = Date.now();
  const target = await resolveTarget(options.env);
  const client = new OvirtClient({
    url: target.url,
    username: target.username,
    password: target.password,
    caFile: target.caFile,
    insecure: target.insecure,
    record: options.env.OVIRT_RECORD || undefined,
  });
  try {
    const facts = await preflight(client, target);
    const where = target.sim ? `its own simulator (${facts.version})` : `${facts.version} at ${target.url}`;
    if (options.sweep) return await sweep(options, client, facts.version, where, started);
    return await runScenarios(options, target, client, facts, where, started);
  } finally {
    await client.close();
    await target.sim?.stop();
  }
}

async function sweep(
  options: AcceptanceOptions,
  client: OvirtClient,
  engine: string,
  where: string,
  started: number,
): Promise<AcceptanceReport> {
  options.out(
    `acceptance --sweep: removing the objects of earlier runs (names matching ${ANY_RUN.source}) from ${where}`,
  );
  const failed = await removeOwned(client, await findOwned(client, (n) => ANY_RUN.test(n)), options.out);
  const left = await findOwned(client, (n) => ANY_RUN.test(n));
  options.out(`acceptance --sweep: done in ${seconds(Date.now() - started)}; left behind: ${describeOwned(left)}`);
  for (const f of failed) options.out(`  could not remove ${f}`);
  return {
    outcomes: [],
    engine,
    prefix: '',
    ms: Date.now() - started,
    leftBehind: left.map((x) => `${x.kind} ${x.name}`),
    interrupted: false,
    secrets: [],
    exitCode: left.length ? 1 : 0,
  };
}

/** Per-run secret values the stack hands the engine; none may appear in a recording. */
function runSecrets(prefix: string): { custom_script: string; root_password: string; ssh_key: string } {
  const hex = () => randomBytes(12).toString('hex');
  return {
    custom_script: `#cloud-config\n# ${prefix}script-${hex()}\n`,
    root_password: `pw-${hex()}`,
    ssh_key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(24).toString('base64')} ${prefix}key`,
  };
}

async function runScenarios(
  options: AcceptanceOptions,
  target: Target,
  client: OvirtClient,
  facts: Ctx['facts'],
  where: string,
  started: number,
): Promise<AcceptanceReport> {
  const prefix = newPrefix();
  const secrets = runSecrets(prefix);
  const bootToken = randomBytes(24).toString('hex');
  options.out(`acceptance: run ${prefix} against ${where}`);
  let boot: RunningBootServer | undefined;
  let ws: Workspace | undefined;
  const outcomes: Outcome[] = [];
  let left: Owned[] = [];
  try {
    boot = await startBootServer({ port: 0, store: new MemoryStore(), token: bootToken, log: () => undefined });
    ws = await createWorkspace({
      env: {
        OVIRT_URL: target.url,
        OVIRT_USERNAME: target.username,
        OVIRT_PASSWORD: target.password,
        OVIRT_CAFILE: target.caFile,
        OVIRT_INSECURE: target.insecure ? 'true' : undefined,
        OVIRT_BOOT_URL: boot.url,
        OVIRT_BOOT_TOKEN: bootToken,
        OVIRT_RECORD: options.env.OVIRT_RECORD || undefined,
      },
      // A real engine copies disks and boots VMs: give each terraform command time.
      defaults: { timeoutMs: (target.sim ? 5 : 30) * 60_000, signal: options.signal },
    });
    ws.writeFiles({ 'main.tf': fs.readFileSync(HCL, 'utf8').replaceAll('__SOURCE__', ws.source) });
    const init = await ws.terraform('init', '-no-color');
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}`);
    const ctx: Ctx = {
      prefix,
      facts,
      client,
      ws,
      sim: target.sim,
      ids: { vm: '' as Ctx['ids']['vm'], disk: '' as Ctx['ids']['disk'], mac: '' },
      boot: { url: boot.url, admin: new BootAdminClient({ url: boot.url, token: bootToken }) },
      vars: {
        prefix,
        cluster: target.names.OVIRT_ACC_CLUSTER,
        template: target.names.OVIRT_ACC_TEMPLATE,
        storage_domain: target.names.OVIRT_ACC_STORAGE_DOMAIN,
        network: target.names.OVIRT_ACC_NETWORK,
        memory: GiB,
        cpu_sockets: 1,
        comment: 'acceptance',
        disk_size: GiB,
        power: 'down',
        boot_entry: false,
        ...secrets,
      },
    };
    let blocked: string | undefined;
    for (const s of SCENARIOS) {
      const t0 = Date.now();
      const skip = options.signal?.aborted
        ? 'interrupted'
        : (blocked ??
          (options.only && !options.only.includes(s.name)
            ? 'not selected'
            : s.needsSimulator && !target.sim
              ? `${s.needsSimulator}; OVIRT_URL names a real engine`
              : undefined));
      if (skip !== undefined) {
        outcomes.push(report(options, { name: s.name, result: 'skipped', reason: skip, ms: 0 }));
        continue;
      }
      try {
        await s.run(ctx);
        outcomes.push(report(options, { name: s.name, result: 'passed', ms: Date.now() - t0 }));
      } catch (err) {
        const reason = options.signal?.aborted ? 'interrupted' : (err as Error).message;
        outcomes.push(report(options, { name: s.name, result: 'failed', reason, ms: Date.now() - t0 }));
        blocked = `"${s.name}" failed`;
      }
    }
    await ctx.boot.admin.close();
  } finally {
    await boot?.stop();
    await ws?.cleanup();
    // Whatever the run left (a failure, an interrupt, an error): removed through the engine API.
    const failed = await removeOwned(client, await findOwned(client, (n) => n.startsWith(prefix)), options.out);
    for (const f of failed) options.out(`  could not remove ${f}`);
    left = await findOwned(client, (n) => n.startsWith(prefix));
  }
  const count = (r: Outcome['result']) => outcomes.filter((x) => x.result === r).length;
  const interrupted = options.signal?.aborted === true;
  const ms = Date.now() - started;
  options.out(
    `acceptance: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped${interrupted ? ' (interrupted)' : ''} in ${seconds(ms)}; ` +
      `engine ${facts.version}; left behind: ${describeOwned(left)}${left.length ? ' (remove with: npm run test:acceptance -- --sweep)' : ''}`,
  );
  return {
    outcomes,
    engine: facts.version,
    prefix,
    ms,
    leftBehind: left.map((x) => `${x.kind} ${x.name}`),
    interrupted,
    secrets: [target.password, bootToken, ...Object.values(secrets)],
    exitCode: interrupted ? 130 : count('failed') > 0 || left.length > 0 ? 1 : 0,
  };
}

function report(options: AcceptanceOptions, outcome: Outcome): Outcome {
  const label = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' }[outcome.result];
  const reason =
    outcome.reason === undefined
      ? ''
      : outcome.result === 'failed'
        ? `\n${indent(outcome.reason)}`
        : ` (${outcome.reason})`;
  options.out(`  ${label}  ${outcome.name}${outcome.result === 'skipped' ? '' : `  ${seconds(outcome.ms)}`}${reason}`);
  return outcome;
}

const indent = (text: string) =>
  text
    .split('\n')
    .slice(0, 40)
    .map((l) => `        ${l}`)
    .join('\n');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

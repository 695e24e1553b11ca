/**
 * The acceptance suite the way a user runs it on their engine: OVIRT_URL names an engine (here a
 * simulator started separately, so the suite has no control over it). Scenarios needing the
 * simulator are skipped with their reason; bad input is one line naming the variable, before
 * anything is created; objects without the run prefix survive the run and a sweep; Ctrl-C removes
 * what the run created; a recording of the run holds none of the run's secrets.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { OvirtClient } from '../../src/ovirt';
import { REPO_ROOT } from '../support/terraform';
import { checkRecording } from '../ovirt/support/recordings';
import { runAcceptance } from './run';
import { SCENARIOS } from './scenarios';
import { InputError } from './target';
import { nth } from '../support/nth';

let sim: EngineSim;
let client: OvirtClient;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  sim = await startEngineSim({ delays: 'fast' });
  client = new OvirtClient({ url: sim.url, username: sim.username, password: sim.password, caPem: sim.caPem });
  env = {
    OVIRT_URL: sim.url,
    OVIRT_USERNAME: sim.username,
    OVIRT_PASSWORD: sim.password,
    OVIRT_CAFILE: sim.caFile,
    OVIRT_ACC_CLUSTER: 'Default',
    OVIRT_ACC_STORAGE_DOMAIN: 'data-iscsi',
    OVIRT_ACC_TEMPLATE: 'rhcos-template',
    OVIRT_ACC_NETWORK: 'ovirtmgmt',
  };
});
afterAll(async () => {
  await client.close();
  await sim.stop();
});

const names = (kind: string) =>
  sim.control
    .list(kind)
    .map((e) => String(e.data.name ?? e.data.alias))
    .sort();

describe('bad input: one line naming the variable, nothing created', () => {
  const cases: [string, NodeJS.ProcessEnv, string][] = [
    [
      'a missing variable',
      { OVIRT_ACC_TEMPLATE: undefined },
      'OVIRT_ACC_TEMPLATE: not set; OVIRT_ACC_TEMPLATE must be the name of a template',
    ],
    [
      'a wrong password',
      { OVIRT_PASSWORD: 'not-the-password' },
      'OVIRT_USERNAME or OVIRT_PASSWORD: the engine refused the login',
    ],
    [
      'a missing CA file',
      { OVIRT_CAFILE: '/nonexistent/ca.pem' },
      'OVIRT_CAFILE: "/nonexistent/ca.pem" does not exist',
    ],
    ['an untrusted engine', { OVIRT_CAFILE: undefined }, "OVIRT_CAFILE: the engine's certificate is not trusted"],
    ['an unknown cluster', { OVIRT_ACC_CLUSTER: 'nope' }, 'OVIRT_ACC_CLUSTER: the engine has no cluster named "nope"'],
    [
      'an unknown template',
      { OVIRT_ACC_TEMPLATE: 'nope' },
      'OVIRT_ACC_TEMPLATE: the engine has no template named "nope"',
    ],
    [
      'an unknown storage domain',
      { OVIRT_ACC_STORAGE_DOMAIN: 'nope' },
      'OVIRT_ACC_STORAGE_DOMAIN: the engine has no storage domain named "nope"',
    ],
    [
      'an unknown network',
      { OVIRT_ACC_NETWORK: 'nope' },
      'OVIRT_ACC_NETWORK: the engine has no network with a vNIC profile named "nope"',
    ],
  ];
  it.each(cases)('%s', async (_label, change, message) => {
    const before = [names('vms'), names('disks')];
    const err = await runAcceptance({ env: { ...env, ...change }, out: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message.startsWith(message)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
    expect([names('vms'), names('disks')]).toEqual(before);
  });
});

describe('against an engine named by OVIRT_URL', () => {
  const keep = ['keep-me', 'acc-user-vm', 'acceptance-vm'];
  let record: string;
  beforeAll(async () => {
    record = fs.mkdtempSync(path.join(os.tmpdir(), 'acc-record-'));
    for (const name of [...keep, 'acc-0badc0de-vm'])
      await client.vms.create({ name, cluster: { id: SEED_IDS.cluster }, template: { id: SEED_IDS.blankTemplate } });
    for (const alias of ['keep-disk', 'acc-0badc0de-data']) {
      await client.disks.create({
        alias,
        format: 'cow',
        provisioned_size: 1024 ** 2,
        storage_domains: [{ id: SEED_IDS.nfsDomain }],
      });
    }
  });
  afterAll(() => fs.rmSync(record, { recursive: true, force: true }));

  it('runs what a real engine allows, skips the rest with the reason, records without secrets', async () => {
    const lines: string[] = [];
    const report = await runAcceptance({ env: { ...env, OVIRT_RECORD: record }, out: (l) => lines.push(l) });
    const skipped = SCENARIOS.filter((s) => s.needsSimulator).map((scenario) => ({
      name: scenario.name,
      result: 'skipped',
      reason: `${scenario.needsSimulator}; OVIRT_URL names a real engine`,
    }));
    expect(report.outcomes.filter((o) => o.result !== 'passed').map(({ ms: _ms, ...o }) => o)).toEqual(skipped);
    expect(report.exitCode).toBe(0);
    expect(lines[0]).toBe(`acceptance: run ${report.prefix} against oVirt Engine 4.5.5-sim at ${sim.url}`);
    expect(lines).toContain(`  SKIP  ${nth(skipped, 0).name} (${nth(skipped, 0).reason})`);
    expect(lines[lines.length - 1]).toContain(
      `${SCENARIOS.length - skipped.length} passed, 0 failed, ${skipped.length} skipped in `,
    );
    expect(lines[lines.length - 1]).toContain('left behind: nothing');
    // The run removed only its own objects.
    expect(names('vms')).toEqual([...keep, 'acc-0badc0de-vm'].sort());

    const { exchanges, problems } = checkRecording(record);
    expect(problems).toEqual([]);
    expect(exchanges).toBeGreaterThan(50);
    const bytes = fs
      .readdirSync(record, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(record, f))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const secrets = [
      ...report.secrets,
      ...sim.control.issuedTokens(),
      '127.0.0.1',
      'sim.local',
      ...sim.control.list('hosts').map((h) => String(h.data.address)),
    ];
    expect(sim.control.issuedTokens().length).toBeGreaterThan(1);
    expect(secrets.filter((s) => bytes.includes(s))).toEqual([]);
  }, 600_000);

  it('after a failed scenario skips the rest and still removes what the run created', async () => {
    const lines: string[] = [];
    const report = await runAcceptance({
      env,
      out: (line) => {
        lines.push(line);
        // Right after the create, a change behind the suite's back makes the empty-plan scenario fail.
        if (!line.startsWith('  PASS  create')) return;
        const prefix = /run (acc-[0-9a-f]{8}-)/.exec(nth(lines, 0))![1]!;
        sim.control.mutate('vms', sim.control.list('vms').find((v) => v.data.name === `${prefix}vm`)!.id, {
          comment: 'changed behind the suite',
        });
      },
    });
    expect(report.outcomes.map((o) => o.result)).toEqual([
      'passed',
      'failed',
      ...Array(SCENARIOS.length - 2).fill('skipped'),
    ]);
    expect(nth(report.outcomes, 1).reason).toContain('expected no changes');
    expect(new Set(report.outcomes.slice(2).map((o) => o.reason))).toEqual(
      new Set([`"${nth(SCENARIOS, 1).name}" failed`]),
    );
    expect(lines).toContain(`  removed vm ${report.prefix}vm`);
    expect(report.leftBehind).toEqual([]);
    expect(report.exitCode).toBe(1);
    expect(names('vms').filter((n) => n.startsWith(report.prefix))).toEqual([]);
  }, 300_000);

  it('--sweep removes the leftovers of earlier runs and nothing without a run prefix', async () => {
    const lines: string[] = [];
    const report = await runAcceptance({ env, sweep: true, out: (l) => lines.push(l) });
    expect(report.exitCode).toBe(0);
    expect(lines).toContain('  removed vm acc-0badc0de-vm');
    expect(lines).toContain('  removed disk acc-0badc0de-data');
    expect(names('vms')).toEqual([...keep].sort());
    expect(names('disks')).toContain('keep-disk');
    expect(names('disks').filter((n) => n.startsWith('acc-'))).toEqual([]);
  }, 120_000);
});

describe('the command', () => {
  const run = (
    args: string[],
    extra: NodeJS.ProcessEnv,
    onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
  ) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'test/acceptance/main.ts', ...args],
        {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...extra },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        for (const l of chunk.toString().split('\n')) onLine?.(l, child);
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('prints one line for bad input and exits 2', async () => {
    const result = await run([], { ...env, OVIRT_ACC_NETWORK: '' });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^acceptance: OVIRT_ACC_NETWORK: not set; [^\n]*\n$/),
    });
  });

  it('on Ctrl-C stops terraform and removes what the run created', async () => {
    let sent = false;
    const result = await run([], env, (line, child) => {
      if (!sent && line.includes('PASS  create')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('acceptance: interrupted, stopping terraform and removing what this run created');
    const prefix = /run (acc-[0-9a-f]{8}-)/.exec(result.stdout)![1]!;
    expect(result.stdout).toContain('(interrupted)');
    expect(result.stdout).toContain('left behind: nothing');
    expect(names('vms').filter((n) => n.startsWith(prefix))).toEqual([]);
    expect(names('disks').filter((n) => n.startsWith(prefix))).toEqual([]);
  }, 300_000);
});

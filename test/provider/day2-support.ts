/**
 * Shared set-up of the day-2 end-to-end tests: a simulator seeded with a second data center
 * (cluster, host, storage domain) for the cross-cluster and cross-data-center refusals, and a
 * terraform workspace holding one of the `hcl/<name>/main.tf` configurations, initialised.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type DelayProfile, type EngineSim } from '../../src/engine-sim';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';
import { SimClient } from '../engine-sim/sim-client';
import { writeOtherDcSeed } from '../engine-sim/other-dc-seed';

export { OTHER } from '../engine-sim/other-dc-seed';

/** Terraform wraps diagnostics: compare texts with runs of white space as one space. */
export const flat = (s: string) => s.replace(/\s+/g, ' ');

/** A running simulator and an initialised workspace; `close` stops and removes both. */
export interface Day2Env {
  sim: EngineSim;
  ws: Workspace;
  close(): Promise<void>;
}

/** Starts the seeded simulator and a workspace for `hcl/<config>/main.tf`. */
export async function day2Env(config: string, delays: DelayProfile, seed: number): Promise<Day2Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${config}-`));
  const seedFile = writeOtherDcSeed(dir);
  const sim = await startEngineSim({ delays, seedFile, seed });
  const ws = await createWorkspace({
    env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
  });
  ws.writeFiles({
    'main.tf': fs
      .readFileSync(path.join(__dirname, 'hcl', config, 'main.tf'), 'utf8')
      .replaceAll('__SOURCE__', ws.source),
  });
  const close = async () => {
    await ws.cleanup();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    expectOk(await ws.terraform('init', '-no-color'));
  } catch (err) {
    await close();
    throw err;
  }
  return { sim, ws, close };
}

/** What `useDay2Env`'s `start` gives a test: the env, and `login` for an engine client closed with it. */
export interface Day2Run {
  sim: EngineSim;
  ws: Workspace;
  login(): Promise<SimClient>;
}

/**
 * Registers the `afterEach` that closes what a test opened, so no test leaves a simulator, a
 * workspace or a client behind, even when it fails; returns `start`, which opens `day2Env(config)`.
 */
export function useDay2Env(config: string): (delays: DelayProfile, seed: number) => Promise<Day2Run> {
  let env: Day2Env | undefined;
  let client: SimClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await env?.close();
    env = undefined;
  });
  return async (delays, seed) => {
    env = await day2Env(config, delays, seed);
    const { sim, ws } = env;
    const login = async () => {
      await client?.close();
      client = await new SimClient(sim).login();
      return client;
    };
    return { sim, ws, login };
  };
}

/**
 * Takes `address` out of state, checks that importing it by a bad id is refused, then imports it
 * back by the VM's id.
 */
export async function reimportByVmId(ws: Workspace, address: string, vm: string): Promise<void> {
  expectOk(await ws.terraform('state', 'rm', address));
  const badImport = await ws.terraform('import', '-no-color', address, 'not-a-uuid');
  expect(badImport.code).toBe(1);
  expect(flat(badImport.stderr)).toContain('Invalid Import ID');
  expectOk(await ws.terraform('import', '-no-color', address, vm));
}

/** Runs `terraform apply` in the background and sends Ctrl-C once `when()` holds; resolves to its exit code. */
export async function interruptWhen(
  ws: Workspace,
  when: () => boolean,
): Promise<{ code: number | null; sawIt: boolean }> {
  const child = ws.spawn(['apply', '-auto-approve', '-no-color']);
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let i = 0; i < 600 && !when(); i++) await new Promise((r) => setTimeout(r, 50));
  const sawIt = when();
  process.kill(-child.pid!, 'SIGINT');
  return { code: await done, sawIt };
}

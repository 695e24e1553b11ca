/**
 * End-to-end rig of the construct tests: the engine simulator, a boot server, a Terraform workspace
 * with the real provider in a filesystem mirror, and helpers that boot a node as iPXE and Ignition
 * would (fetching from the boot server) and check configs with the real ignition-validate.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startEngineSim, type EngineSim, KINDS } from '../../src/engine-sim';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';
import { expandIpxe, ipxeMachine } from '../boot/ipxe-sim';

export const BOOT_TOKEN = 'e2e-admin-token-0123456789';

/** The running parts of one end-to-end test. */
export interface Rig {
  sim: EngineSim;
  boot: RunningBootServer;
  ws: Workspace;
  /** Environment for terraform and cdktf: engine credentials and the boot server variables. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts the simulator, a boot server and a workspace. */
export async function startRig(): Promise<Rig> {
  const sim = await startEngineSim({ port: 0, delays: 'none', seed: 7 });
  const ws = await createWorkspace();
  const dataDir = join(ws.root, 'boot-data');
  mkdirSync(dataDir, { recursive: true });
  const boot = await startBootServer({ port: 0, dataDir, token: BOOT_TOKEN, logRequests: false, log: () => undefined });
  const env: NodeJS.ProcessEnv = {
    OVIRT_URL: sim.url,
    OVIRT_USERNAME: sim.username,
    OVIRT_PASSWORD: sim.password,
    OVIRT_CAFILE: sim.caFile,
    TF_VAR_boot_server_url: boot.url,
    TF_VAR_boot_server_token: BOOT_TOKEN,
  };
  return {
    sim,
    boot,
    ws,
    env,
    async stop() {
      await boot.stop();
      await sim.stop();
      await ws.cleanup();
    },
  };
}

/**
 * How many objects of each kind the simulator holds (to prove a destroy left nothing behind). Jobs
 * are left out: they are the engine's record of past operations, which it keeps by design.
 */
export function inventory(sim: EngineSim): Record<string, number> {
  return Object.fromEntries(KINDS.filter((k) => k !== 'jobs').map((k) => [k, sim.control.list(k).length]));
}

/** Runs terraform in a synthesized stack's folder with the rig's environment. */
export async function tf(rig: Rig, stackDir: string, ...args: string[]) {
  return expectOk(
    await rig.ws.run([`-chdir=${stackDir}`, ...args], {
      env: { ...rig.env, TF_CLI_ARGS: '-no-color' },
      timeoutMs: 300_000,
    }),
  );
}

/** GETs a URL as Ignition or iPXE would; fails on a non-200 answer. */
export async function fetchText(url: string, as: 'ipxe' | 'ignition'): Promise<string> {
  const headers =
    as === 'ignition'
      ? {
          'user-agent': 'Ignition/2.14.0',
          accept: 'application/vnd.coreos.ignition+json;version=3.2.0, */*;q=0.1',
          'accept-encoding': 'identity',
        }
      : { 'user-agent': 'iPXE/1.21.1' };
  const response = await request(url, { headers });
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${body.slice(0, 300)}`);
  return body;
}

/**
 * Boots a machine the way iPXE does from the chain URL: `/boot.ipxe`, then the per-machine script it
 * chains to (with `${mac}` etc. expanded), and returns that script.
 */
export async function ipxeBoot(bootUrl: string, mac: string, uuid: string): Promise<string> {
  const machine = ipxeMachine({ mac, uuid, arch: 'x86_64' });
  const chain = await fetchText(`${bootUrl}/boot.ipxe`, 'ipxe');
  const target = /^chain\s+(?:--\S+\s+)*(\S+)/m.exec(chain)?.[1];
  if (!target) throw new Error(`no chain command in boot.ipxe:\n${chain}`);
  return fetchText(new URL(expandIpxe(target, machine), `${bootUrl}/boot.ipxe`).href, 'ipxe');
}

/** The value of kernel argument `name=` in an iPXE script's `kernel` line, iPXE settings expanded. */
export function kernelArg(script: string, name: string, mac: string, uuid: string): string | undefined {
  const kernel = /^kernel\s+(.*)$/m.exec(script)?.[1] ?? '';
  const arg = kernel.split(/\s+/).find((a) => a.startsWith(`${name}=`));
  return arg === undefined
    ? undefined
    : expandIpxe(arg.slice(name.length + 1), ipxeMachine({ mac, uuid, arch: 'x86_64' }));
}

/** Checks a config with the real ignition-validate; throws with its complaint. */
export function ignitionValidate(dir: string, name: string, text: string): void {
  const file = join(dir, `${name}.ign`);
  writeFileSync(file, text);
  try {
    execFileSync('ignition-validate', [file], { stdio: 'pipe' });
  } catch (thrown) {
    const err = thrown as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `ignition-validate rejected ${name}: ${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`,
    );
  }
}

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

/** Ids of the second data center's objects. */
export const OTHER = {
  dc: '5a1e0000-0000-4000-8000-00000000dc02',
  cluster: '5a1e0000-0000-4000-8000-0000000c1002',
  host: '5a1e0000-0000-4000-8000-0000000a0009',
  sd: '5a1e0000-0000-4000-8000-000000005d09',
};

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
  const seedFile = path.join(dir, 'seed.json');
  const ref = (k: string, id: string) => ({ href: `/ovirt-engine/api/${k}/${id}`, id });
  fs.writeFileSync(
    seedFile,
    JSON.stringify([
      { kind: 'datacenters', id: OTHER.dc, data: { name: 'other', status: 'up' } },
      { kind: 'clusters', id: OTHER.cluster, data: { name: 'other', data_center: ref('datacenters', OTHER.dc) } },
      {
        kind: 'hosts',
        id: OTHER.host,
        data: { name: 'other-host', status: 'up', address: '192.0.2.99', cluster: ref('clusters', OTHER.cluster) },
      },
      {
        kind: 'storagedomains',
        id: OTHER.sd,
        data: {
          name: 'other-sd',
          status: 'active',
          type: 'data',
          storage: { type: 'nfs' },
          data_centers: { data_center: [ref('datacenters', OTHER.dc)] },
        },
      },
    ]),
  );
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

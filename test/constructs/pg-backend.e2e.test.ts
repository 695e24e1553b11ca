/**
 * Shared Terraform state on a REAL PostgreSQL (a private cluster, test/support/postgres.ts):
 * examples/single-vm synthesized with Terraform's `pg` backend (OVIRT_CDKTF_BACKEND=pg) is applied
 * against the engine simulator; a second apply while the first holds the lock fails with
 * Terraform's lock message, a third waits for it (-lock-timeout) and finds nothing to do; the state
 * in the database is whole, and a destroy leaves the simulator as it was.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { exampleApp } from '../../examples/shared';
import { singleVmStack } from '../../examples/single-vm/main';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { startPostgres, type Postgres } from '../support/postgres';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';
import { runDemo, tempDir } from '../cli/demo-run';
import { inventory } from './e2e-support';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Terraform state in PostgreSQL (pg backend)', () => {
  let pg: Postgres | undefined;
  let sim: EngineSim;
  let ws: Workspace;
  let db: Client;
  jest.setTimeout(600_000);

  beforeAll(async () => {
    pg = await startPostgres();
    if (!pg) return;
    // Realistic delays: an apply takes seconds, long enough to hold the lock while another tries.
    sim = await startEngineSim({ port: 0, delays: 'realistic', seed: 3 });
    ws = await createWorkspace();
    db = new Client({ connectionString: await pg.createDatabase('tfstate') });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await sim?.stop();
    await ws?.cleanup();
    pg?.stop();
  });

  it('applies examples/single-vm with its state in PostgreSQL, serialises concurrent applies with the lock, destroys', async () => {
    if (!pg) return; // startPostgres printed why
    const outdir = join(ws.root, 'cdktf.out');
    const saved = { ...process.env };
    // The connection string without credentials goes into cdk.tf.json; the credentials only to terraform.
    Object.assign(process.env, {
      OVIRT_CDKTF_BACKEND: 'pg',
      OVIRT_CDKTF_PG_URL: `postgres://127.0.0.1:${pg.port}/tfstate?sslmode=disable`,
      OVIRT_STORAGE_DOMAIN: 'data-nfs',
    });
    try {
      const app = exampleApp(outdir);
      singleVmStack(app);
      app.synth();
    } finally {
      for (const k of ['OVIRT_CDKTF_BACKEND', 'OVIRT_CDKTF_PG_URL', 'OVIRT_STORAGE_DOMAIN'])
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    }
    const stackDir = join(outdir, 'stacks', 'single-vm');
    const synthesized = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(synthesized).terraform.backend).toEqual({
      pg: { conn_str: `postgres://127.0.0.1:${pg.port}/tfstate?sslmode=disable`, schema_name: 'tf_single_vm' },
    });
    expect(synthesized).not.toContain(pg.password);

    const env = {
      OVIRT_URL: sim.url,
      OVIRT_USERNAME: sim.username,
      OVIRT_PASSWORD: sim.password,
      OVIRT_CAFILE: sim.caFile,
      PGUSER: pg.user,
      PGPASSWORD: pg.password,
    };
    const tf = (...args: string[]) => ws.run([`-chdir=${stackDir}`, ...args, '-no-color'], { env, timeoutMs: 300_000 });
    const before = inventory(sim);
    expectOk(await tf('init'));

    // The first apply takes the lock and holds it while the simulator takes its time.
    const first = ws.spawn([`-chdir=${stackDir}`, 'apply', '-auto-approve', '-no-color'], { env });
    let firstOut = '';
    first.stdout!.on('data', (d: Buffer) => {
      firstOut += d.toString();
    });
    first.stderr!.on('data', (d: Buffer) => {
      firstOut += d.toString();
    });
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    const locked = async () =>
      Number((await db.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0].n) >
      0;
    for (let i = 0; !(await locked()); i++) {
      if (i > 1200 || first.exitCode !== null) throw new Error(`the first apply never held the lock:\n${firstOut}`);
      await pause(25);
    }
    const [failed, waited] = await Promise.all([
      tf('apply', '-auto-approve'),
      tf('apply', '-auto-approve', '-lock-timeout=300s'),
    ]);
    expect(await firstDone).toBe(0);
    expect(firstOut).toContain('Apply complete! Resources: 5 added');
    // The second found the lock taken: Terraform's own message; the third waited for it, then had nothing to do.
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Error acquiring the state lock');
    expectOk(waited);
    expect(waited.stdout).toMatch(/No changes\.|Apply complete! Resources: 0 added, 0 changed, 0 destroyed/);

    // Nothing corrupted: one VM, one state row, a plan with no changes.
    expect(sim.control.list('vms').filter((v) => v.data['name'] === 'web-1')).toHaveLength(1);
    const rows = (await db.query('SELECT name, data FROM tf_single_vm.states')).rows as Array<{
      name: string;
      data: string;
    }>;
    expect(rows.map((r) => r.name)).toEqual(['default']);
    expect(JSON.parse(rows[0]!.data).resources.map((r: { type: string }) => r.type)).toContain('ovirt_vm');
    expect((await tf('plan', '-detailed-exitcode')).code).toBe(0);

    expectOk(await tf('destroy', '-auto-approve'));
    expect(inventory(sim)).toEqual(before);
    expect(JSON.parse((await db.query('SELECT data FROM tf_single_vm.states')).rows[0].data).resources).toEqual([]);
  });

  it('the main job keeps its state there with --state-backend, never showing the password', async () => {
    if (!pg) return;
    const url = `postgres://${pg.user}:${pg.password}@127.0.0.1:${pg.port}/demo_state?sslmode=disable`;
    await pg.createDatabase('demo_state');
    const dir = tempDir('demo-pg-');
    try {
      const demo = await runDemo(dir, [
        '--destroy',
        '--delays',
        'none',
        '--engine-port',
        '0',
        '--boot-port',
        '0',
        '--app',
        join(__dirname, '..', '..', 'examples', 'single-vm'),
        '--state-backend',
        url,
      ]);
      if (demo.code !== 0)
        throw new Error(
          `demo exited ${demo.code}\n--- stdout\n${demo.stdout.slice(-6000)}\n--- stderr\n${demo.stderr}`,
        );
      expect(demo.stdout).toContain(
        `Terraform state: PostgreSQL postgres://127.0.0.1:${pg.port}/demo_state?sslmode=disable`,
      );
      expect(demo.stdout + demo.stderr).not.toContain(pg.password);
      const demoDb = new Client({ connectionString: url.replace('?sslmode=disable', '') });
      await demoDb.connect();
      try {
        const rows = (await demoDb.query('SELECT name, data FROM tf_single_vm.states')).rows as Array<{
          name: string;
          data: string;
        }>;
        expect(rows.map((x) => x.name)).toEqual(['default']);
        expect(JSON.parse(rows[0]!.data).serial).toBeGreaterThan(1); // applied, then destroyed
      } finally {
        await demoDb.end();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The plugin bridge under the real terraform binary: the test-only `tftest` provider is bundled,
 * installed into a filesystem mirror and driven through init, plan, apply, update, replace,
 * import, drift, destroy, sensitive values, validation errors and Ctrl-C.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleEntry, createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';

let ws: Workspace;
let store: string;

function config(thing: string, extra = ''): string {
  return `
terraform {
  required_providers {
    tftest = { source = "terraform.local/ovirt-cdktf/tftest", version = "0.1.0" }
  }
}
provider "tftest" { store_dir = ${JSON.stringify(store)} }
resource "tftest_thing" "a" {
${thing}
}
${extra}`;
}

async function thingA(): Promise<Record<string, unknown>> {
  const values = resourceValues(await ws.state(), 'tftest_thing.a');
  if (!values) throw new Error('tftest_thing.a is not in state');
  return values;
}

beforeAll(async () => {
  const build = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tftest-bundle-'));
  const entry = await bundleEntry('test/tfplugin/fixtures/test-provider-main.ts', build);
  ws = await createWorkspace({ provider: { entry, type: 'tftest' } });
  store = path.join(ws.root, 'store');
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('tftest provider under real terraform', () => {
  it('inits from the mirror, applies, and then plans no changes', async () => {
    ws.writeFiles({
      'main.tf': config(
        '  name = "alpha"\n  password = "hunter2-secret"\n  tags = { env = "test" }\n  nic { network = "ovirtmgmt" }',
      ),
    });
    const init = expectOk(await ws.terraform('init'));
    expect(init.stdout).toMatch(/Installed terraform.local\/ovirt-cdktf\/tftest v0\.1\.0/);
    const plan = expectOk(await ws.terraform('plan', '-no-color'));
    expect(plan.stdout).toMatch(/1 to add/);
    expect(plan.stdout).toMatch(/password\s+= \(sensitive value\)/);
    expect(plan.stdout + plan.stderr).not.toContain('hunter2-secret');
    expect(plan.stdout).toMatch(/size\s+= 1/); // the default
    expectOk(await ws.terraform('apply', '-auto-approve', '-no-color'));
    const thing = await thingA();
    expect(thing.name).toBe('alpha');
    expect(thing.size).toBe(1);
    expect(typeof thing.id).toBe('string');
    expect(fs.existsSync(path.join(store, `${thing.id}.json`))).toBe(true);
    const again = await ws.run(['plan', '-detailed-exitcode', '-no-color']);
    expect(again.stdout).toMatch(/No changes/);
    expect(again.code).toBe(0);
  });

  it('logs under TF_LOG_PROVIDER (JSON lines parsed by terraform), never the sensitive value', async () => {
    const result = expectOk(await ws.run(['plan', '-no-color'], { env: { TF_LOG_PROVIDER: 'debug' } }));
    expect(result.stderr).toMatch(/provider\.terraform-provider-tftest.*PlanResourceChange done/);
    expect(result.stderr).not.toContain('hunter2-secret');
  });

  it('updates in place, keeping id (useStateForUnknown)', async () => {
    const before = await thingA();
    ws.writeFiles({
      'main.tf': config('  name = "alpha"\n  size = 5\n  password = "hunter2-secret"\n  nic { network = "ovirtmgmt" }'),
    });
    const plan = expectOk(await ws.terraform('plan', '-no-color'));
    expect(plan.stdout).toMatch(/1 to change, 0 to destroy/);
    expectOk(await ws.terraform('apply', '-auto-approve'));
    const after = await thingA();
    expect(after.size).toBe(5);
    expect(after.id).toBe(before.id);
    expect(after.created_at).toBe(before.created_at);
  });

  it('refuses to shrink at plan time, naming the attribute', async () => {
    ws.writeFiles({
      'main.tf': config('  name = "alpha"\n  size = 2\n  password = "hunter2-secret"\n  nic { network = "ovirtmgmt" }'),
    });
    const plan = await ws.terraform('plan', '-no-color');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/Shrinking Not Supported/);
    expect(plan.stderr).toMatch(/size cannot shrink from 5 to 2/);
  });

  it('reports a validation error that names the attribute', async () => {
    ws.writeFiles({ 'main.tf': config('  name = "Bad Name"\n  size = 500') });
    const plan = await ws.terraform('plan', '-no-color');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/Must be lower-case letters, digits and dashes, got "Bad Name"/);
    expect(plan.stderr).toMatch(/with tftest_thing\.a,[\s\S]*name = "Bad Name"/);
    expect(plan.stderr).toMatch(/Must be between 1 and 100, got 500/);
  });

  it('replaces on a force-new change', async () => {
    const before = await thingA();
    ws.writeFiles({
      'main.tf': config('  name = "beta"\n  size = 5\n  password = "hunter2-secret"\n  nic { network = "ovirtmgmt" }'),
    });
    const plan = expectOk(await ws.terraform('plan', '-no-color'));
    expect(plan.stdout).toMatch(/must be replaced/);
    expect(plan.stdout).toMatch(/forces replacement/);
    expectOk(await ws.terraform('apply', '-auto-approve'));
    const after = await thingA();
    expect(after.name).toBe('beta');
    expect(after.id).not.toBe(before.id);
    expect(fs.existsSync(path.join(store, `${before.id}.json`))).toBe(false);
  });

  it('picks up drift on refresh', async () => {
    const thing = await thingA();
    const stored = path.join(store, `${thing.id}.json`);
    fs.writeFileSync(stored, JSON.stringify({ ...JSON.parse(fs.readFileSync(stored, 'utf8')), size: 3 }));
    const plan = await ws.run(['plan', '-detailed-exitcode', '-no-color']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/size\s+= 3 -> 5/);
    fs.rmSync(stored);
    const gone = expectOk(await ws.terraform('plan', '-no-color'));
    expect(gone.stdout).toMatch(/tftest_thing\.a will be created/);
    expect(gone.stdout).toMatch(/1 to add/);
  });

  it('imports an existing object', async () => {
    expectOk(await ws.terraform('apply', '-auto-approve'));
    const thing = await thingA();
    expectOk(await ws.terraform('state', 'rm', 'tftest_thing.a'));
    const imp = expectOk(await ws.terraform('import', '-no-color', 'tftest_thing.a', String(thing.id)));
    expect(imp.stdout).toMatch(/Import successful/);
    const back = await thingA();
    expect(back.id).toBe(thing.id);
    expect(back.size).toBe(5);
    const bad = await ws.terraform('import', '-no-color', 'tftest_thing.b', 'no-such-id');
    expect(bad.code).toBe(1);
  });

  it('destroys', async () => {
    const thing = await thingA();
    expectOk(await ws.terraform('destroy', '-auto-approve'));
    expect(fs.existsSync(path.join(store, `${thing.id}.json`))).toBe(false);
    expect(resourceValues(await ws.state(), 'tftest_thing.a')).toBeUndefined();
  });

  it('stops cleanly on Ctrl-C (StopProvider aborts the create)', async () => {
    ws.writeFiles({ 'main.tf': config('  name = "slow"\n  slow_ms = 60000') });
    const started = Date.now();
    const child = ws.spawn(['apply', '-auto-approve', '-no-color']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (/Creating\.\.\./.test(out)) {
          clearInterval(poll);
          resolve();
        }
        if (Date.now() - started > 30_000) {
          clearInterval(poll);
          child.kill('SIGKILL');
          reject(new Error(`apply never started creating:\n${out}`));
        }
      }, 50);
    });
    process.kill(-(child.pid as number), 'SIGINT'); // the whole process group, as a terminal does
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // The create would take 60 s: "Interrupted" shows StopProvider cut it short.
    expect(code).not.toBe(0);
    expect(out).toMatch(/Create Interrupted/);
    expect(fs.readdirSync(store)).toEqual([]);
  });
});

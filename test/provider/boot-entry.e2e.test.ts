/**
 * `ovirt_boot_entry` end to end with the real terraform against a real boot server: create, the
 * machine's Ignition served at the token URL, an empty plan, an in-place update, drift made
 * through the admin API, import, destroy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BootAdminClient, MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { apply, expectNoChanges, plan } from './stack-flow';

const TOKEN = 'e2e-admin-token-0123456789';

describe('ovirt_boot_entry end to end (real terraform, boot server)', () => {
  let server: RunningBootServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => undefined });
    ws = await createWorkspace();
    const hcl = fs
      .readFileSync(path.join(__dirname, 'hcl', 'boot-entry', 'main.tf'), 'utf8')
      .replaceAll('__SOURCE__', ws.source)
      .replaceAll('__URL__', server.url)
      .replaceAll('__TOKEN__', TOKEN);
    ws.writeFiles({ 'main.tf': hcl, 'terraform.tfvars.json': JSON.stringify({ role: 'master' }) });
  });
  afterAll(async () => {
    await ws?.cleanup();
    await server?.stop();
  });

  it('creates, serves, updates in place, detects drift, imports and destroys', async () => {
    const admin = new BootAdminClient({ url: server.url, token: TOKEN });
    expectOk(await ws.terraform('init', '-no-color'));
    await apply(ws);
    const values = resourceValues(await ws.state(), 'ovirt_boot_entry.master0')!;
    expect(values.macs).toEqual(['56:6F:1A:2B:00:01']);
    expect(String(values.ignition_path)).toMatch(/^\/ignition\/\S+$/);
    const served = await fetch(`${server.url}${String(values.ignition_path)}`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ ignition: { version: '3.2.0' } });
    await expectNoChanges(ws);

    ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ role: 'bootstrap' }) });
    const upd = await plan(ws);
    expect(upd.stdout).toContain('1 to change');
    expect(upd.stdout).not.toContain('must be replaced');
    await apply(ws);
    expect((await admin.get('master-0'))!.role).toBe('bootstrap');

    const current = (await admin.get('master-0'))!;
    await admin.put({
      name: current.name,
      selectors: current.selectors,
      role: 'hand-edited',
      ipxe: current.ipxe,
      ignition: current.ignition,
      one_shot: false,
      require_token: true,
      allowed_sources: current.allowed_sources,
    });
    const drift = await plan(ws);
    expect(drift.stdout).toMatch(/~ role\s+= "hand-edited" -> "bootstrap"/);
    expect(drift.stdout).toMatch(/~ one_shot\s+= false -> true/);
    await apply(ws);

    expectOk(await ws.terraform('state', 'rm', 'ovirt_boot_entry.master0'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_boot_entry.master0', 'master-0'));
    await expectNoChanges(ws);

    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(await admin.get('master-0')).toBeUndefined();
    await admin.close();
  }, 300_000);
});

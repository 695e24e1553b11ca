/**
 * The "Example Usage" of every docs page (and the provider block of docs/index.md) works: all of
 * docs/examples/ together is one configuration, applied with the real terraform against the
 * simulator and a boot server, then planned (no changes) and destroyed, leaving nothing behind.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BootAdminClient, MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { ovirtProvider } from '../../src/provider';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'docs', 'examples');
const TOKEN = 'docs-examples-admin-token';

function exampleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of ['provider', 'resources', 'data-sources']) {
    for (const f of fs.readdirSync(path.join(EXAMPLES, kind)).sort())
      files.set(`${kind}/${f}`, fs.readFileSync(path.join(EXAMPLES, kind, f), 'utf8'));
  }
  return files;
}

describe('docs/examples', () => {
  let sim: EngineSim;
  let boot: RunningBootServer;
  let ws: Workspace;

  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    boot = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => undefined });
    ws = await createWorkspace({
      env: {
        OVIRT_URL: sim.url,
        OVIRT_USERNAME: sim.username,
        OVIRT_PASSWORD: sim.password,
        OVIRT_CAFILE: sim.caFile,
        TF_VAR_boot_server_url: boot.url,
        TF_VAR_boot_server_token: TOKEN,
      },
    });
  });
  afterAll(async () => {
    await ws?.cleanup();
    await boot?.stop();
    await sim?.stop();
  });

  it('has an example for every resource and data source', () => {
    const names = [...exampleFiles().keys()];
    for (const r of ovirtProvider.resources)
      expect(names).toContain(`resources/${r.typeName.replace(/^ovirt_/, '')}.tf`);
    for (const d of ovirtProvider.dataSources ?? [])
      expect(names).toContain(`data-sources/${d.typeName.replace(/^ovirt_/, '')}.tf`);
  });

  it('apply, an empty plan, and destroy with the real terraform', async () => {
    expect(exampleFiles().get('provider/provider.tf')).toContain(`source  = "${ws.source}"`);
    const files: Record<string, string> = {};
    for (const [name, text] of exampleFiles()) files[name.replace('/', '_')] = text;
    ws.writeFiles(files);
    // The image the ovirt_disk_from_image example uploads (a small real qcow2).
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(ws.dir, 'rhcos-openstack.x86_64.qcow2'), '16M']);
    const vmsBefore = sim.control.list('vms').length;
    expectOk(await ws.terraform('init'));
    expectOk(await ws.terraform('apply', '-auto-approve'));
    const names = sim.control.list('vms').map((v) => v.data['name']);
    expect(names).toEqual(expect.arrayContaining(['web-1', 'golden-image']));
    expect(
      sim.control.get('vms', String(sim.control.list('vms').find((v) => v.data['name'] === 'web-1')!.id))!.data[
        'status'
      ],
    ).toBe('up');
    const admin = new BootAdminClient({ url: boot.url, token: TOKEN });
    expect((await admin.list()).map((e) => e.name)).toEqual(['web-1']);
    const plan = await ws.terraform('plan', '-detailed-exitcode');
    if (plan.code !== 0)
      throw new Error(`plan after apply is not empty (exit ${plan.code}):\n${plan.stdout}\n${plan.stderr}`);
    expectOk(await ws.terraform('destroy', '-auto-approve'));
    expect(sim.control.list('vms').length).toBe(vmsBefore);
    expect(await admin.list()).toEqual([]);
  });
});

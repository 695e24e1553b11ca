/** TF_REATTACH_PROVIDERS: the real terraform drives a provider served from this test process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startReattach, type ReattachServer } from '../../src/tfplugin/testing';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { testProvider } from './fixtures/test-provider';

const SOURCE = 'terraform.local/ovirt-cdktf/tftest';
let ws: Workspace;
let server: ReattachServer;

beforeAll(async () => {
  // The mirror install is unused under reattach; any existing entry file satisfies it.
  ws = await createWorkspace({ provider: { entry: __filename, type: 'tftest' } });
  server = await startReattach(testProvider, SOURCE);
});
afterAll(async () => {
  server?.stop();
  await ws?.cleanup();
});

it('applies and destroys without init through TF_REATTACH_PROVIDERS', async () => {
  const store = path.join(ws.root, 'store');
  ws.writeFiles({
    'main.tf': `
terraform {
  required_providers {
    tftest = { source = "${SOURCE}" }
  }
}
provider "tftest" { store_dir = ${JSON.stringify(store)} }
resource "tftest_thing" "r" { name = "reattached" }
`,
  });
  expectOk(await ws.run(['apply', '-auto-approve', '-no-color'], { env: server.env }));
  const shown = await ws.run(['show', '-json'], { env: server.env });
  const values = resourceValues(JSON.parse(shown.stdout), 'tftest_thing.r');
  expect(values?.name).toBe('reattached');
  expect(fs.readdirSync(store)).toHaveLength(1);
  expectOk(await ws.run(['destroy', '-auto-approve', '-no-color'], { env: server.env }));
  expect(fs.readdirSync(store)).toHaveLength(0);
});

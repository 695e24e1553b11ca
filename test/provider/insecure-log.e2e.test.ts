/**
 * `insecure = true` is visible (real terraform, simulator): under `TF_LOG=warn` the provider's
 * warning keeps its level in terraform's log (go-plugin parses the provider's hclog lines), and
 * every run shows a warning diagnostic on `insecure`.
 */
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { hclogTimestamp } from '../../src/tfplugin/log';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';

describe('insecure = true is visible', () => {
  let sim: EngineSim;
  let ws: Workspace;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    ws = await createWorkspace({
      env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password },
    });
    ws.writeFiles({
      'main.tf': `terraform {\n  required_providers {\n    ovirt = { source = "${ws.source}" }\n  }\n}\nprovider "ovirt" {\n  insecure = true\n}\ndata "ovirt_cluster" "c" {\n  name = "Default"\n}\n`,
    });
    expectOk(await ws.terraform('init', '-no-color'));
  });
  afterAll(async () => {
    await ws?.cleanup();
    await sim?.stop();
  });

  it('timestamps have the six fraction digits go-plugin parses', () => {
    expect(hclogTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)))).toBe('2026-01-02T03:04:05.067000Z');
  });

  it("TF_LOG=warn shows the provider's warning at WARN, and the plan carries a warning diagnostic", async () => {
    const result = expectOk(await ws.run(['plan', '-no-color'], { env: { TF_LOG: 'warn' } }));
    expect(result.stderr).toMatch(
      /\[WARN\]\s+provider\.terraform-provider-ovirt[^:]*: ovirt: TLS certificate verification is OFF \(insecure = true\)/,
    );
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('Warning: Engine TLS Verification Is Off');
  });
});

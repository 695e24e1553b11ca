/**
 * Every attribute whose value holds a secret is sensitive. The provider is driven in-process
 * against the simulator and a real boot server with recognisable secrets (passwords, Ignition,
 * the boot server's generated token); then every attribute of the resulting states whose value
 * contains one of them is listed, and each must be sensitive in the schema.
 */
import { MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { ovirtProvider } from '../../src/provider';
import { ProviderHarness } from '../../src/tfplugin/testing';
import type { BlockSchema } from '../../src/tfplugin';

type Obj = Record<string, unknown>;

const ADMIN_TOKEN = 'sensitive-admin-token-0123456789';
const IGNITION = JSON.stringify({
  ignition: { version: '3.2.0' },
  passwd: { users: [{ name: 'core', passwordHash: 'secret-ignition-hash' }] },
});
const ROOT_PASSWORD = 'secret-root-password';
const SCRIPT = '#cloud-config\npassword: secret-cloud-init';

/** Dotted paths (`initialization.root_password`) of state values containing any of `secrets`. */
function pathsHolding(value: unknown, secrets: string[], at = ''): string[] {
  if (typeof value === 'string') return secrets.some((s) => value.includes(s)) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v) => pathsHolding(v, secrets, at));
  if (value && typeof value === 'object') {
    return Object.entries(value as Obj).flatMap(([k, v]) => pathsHolding(v, secrets, at ? `${at}.${k}` : k));
  }
  return [];
}

/** Whether the attribute at a dotted path is sensitive (list/set/map levels are transparent). */
function isSensitive(schema: BlockSchema, dotted: string): boolean {
  const [head, ...rest] = dotted.split('.');
  const attribute = schema.attributes[head!];
  if (attribute) return attribute.options.sensitive === true;
  const nested = schema.blocks?.[head!];
  if (!nested) throw new Error(`no attribute or block "${head}"`);
  return isSensitive(nested.block, rest.join('.'));
}

describe('attributes derived from secrets are sensitive', () => {
  let sim: EngineSim;
  let server: RunningBootServer;
  let harness: ProviderHarness;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    server = await startBootServer({ port: 0, store: new MemoryStore(), token: ADMIN_TOKEN, log: () => undefined });
    harness = new ProviderHarness(ovirtProvider);
    expect(
      await harness.configure({
        url: sim.url,
        username: sim.username,
        password: sim.password,
        ca_file: sim.caFile,
        boot_server: { url: server.url, token: ADMIN_TOKEN },
      }),
    ).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    await sim?.stop();
  });

  it('lists every attribute holding a secret and finds each sensitive', async () => {
    const entry = await harness.planApply('ovirt_boot_entry', null, {
      name: 'secret-entry',
      macs: ['56:6f:00:00:00:01'],
      ipxe_script: '#!ipxe\nexit',
      ignition: IGNITION,
      require_token: true,
    });
    const vm = await harness.planApply('ovirt_vm', null, {
      name: 'secret-vm',
      cluster_id: SEED_IDS.cluster,
      memory: 1024 ** 3,
      initialization: { user_name: 'root', root_password: ROOT_PASSWORD, custom_script: SCRIPT },
    });
    expect([...entry.diagnostics, ...vm.diagnostics]).toEqual([]);
    const generated = String(entry.state!.token);
    expect(generated.length).toBeGreaterThan(0);
    const secrets = [ADMIN_TOKEN, sim.password, 'secret-ignition-hash', ROOT_PASSWORD, 'secret-cloud-init', generated];

    const holding = {
      ovirt_boot_entry: pathsHolding(entry.state, secrets).sort(),
      ovirt_vm: pathsHolding(vm.state, secrets).sort(),
    };
    // The list itself is checked, so a new secret-bearing attribute shows up here.
    expect(holding).toEqual({
      ovirt_boot_entry: ['ignition', 'ignition_path', 'token'],
      ovirt_vm: ['initialization.custom_script', 'initialization.root_password'],
    });
    const notSensitive = Object.entries(holding).flatMap(([type, paths]) =>
      paths.filter((p) => !isSensitive(harness.ctx.resources.get(type)!.def.schema, p)).map((p) => `${type}.${p}`),
    );
    expect(notSensitive).toEqual([]);
  });
});

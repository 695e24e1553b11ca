/**
 * The provider under hostile configuration and an untrusted engine: invalid configs give
 * plan-time diagnostics on the right attribute (no crash), an engine certificate that cannot be
 * verified is refused unless `insecure` is set, and secrets never reach `TF_LOG=trace` output or
 * the servers' logs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBootServer, type RunningBootServer } from '../../src/boot';
import { SEED_IDS } from '../../src/engine-sim';
import { expectOk } from '../support/terraform';
import { countFault, countOps, simVms, simWorkspace, writeConfig, type SimWorkspace } from './support';

interface Diagnostic {
  severity: string;
  summary: string;
  detail: string;
  snippet?: { context?: string; code: string };
}

/** The diagnostics of a `terraform plan -json` run. */
function diagnosticsOf(stdout: string): Diagnostic[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; diagnostic?: Diagnostic })
    .filter((m) => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
    .map((m) => m.diagnostic!);
}

const CLUSTER = SEED_IDS.cluster;
const vm = (name: string, body: string) =>
  `resource "ovirt_vm" "${name}" {\n  name       = "${name}"\n  cluster_id = "${CLUSTER}"\n${body}\n}\n`;

/** Invalid settings found when terraform validates the config: [resource, attribute, config]. */
const VALIDATE_CASES: Array<[string, string, string]> = [
  ['wrong_type', 'memory', vm('wrong_type', '  memory = "lots"')],
  ['too_small', 'memory', vm('too_small', '  memory = 1')],
  ['bad_enum', 'vm_type', vm('bad_enum', '  vm_type = "gaming"')],
  ['bad_uuid', 'cluster_id', 'resource "ovirt_vm" "bad_uuid" {\n  name = "bad_uuid"\n  cluster_id = "not-a-uuid"\n}\n'],
  ['empty_name', 'name', `resource "ovirt_vm" "empty_name" {\n  name = ""\n  cluster_id = "${CLUSTER}"\n}\n`],
  ['sockets', 'cpu_sockets', vm('sockets', '  cpu_sockets = 0')],
  ['huge', 'huge_pages', vm('huge', '  huge_pages = 4096')],
  ['hugeprop', 'custom_properties', vm('hugeprop', '  custom_properties = { hugepages = "2048" }')],
  [
    'nested',
    'ipv6_prefix',
    vm(
      'nested',
      '  initialization {\n    nic_configuration {\n      name = "eth0"\n      ipv6_prefix = 200\n    }\n  }',
    ),
  ],
  ['timeouts', 'create', vm('timeouts', '  timeouts {\n    create = "soon"\n  }')],
  [
    'disk_format',
    'format',
    `resource "ovirt_disk" "disk_format" {\n  alias = "d"\n  size = 1073741824\n  format = "qcow9"\n  storage_domain_id = "${SEED_IDS.nfsDomain}"\n}\n`,
  ],
  [
    'disk_size',
    'size',
    `resource "ovirt_disk" "disk_size" {\n  alias = "d"\n  size = -5\n  format = "cow"\n  storage_domain_id = "${SEED_IDS.nfsDomain}"\n}\n`,
  ],
];

/** Conflicting settings found while planning: [resource, attribute, config]. */
const PLAN_CASES: Array<[string, string, string]> = [
  ['guaranteed', 'memory_guaranteed', vm('guaranteed', '  memory = 1073741824\n  memory_guaranteed = 2147483648')],
  ['maximum', 'maximum_memory', vm('maximum', '  memory = 2147483648\n  maximum_memory = 1073741824')],
];

function expectOnAttribute(diags: Diagnostic[], cases: Array<[string, string, string]>): void {
  const missing = cases.filter(
    ([res, attribute]) =>
      !diags.some(
        (d) =>
          (d.snippet?.context ?? '').includes(`"${res}"`) &&
          new RegExp(`\\b${attribute}\\b`).test(d.snippet?.code ?? ''),
      ),
  );
  expect({ missing: missing.map(([r, a]) => `${r}.${a}`), diags: diags.length >= cases.length }).toEqual({
    missing: [],
    diags: true,
  });
  expect(diags.map((d) => `${d.summary} ${d.detail}`).join('\n')).not.toMatch(
    /panic|stack trace|TypeError|at .*\.js:\d+/,
  );
}

/** Registers the scenarios. */
export function providerInputScenarios(): void {
  describe('provider: invalid configuration', () => {
    let workspace: SimWorkspace;
    beforeAll(async () => {
      workspace = await simWorkspace();
    });
    afterAll(async () => workspace?.close());

    /** Plans all `cases` in one config: the plan fails with a diagnostic on each case's attribute. */
    const planRefuses = async (cases: Array<[string, string, string]>) => {
      writeConfig(workspace, cases.map(([, , c]) => c).join('\n'));
      const planned = await workspace.tf(['plan', '-json', '-input=false']);
      countFault('invalid configs', cases.length);
      expect(planned.code).toBe(1);
      expectOnAttribute(diagnosticsOf(planned.stdout), cases);
    };

    it('wrong types, out-of-range values and bad formats: diagnostics on the attribute, no crash', async () => {
      await planRefuses(VALIDATE_CASES);
    });

    it('conflicting fields: plan-time diagnostics on the attribute, nothing created', async () => {
      await planRefuses(PLAN_CASES);
      expect(
        workspace.sim.control.list('vms').filter((v) => ['guaranteed', 'maximum'].includes(String(v.data.name))),
      ).toEqual([]);
    });

    it.each([
      ['url', 'url  = "ftp://engine"'],
      ['auth', 'auth = "kerberos"'],
      ['insecure', 'insecure = "maybe"'],
    ])('a bad provider %s: a diagnostic on it', async (attribute, line) => {
      workspace.ws.writeFiles({
        'main.tf': `terraform {\n  required_providers {\n    ovirt = { source = "${workspace.ws.source}" }\n  }\n}\nprovider "ovirt" {\n  ${line}\n}\n${vm('p', '')}`,
      });
      const planned = await workspace.tf(['plan', '-json', '-input=false']);
      countFault('invalid configs');
      expect(planned.code).toBe(1);
      const diags = diagnosticsOf(planned.stdout);
      expect(
        diags.filter(
          (d) =>
            (d.snippet?.context ?? '').includes('provider') &&
            new RegExp(`^\\s*${attribute}\\s*=`).test(d.snippet?.code ?? ''),
        ),
      ).toHaveLength(1);
    });
  });

  describe('provider: engine certificate', () => {
    let workspace: SimWorkspace;
    beforeAll(async () => {
      workspace = await simWorkspace();
      writeConfig(workspace, 'data "ovirt_cluster" "c" {\n  name = "Default"\n}\n');
    });
    afterAll(async () => workspace?.close());

    it('is refused when it cannot be verified, with a diagnostic that says so', async () => {
      // No CA at all, then a CA that did not sign the engine's certificate.
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-ca-'));
      const otherSim = await simWorkspace({ certDir: other });
      const wrongCa = otherSim.sim.caFile;
      try {
        for (const env of [{ OVIRT_CAFILE: '' }, { OVIRT_CAFILE: wrongCa }]) {
          const planned = await workspace.tf(['plan', '-input=false'], env);
          countFault('untrusted engine certificate');
          expect({ code: planned.code, tls: /TLS Verification Failed/.test(planned.stderr) }).toEqual({
            code: 1,
            tls: true,
          });
        }
      } finally {
        await otherSim.close();
        fs.rmSync(other, { recursive: true, force: true });
      }
    });

    it('is accepted with insecure = true (and with the right CA)', async () => {
      expectOk(await workspace.tf(['plan', '-input=false'], { OVIRT_CAFILE: '', OVIRT_INSECURE: 'true' }));
      expectOk(await workspace.tf(['plan', '-input=false']));
    });
  });

  describe('provider: secrets in TF_LOG=trace output and server logs', () => {
    let workspace: SimWorkspace;
    let boot: RunningBootServer;
    let bootDir: string;
    const simLog: string[] = [];
    const bootLog: string[] = [];
    const BOOT_TOKEN = 'chaos-boot-token-trace-44f1';
    const SCRIPT = 'chaos-custom-script-secret-a81e';
    const ROOT_PW = 'chaos-root-password-secret-2d9b';
    const IGNITION = 'chaos-boot-ignition-secret-c3f0';

    beforeAll(async () => {
      workspace = await simWorkspace({ log: (l) => simLog.push(l) });
      bootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-trace-'));
      boot = await startBootServer({ port: 0, dataDir: bootDir, token: BOOT_TOKEN, log: (l) => bootLog.push(l) });
    });
    afterAll(async () => {
      await boot?.stop();
      await workspace?.close();
      if (bootDir) fs.rmSync(bootDir, { recursive: true, force: true });
    });

    it('passwords, tokens, custom scripts and Ignition never appear', async () => {
      const ignition = JSON.stringify({
        ignition: { version: '3.2.0' },
        storage: { files: [{ path: '/etc/s', contents: { source: `data:,${IGNITION}` } }] },
      });
      workspace.ws.writeFiles({
        'main.tf':
          `terraform {\n  required_providers {\n    ovirt = { source = "${workspace.ws.source}" }\n  }\n}\n` +
          `provider "ovirt" {\n  boot_server {\n    url   = "${boot.url}"\n    token = "${BOOT_TOKEN}"\n  }\n}\n` +
          vm('traced', `  initialization {\n    custom_script = "${SCRIPT}"\n    root_password = "${ROOT_PW}"\n  }`) +
          `resource "ovirt_boot_entry" "e" {\n  name = "traced"\n  macs = ["52:54:00:aa:bb:cc"]\n  ipxe_script = "#!ipxe\\nexit"\n  ignition = ${JSON.stringify(ignition)}\n  require_token = true\n}\n`,
      });
      const trace = { TF_LOG: 'trace' };
      const runs = [
        await workspace.tf(['apply', '-auto-approve'], trace),
        await workspace.tf(['plan', '-refresh=true'], trace),
        await workspace.tf(['destroy', '-auto-approve'], trace),
      ];
      for (const r of runs) expectOk(r);
      countOps('traced terraform runs', runs.length);
      expect(simVms(workspace.sim, 'traced')).toEqual([]);
      const output = runs.map((r) => r.stdout + r.stderr).join('\n');
      expect(output.length).toBeGreaterThan(100_000); // trace really was on
      const logs = [...simLog, ...bootLog].join('\n');
      const secrets = {
        password: workspace.sim.password,
        bootToken: BOOT_TOKEN,
        script: SCRIPT,
        rootPassword: ROOT_PW,
        ignition: IGNITION,
      };
      const leaked = Object.entries(secrets)
        .filter(([, s]) => output.includes(s) || logs.includes(s))
        .map(([k]) => k);
      expect(leaked).toEqual([]);
    });
  });
}

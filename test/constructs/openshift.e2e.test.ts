/**
 * End to end: synthesize examples/openshift-ipi, `terraform apply` it against the engine simulator
 * and a boot server, boot every node as it would (iPXE from the chain URL, then its Ignition; or the
 * bootstrap's pointer config in template mode), check each config with the real ignition-validate,
 * then `terraform destroy`: nothing may be left in the simulator or on the boot server.
 */
import { execFileSync } from 'node:child_process';
import { Testing } from 'cdktf';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { exampleApp } from '../../examples/shared';
import { pxeStack, templateStack } from '../../examples/openshift-ipi/main';
import {
  BOOT_TOKEN,
  fetchText,
  ignitionValidate,
  inventory,
  ipxeBoot,
  kernelArg,
  Rig,
  startRig,
  tf,
} from './e2e-support';

const SAMPLE = join(__dirname, '..', '..', 'examples', 'openshift-ipi', 'sample-install-dir');
const hasValidator = (() => {
  try {
    execFileSync('ignition-validate', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasValidator) console.warn('SKIPPED openshift.e2e: ignition-validate is not installed (apt-get install ignition)');
const describeE2e = hasValidator ? describe : describe.skip;
Testing.setupJest();

interface NodeOut {
  name: string;
  id: string;
  mac: string;
  ipv4: string[];
}
interface Outputs {
  'ocp-nodes': { value: { bootstrap?: NodeOut; masters: NodeOut[]; workers: NodeOut[] } };
  'ocp-boot-urls': { value: { chain: string; nodes: Record<string, { ipxe?: string; ignition: string }> } };
}

const SETTINGS: Record<string, string> = {
  OCP_CLUSTER_NAME: 'ocp',
  OCP_MASTERS: '3',
  OCP_WORKERS: '2',
  OVIRT_CLUSTER: 'Default',
  OVIRT_STORAGE_DOMAIN: 'data-nfs',
  OVIRT_NETWORK: 'ovirtmgmt',
  RHCOS_TEMPLATE: 'rhcos-template',
};

/** Synthesizes stacks of the example into the workspace (one app); returns the first stack's folder. */
function synth(rig: Rig, ...which: Array<'pxe' | 'template'>): string {
  const install = join(rig.ws.root, 'install');
  cpSync(SAMPLE, install, { recursive: true });
  const settings = { ...SETTINGS, OCP_INSTALL_DIR: install };
  const saved = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  try {
    const app = exampleApp(join(rig.ws.root, 'cdktf.out'));
    for (const w of which) (w === 'pxe' ? pxeStack : templateStack)(app);
    app.synth();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return join(rig.ws.root, 'cdktf.out', 'stacks', `openshift-${which[0]}`);
}

async function outputs(rig: Rig, dir: string): Promise<Outputs> {
  return JSON.parse((await tf(rig, dir, 'output', '-json')).stdout) as Outputs;
}

function allNodes(nodeOutputs: Outputs): Array<NodeOut & { role: string }> {
  const nodes = nodeOutputs['ocp-nodes'].value;
  return [
    ...(nodes.bootstrap ? [{ ...nodes.bootstrap, role: 'bootstrap' }] : []),
    ...nodes.masters.map((n) => ({ ...n, role: 'master' })),
    ...nodes.workers.map((n) => ({ ...n, role: 'worker' })),
  ];
}

async function applyBootDestroy(
  rig: Rig,
  which: 'pxe' | 'template',
  check: (o: Outputs, dir: string) => Promise<void>,
) {
  const before = inventory(rig.sim);
  const dir = synth(rig, which);
  await tf(rig, dir, 'init', '-input=false');
  await tf(rig, dir, 'apply', '-auto-approve', '-input=false');
  const nodeOutputs = await outputs(rig, dir);
  expect(allNodes(nodeOutputs).map((n) => n.name)).toEqual([
    'ocp-bootstrap',
    'ocp-master-0',
    'ocp-master-1',
    'ocp-master-2',
    'ocp-worker-0',
    'ocp-worker-1',
  ]);
  // Each node's MAC is the one the engine assigned to its VM's NIC, exactly.
  const macOf = (name: string) => {
    const vm = rig.sim.control.list('vms').find((v) => v.data['name'] === name);
    const nic = rig.sim.control.list('nics').find((x) => x.parent === vm?.id);
    return (nic?.data['mac'] as { address: string } | undefined)?.address;
  };
  for (const n of allNodes(nodeOutputs)) {
    expect(n.mac).toBe(macOf(n.name));
    expect(n.ipv4.length).toBeGreaterThan(0); // as the simulated guest agent reports them
  }
  await check(nodeOutputs, dir);
  await tf(rig, dir, 'destroy', '-auto-approve', '-input=false');
  expect(inventory(rig.sim)).toEqual(before);
  expect(await new BootAdminClient({ url: rig.boot.url, token: BOOT_TOKEN }).list()).toEqual([]);
}

describeE2e('examples/openshift-ipi end to end (simulator, boot server, real terraform)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('both stacks are valid Terraform for the real provider (cdktf toBeValidTerraform)', () => {
    synth(rig, 'pxe', 'template');
    const outdir = join(rig.ws.root, 'cdktf.out');
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: object };
    expect(Object.keys(manifest.stacks).sort()).toEqual(['openshift-pxe', 'openshift-template']);
    const saved = { rc: process.env.TF_CLI_CONFIG_FILE, home: process.env.HOME };
    // The matcher runs terraform init/validate with this process's environment: point it at the mirror.
    Object.assign(process.env, { TF_CLI_CONFIG_FILE: rig.ws.cliConfig, HOME: rig.ws.env.HOME });
    try {
      expect(outdir).toBeValidTerraform();
    } finally {
      for (const [k, v] of [
        ['TF_CLI_CONFIG_FILE', saved.rc],
        ['HOME', saved.home],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('PXE mode: every node chains from boot.ipxe to its script and fetches a valid Ignition', async () => {
    const bootstrapIgn = JSON.parse(readFileSync(join(SAMPLE, 'bootstrap.ign'), 'utf8'));
    await applyBootDestroy(rig, 'pxe', async (nodeOutputs) => {
      expect(nodeOutputs['ocp-boot-urls'].value.chain).toBe(`${rig.boot.url}/boot.ipxe`);
      for (const node of allNodes(nodeOutputs)) {
        const script = await ipxeBoot(rig.boot.url, node.mac, node.id);
        expect(script).toMatch(/^#!ipxe/);
        expect(kernelArg(script, 'coreos.live.rootfs_url', node.mac, node.id)).toBe(
          'https://images.example/rhcos/4.14/rhcos-live-rootfs.x86_64.img',
        );
        const url = kernelArg(script, 'coreos.inst.ignition_url', node.mac, node.id)!;
        expect(url.startsWith(rig.boot.url)).toBe(true);
        const ign = await fetchText(url, 'ignition');
        ignitionValidate(rig.ws.root, node.name, ign);
        const parsed = JSON.parse(ign);
        if (node.role === 'bootstrap') expect(parsed).toEqual(bootstrapIgn);
        else expect(parsed.ignition.config.merge[0].source).toBe(`https://10.35.1.10:22623/config/${node.role}`);
      }
    });
  });

  it('template mode: the bootstrap pointer leads to its full config on the boot server; all configs valid', async () => {
    const bootstrapIgn = readFileSync(join(SAMPLE, 'bootstrap.ign'), 'utf8');
    await applyBootDestroy(rig, 'template', async (_o, dir) => {
      const state = JSON.parse((await tf(rig, dir, 'show', '-json')).stdout) as {
        values: { root_module: { resources: Array<{ type: string; values: Record<string, unknown> }> } };
      };
      const vms = state.values.root_module.resources.filter((r) => r.type === 'ovirt_vm');
      expect(vms).toHaveLength(6);
      for (const vm of vms) {
        const name = vm.values['name'] as string;
        const script = (vm.values['initialization'] as { custom_script: string }).custom_script;
        ignitionValidate(rig.ws.root, `${name}-custom-script`, script);
        if (name !== 'ocp-bootstrap') continue;
        // As Ignition on the bootstrap VM: follow the pointer's merge source, trusting nothing else.
        const source = JSON.parse(script).ignition.config.merge[0].source as string;
        expect(source).toMatch(new RegExp(`^${rig.boot.url}/ignition/`));
        const full = await fetchText(source, 'ignition');
        ignitionValidate(rig.ws.root, 'bootstrap-full', full);
        expect(JSON.parse(full)).toEqual(JSON.parse(bootstrapIgn));
      }
    });
  });
});

/**
 * The linux_arm64 release, which no machine here runs natively: built from the registry's
 * `@oven/bun-linux-aarch64` package, installed with the platform check, then run under qemu's user-mode
 * emulation (Debian's `qemu-user` with the `libc6-arm64-cross` and `libstdc++6-arm64-cross`
 * libraries) as the provider of a real terraform through TF_REATTACH_PROVIDERS, which applies and
 * destroys a VM on the simulator. Slow: the cross-compiled build, and the executable running emulated.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRelease } from '../../src/cli/release';
import { installOvirtProvider, OVIRT_PROVIDER } from '../../src/cli/install-provider';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { installRelease } from '../../src/tfplugin/install';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/tfplugin/grpc/serve';
import { assertDistCurrent } from '../support/dist';
import { REPO_ROOT } from '../support/terraform';

const SYSROOT = '/usr/aarch64-linux-gnu';
const QEMU = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim();
const present =
  QEMU !== '' &&
  ['ld-linux-aarch64.so.1', 'libstdc++.so.6'].every((lib) => fs.existsSync(path.join(SYSROOT, 'lib', lib)));
if (!present)
  console.warn(
    'SKIPPED: the linux_arm64 release runs under qemu-aarch64 with an arm64 libc in /usr/aarch64-linux-gnu (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross)',
  );
const suite = present ? describe : describe.skip;
const MINUTES = 60_000;
const SOURCE = `${OVIRT_PROVIDER.hostname}/${OVIRT_PROVIDER.namespace}/${OVIRT_PROVIDER.type}`;

/** Resolves with the first stdout line of `child` (rejects if it exits first). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`provider exited ${code} before its handshake: ${err}`)));
  });
}

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * MINUTES);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

suite('the linux_arm64 release under qemu-aarch64', () => {
  let tmp: string;
  let sim: EngineSim | undefined;
  let provider: ChildProcess | undefined;
  beforeAll(() => {
    assertDistCurrent(REPO_ROOT);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-arm64-'));
  });
  afterAll(async () => {
    provider?.kill('SIGKILL');
    await sim?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'installs only for linux_arm64, and the executable serves terraform an apply and a destroy',
    async () => {
      const release = path.join(tmp, 'release');
      await buildRelease({ outDir: release, platforms: ['linux_arm64'], bytecode: true });
      // This machine is linux_amd64: the default install refuses the release, changing nothing.
      expect(() => installOvirtProvider(path.join(tmp, 'host'), { release })).toThrow(
        /this release has no linux_amd64 package$/,
      );
      expect(fs.existsSync(path.join(tmp, 'host'))).toBe(false);
      const installed = installRelease({
        ...OVIRT_PROVIDER,
        version: '0.1.0',
        releaseDir: release,
        mirrorDir: path.join(tmp, 'mirror'),
        platform: 'linux_arm64',
        layout: 'unpacked',
      }).installed;

      sim = await startEngineSim({ delays: 'none' });
      provider = spawn(QEMU, ['-L', SYSROOT, installed], {
        env: {
          PATH: '/usr/bin:/bin',
          [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
          PLUGIN_PROTOCOL_VERSIONS: '6',
          PLUGIN_UNIX_SOCKET_DIR: tmp,
          OVIRT_URL: sim.url,
          OVIRT_USERNAME: sim.username,
          OVIRT_PASSWORD: sim.password,
          OVIRT_CAFILE: sim.caFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const handshake = (await firstLine(provider)).split('|');
      expect(handshake.slice(0, 3)).toEqual(['1', '6', 'unix']);
      const reattach = {
        [SOURCE]: {
          Protocol: 'grpc',
          ProtocolVersion: 6,
          Pid: provider.pid,
          Test: true,
          Addr: { Network: 'unix', String: handshake[3] },
        },
      };

      const dir = path.join(tmp, 'stack');
      fs.mkdirSync(dir);
      fs.writeFileSync(
        path.join(dir, 'main.tf'),
        `terraform {\n  required_providers {\n    ovirt = { source = "${SOURCE}" }\n  }\n}\n` +
          `provider "ovirt" {}\ndata "ovirt_cluster" "c" { name = "Default" }\n` +
          `resource "ovirt_vm" "web" {\n  name = "arm-1"\n  cluster_id = data.ovirt_cluster.c.id\n  memory = 1073741824\n}\n`,
      );
      const env = {
        PATH: process.env.PATH,
        HOME: tmp,
        TF_CLI_CONFIG_FILE: path.join(tmp, 'none.tfrc'),
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        TF_REATTACH_PROVIDERS: JSON.stringify(reattach),
      };
      const vms = () => sim!.control.list('vms').filter((vm) => vm.data['name'] === 'arm-1');
      const applied = await terraform(['apply', '-auto-approve', '-no-color'], dir, env);
      expect({ code: applied.code, out: applied.code === 0 ? '' : applied.out }).toEqual({ code: 0, out: '' });
      expect(vms()).toHaveLength(1);
      const destroyed = await terraform(['destroy', '-auto-approve', '-no-color'], dir, env);
      expect({ code: destroyed.code, out: destroyed.code === 0 ? '' : destroyed.out }).toEqual({ code: 0, out: '' });
      expect(vms()).toEqual([]);
    },
    20 * MINUTES,
  );
});

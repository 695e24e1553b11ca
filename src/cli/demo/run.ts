/**
 * The demo's steps, in order: prerequisites, engine simulator, boot server, provider mirror, synth,
 * terraform init and apply, summary, boot-chain proof, then wait for Ctrl-C or destroy. Every step
 * says what it does; every server started is stopped on the way out, whatever happened.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BootAdminClient, startBootServer, type RunningBootServer } from '../../boot';
import { startEngineSim, type EngineSim } from '../../engine-sim';
import { PROVIDER_VERSION } from '../../provider/version';
import { installOvirtProvider, OVIRT_PROVIDER as PROVIDER } from '../install-provider';
import { proveBootChain, provePointerChain, type ChainStep } from './boot-chain';
import { DemoError } from './errors';
import type { DemoOptions } from './options';
import { privateDir } from './private-dir';
import {
  checkApp,
  checkBuilt,
  checkDistinctPorts,
  checkOpenssl,
  checkPortFree,
  checkTerraform,
  portError,
} from './preflight';
import { collectRows, formatTable, managedVmIds, maskToken, type NodeRow, type ShownState } from './summary';
import { pgStateBackend } from './state-backend';
import { synthesize, type SynthResult } from './synth';
import { INIT_LINE, PROGRESS_LINE, terraformEnv, terraformRunner, type TerraformRunner } from './terraform';

/** go-plugin's own INFO lines about plugin processes (shown with TF_LOG_PROVIDER=info): noise here. */
const GO_PLUGIN_LINE = /\[INFO\] {2}provider: /;

/**
 * A 64 MiB qcow2 standing in for the RHCOS OpenStack image (a few MiB of data, made with qemu-img
 * from Debian's qemu-utils), so the upload and its progress can be seen in seconds.
 */
function demoImage(workDir: string): string {
  const file = path.join(workDir, 'rhcos-demo.qcow2');
  if (fs.existsSync(file)) return file;
  const raw = `${file}.raw`;
  fs.writeFileSync(raw, Buffer.alloc(0));
  fs.truncateSync(raw, 64 * 1024 * 1024);
  const fd = fs.openSync(raw, 'r+');
  for (let i = 0; i < 8; i++) fs.writeSync(fd, randomBytes(512 * 1024), 0, 512 * 1024, i * 8 * 1024 * 1024);
  fs.closeSync(fd);
  try {
    execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, file]);
  } catch (err) {
    throw new DemoError(
      'qemu_img_missing',
      'template mode needs qemu-img (Debian package qemu-utils) to make its RHCOS stand-in image',
      { cause: err },
    );
  } finally {
    fs.rmSync(raw, { force: true });
  }
  return file;
}

/** Where the RHCOS live images of the PXE stack are published (named in iPXE scripts, never fetched by the demo). */
const RHCOS_IMAGES = 'https://mirror.openshift.com/pub/openshift-v4/x86_64/dependencies/rhcos/4.14/latest';

const HOST = '127.0.0.1';

/** What --destroy checks is gone from the engine: resource type, simulator kind, plural name. */
const DESTROY_CHECKED = [
  ['ovirt_vm', 'vms', 'VM(s)'],
  ['ovirt_disk', 'disks', 'disk(s)'],
  ['ovirt_nic', 'nics', 'NIC(s)'],
  ['ovirt_affinity_group', 'affinitygroups', 'affinity group(s)'],
  ['ovirt_tag', 'tags', 'tag(s)'],
] as const;

/** One run of the demo. `print` gets human-readable lines. */
export class Demo {
  private sim?: EngineSim;
  private boot?: RunningBootServer;
  private tf?: TerraformRunner;
  private stack?: SynthResult;
  private tfEnv: NodeJS.ProcessEnv = {};
  private stopping = false;
  private wake?: () => void;
  private stepNo = 0;
  private readonly token = randomBytes(24).toString('base64url');
  /** Opens the boot server's read-only live view (/ui) and nothing else. */
  private readonly viewerToken = randomBytes(24).toString('base64url');

  constructor(
    private readonly options: DemoOptions,
    private readonly repoRoot: string,
    private readonly print: (line: string) => void,
  ) {}

  /** Runs every step; resolves to the exit code. Servers are stopped before it resolves. */
  async run(): Promise<number> {
    try {
      await this.preflight();
      await this.startServers();
      this.installProvider();
      await this.synth();
      await this.apply();
      const rows = await this.summary();
      await this.proveChain(rows);
      if (this.options.destroy) {
        await this.destroy();
        return 0;
      }
      await this.waitForStop();
      return 130; // stopped by Ctrl-C (or SIGTERM), as shells report a SIGINT
    } catch (err) {
      // Ctrl-C also reaches child processes (synth, a fetch): whatever failed after it, report the interruption.
      if (this.stopping && !(DemoError.is(err) && err.code === 'interrupted'))
        throw new DemoError('interrupted', 'stopped by Ctrl-C', { cause: err });
      throw err;
    } finally {
      await this.stopServers();
    }
  }

  /** Ctrl-C: stop what runs (terraform gets one SIGINT and stops gracefully), then shut down. */
  interrupt(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.print('');
    this.print(this.tf?.interrupt() ? 'Interrupted: asking terraform to stop gracefully…' : 'Interrupted: stopping…');
    this.wake?.();
  }

  private step(text: string): void {
    if (this.stopping) throw new DemoError('interrupted', 'stopped by Ctrl-C');
    const total = this.options.destroy ? 10 : 9;
    this.print('');
    this.print(`[${++this.stepNo}/${total}] ${text}`);
  }

  private detail(text: string): void {
    this.print(`      ${text}`);
  }

  private rel(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith('..') ? relative : file;
  }

  /** The provider's release folder that `npm run build` writes. */
  private release(): string {
    return path.join(this.repoRoot, 'dist', 'release');
  }

  private async preflight(): Promise<void> {
    this.step('Checking prerequisites');
    checkApp(this.options.appDir);
    checkDistinctPorts(this.options.enginePort, this.options.bootPort);
    const version = await checkTerraform(terraformEnv({}));
    this.detail(`terraform ${version} found on the PATH`);
    await checkOpenssl();
    await checkPortFree(this.options.enginePort, HOST, 'engine simulator', '--engine-port');
    await checkPortFree(this.options.bootPort, this.options.bootHost, 'boot server', '--boot-port');
    this.detail(
      `ports ${this.options.enginePort || 'any'} (engine) and ${this.options.bootPort || 'any'} (boot server) are free`,
    );
    checkBuilt(this.release());
    this.detail(`provider release: ${this.rel(this.release())}`);
    privateDir(this.options.workDir);
    this.detail(`working folder: ${this.rel(this.options.workDir)} (owner-only)`);
  }

  private async startServers(): Promise<void> {
    this.step(`Starting the oVirt engine simulator (status delays: ${this.options.delays})`);
    this.sim = await startEngineSim({
      port: this.options.enginePort,
      host: HOST,
      delays: this.options.delays,
      certDir: path.join(this.options.workDir, 'engine-certs'),
    }).catch((e: unknown) => {
      throw listenError(e, this.options.enginePort, 'engine simulator', '--engine-port');
    });
    this.detail(
      `engine API: ${this.sim.url}  (user ${this.sim.username}; TLS with the CA in ${this.rel(this.sim.caFile)})`,
    );
    this.step('Starting the boot server (iPXE and Ignition per machine)');
    const dataDir = path.join(this.options.workDir, 'boot-data');
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Assets live outside boot-data (which every run starts afresh): images put there once stay.
    const assetsDir = path.join(this.options.workDir, 'assets');
    fs.mkdirSync(assetsDir, { recursive: true });
    this.boot = await startBootServer({
      port: this.options.bootPort,
      host: this.options.bootHost,
      dataDir,
      assetsDir,
      publicUrl: this.options.publicUrl,
      token: this.token,
      viewerToken: this.viewerToken,
      log: (l) => this.detail(`boot-server: ${l}`),
    }).catch((e: unknown) => {
      throw listenError(e, this.options.bootPort, 'boot server', '--boot-port', this.options.bootHost);
    });
    if (this.options.publicUrl && !this.options.imagesUrl)
      this.detail(`RHCOS images: ${this.rel(path.join(assetsDir, 'rhcos'))}/, served at ${this.imagesUrl()}/`);
    this.detail(
      `chain URL for DHCP: ${this.boot.url}/boot.ipxe (admin token: a fresh random one, in ${this.rel(path.join(this.options.workDir, 'demo.env'))})`,
    );
    this.detail(this.liveView());
  }

  /** Where the live view is and how to open it (the token stays in demo.env: secrets are never printed). */
  private liveView(): string {
    return `live view: ${this.boot!.url}/ui (sign in with OVIRT_BOOT_VIEWER_TOKEN from ${this.rel(path.join(this.options.workDir, 'demo.env'))})`;
  }

  private installProvider(): void {
    this.step(
      `Installing the provider ${PROVIDER.hostname}/${PROVIDER.namespace}/${PROVIDER.type} ${PROVIDER_VERSION} into a local mirror`,
    );
    const installed = installOvirtProvider(this.options.workDir, { release: this.release() });
    this.detail(`provider (single executable, zipped): ${this.rel(installed.installed)}`);
    this.detail(`terraform CLI config: ${this.rel(installed.cliConfigPath)} (this provider from the mirror)`);
    const sim = this.sim!;
    const secrets = {
      OVIRT_URL: sim.url,
      OVIRT_USERNAME: sim.username,
      OVIRT_PASSWORD: sim.password,
      OVIRT_CAFILE: sim.caFile,
      OVIRT_BOOT_URL: this.boot!.url,
      OVIRT_BOOT_TOKEN: this.token,
      OVIRT_BOOT_VIEWER_TOKEN: this.viewerToken,
      TF_VAR_boot_server_url: this.boot!.url,
      TF_VAR_boot_server_token: this.token,
      TF_VAR_ovirt_url: sim.url,
      TF_VAR_ovirt_username: sim.username,
      TF_VAR_ovirt_password: sim.password,
      ...(this.options.stateBackend ? pgStateBackend(this.options.stateBackend).credentials : {}),
    };
    // The provider's INFO lines (image upload progress) are part of what the demo shows.
    const logs: Record<string, string> =
      process.env.TF_LOG || process.env.TF_LOG_PROVIDER ? {} : { TF_LOG_PROVIDER: 'info' };
    this.tfEnv = terraformEnv({ TF_CLI_CONFIG_FILE: installed.cliConfigPath, ...logs, ...secrets });
    // The same settings for a second shell, in a private file (secrets are never printed).
    const envFile = path.join(this.options.workDir, 'demo.env');
    const lines = Object.entries({ TF_CLI_CONFIG_FILE: installed.cliConfigPath, ...secrets }).map(
      ([k, v]) => `export ${k}=${shq(v)}`,
    );
    fs.writeFileSync(
      envFile,
      `# Written by \`ovirt-cdktf demo\`: source it to run terraform against the running demo.\n${lines.join('\n')}\n`,
      { mode: 0o600 },
    );
    fs.chmodSync(envFile, 0o600);
  }

  /** Where machines fetch the RHCOS images: a mirror, the boot server's /assets, or (simulated runs) the public mirror. */
  private imagesUrl(): string {
    return this.options.imagesUrl ?? (this.options.publicUrl ? `${this.options.publicUrl}/assets/rhcos` : RHCOS_IMAGES);
  }

  private async synth(): Promise<void> {
    const openshift = path.basename(this.options.appDir) === 'openshift-ipi';
    this.step(`Synthesizing ${this.rel(this.options.appDir)}${openshift ? ` (${this.options.mode} mode)` : ''}`);
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      OCP_STACKS: this.options.mode,
      OVIRT_CLUSTER: 'Default',
      OVIRT_STORAGE_DOMAIN: 'data-nfs',
      OVIRT_NETWORK: 'ovirtmgmt',
      RHCOS_TEMPLATE: 'rhcos-template',
      RHCOS_PXE_BASE_URL: this.imagesUrl(),
    };
    if (this.options.stateBackend) {
      const { connStr } = pgStateBackend(this.options.stateBackend);
      Object.assign(appEnv, { OVIRT_CDKTF_BACKEND: 'pg', OVIRT_CDKTF_PG_URL: connStr });
      this.detail(`Terraform state: PostgreSQL ${connStr} (pg backend, locked while terraform runs)`);
    }
    // Template mode makes its RHCOS template the installer's way, from a (small, real) qcow2 upload.
    if (openshift && this.options.mode === 'template') appEnv.RHCOS_IMAGE = demoImage(this.options.workDir);
    this.stack = await synthesize(
      this.options.appDir,
      path.join(this.options.workDir, 'cdktf.out'),
      appEnv,
      this.repoRoot,
    );
    this.detail(
      `stack "${this.stack.stack}": ${this.rel(path.join(this.stack.dir, 'cdk.tf.json'))} (${(this.stack.ms / 1000).toFixed(1)} s)`,
    );
    this.tf = terraformRunner(this.stack.dir, this.tfEnv, (l) => {
      if (!GO_PLUGIN_LINE.test(l)) this.print(`    │ ${l}`);
    });
  }

  private async apply(): Promise<void> {
    this.step('terraform init (the provider comes from the local mirror)');
    await this.terraform(['init', '-no-color'], INIT_LINE);
    this.step(`terraform apply against the simulator (-parallelism=${this.options.parallelism})`);
    const t0 = Date.now();
    await this.terraform(
      ['apply', '-auto-approve', '-no-color', `-parallelism=${this.options.parallelism}`],
      PROGRESS_LINE,
    );
    this.detail(`apply took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // A second plan must be empty: the provider reads back exactly what it created.
    const plan = await this.tf!.run(['plan', '-no-color', '-input=false'], { quiet: true });
    const changes = /^Plan: .*$/m.exec(plan)?.[0];
    if (changes)
      this.detail(
        `WARNING: a second terraform plan is not empty (${changes}); the provider's read-back differs from what it created`,
      );
    else this.detail('terraform plan right after: no changes (what the provider reads back matches the configuration)');
  }

  private async terraform(args: string[], show: RegExp): Promise<string> {
    try {
      return await this.tf!.run(args, { show: (l) => show.test(l) });
    } catch (err) {
      if (this.stopping)
        throw new DemoError('interrupted', `stopped by Ctrl-C during terraform ${args[0]}`, { cause: err });
      throw err;
    }
  }

  private async summary(): Promise<NodeRow[]> {
    this.step('Summary: what the engine and the boot server now hold');
    const state = JSON.parse(await this.tf!.run(['show', '-json', '-no-color'], { quiet: true })) as ShownState;
    const entries = await new BootAdminClient({ url: this.boot!.url, token: this.token }).list();
    const rows = collectRows(managedVmIds(state), this.sim!.control, entries, this.boot!.url);
    for (const line of formatTable(rows).split('\n')) this.print(`  ${line}`);
    const counts = new Map<string, number>();
    for (const r of state.values?.root_module?.resources ?? []) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    this.detail(`in Terraform state: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}`);
    this.detail(
      `${entries.length} boot entr${entries.length === 1 ? 'y' : 'ies'} on the boot server; token URLs are masked (\`terraform output -json\` shows them)`,
    );
    return rows;
  }

  private async proveChain(rows: NodeRow[]): Promise<void> {
    const pxe = rows.find((r) => r.role === 'master' && r.ipxeUrl !== '-') ?? rows.find((r) => r.ipxeUrl !== '-');
    const node = pxe ?? rows.find((r) => r.ignitionUrl !== '-');
    if (!node) {
      // An app without boot entries (e.g. --app examples/single-vm): nothing to walk.
      this.step('Boot chain: no node of this stack has a boot entry, nothing to prove');
      return;
    }
    let steps: ChainStep[];
    if (pxe) {
      this.step(`Proving ${node.vm}'s boot chain as its firmware would walk it (MAC ${node.mac})`);
      steps = await proveBootChain(
        this.boot!.url,
        { mac: node.mac, uuid: node.vmId },
        node.ignitionUrl === '-' ? undefined : node.ignitionUrl,
      );
    } else {
      this.step(
        `Proving ${node.vm}'s boot chain: the Ignition the engine hands the VM, then what it merges from the boot server`,
      );
      const script = this.sim!.control.get('vms', node.vmId)?.data['initialization'] as
        { custom_script?: string } | undefined;
      if (!script?.custom_script)
        throw new DemoError('boot_chain_failed', `${node.vm} has no Ignition in its custom script`);
      steps = await provePointerChain(
        this.boot!.url,
        script.custom_script,
        `engine: ${node.vm} initialization.custom_script`,
      );
    }
    for (const s of steps) {
      const answer = s.status ? `GET ${maskToken(s.url)} → ${s.status}` : s.url;
      this.detail(`${answer}, ${s.bytes} bytes, ${s.contentType || 'no type'}: ${s.note}`);
    }
  }

  private async destroy(): Promise<void> {
    this.step('terraform destroy (--destroy)');
    const before = JSON.parse(await this.tf!.run(['show', '-json', '-no-color'], { quiet: true })) as ShownState;
    const managed = DESTROY_CHECKED.map(([type, kind, what]) => ({ kind, what, ids: managedVmIds(before, type) }));
    await this.terraform(
      ['destroy', '-auto-approve', '-no-color', `-parallelism=${this.options.parallelism}`],
      PROGRESS_LINE,
    );
    const left = managed.map((checked) => {
      const present = new Set(this.sim!.control.list(checked.kind).map((e) => e.id));
      return { ...checked, left: checked.ids.filter((id) => present.has(id)).length };
    });
    const entriesLeft = (await new BootAdminClient({ url: this.boot!.url, token: this.token }).list()).length;
    const remaining = [
      ...left.filter((m) => m.left).map((m) => `${m.left} ${m.what}`),
      ...(entriesLeft ? [`${entriesLeft} boot entr(ies) on the boot server`] : []),
    ];
    if (remaining.length) throw new DemoError('terraform_failed', `destroy left ${remaining.join(', ')}`);
    const [vms, ...others] = left;
    this.detail(
      `nothing left: none of the ${vms!.ids.length} VMs remain in the engine, and the boot server has no entries` +
        ` (also gone: ${others.map((m) => `${m.ids.length} ${m.what}`).join(', ')})`,
    );
  }

  private async waitForStop(): Promise<void> {
    this.print('');
    this.print(`Everything is running. Engine ${this.sim!.url}, boot server ${this.boot!.url}.`);
    this.print(`Watch the installs: ${this.liveView()}`);
    this.print(
      `To run terraform yourself in a second shell: source ${this.rel(path.join(this.options.workDir, 'demo.env'))} && cd ${this.rel(this.stack!.dir)} && terraform plan`,
    );
    this.print('Press Ctrl-C to stop (the simulator keeps its objects in memory only: the next run starts afresh).');
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      if (this.stopping) resolve();
    });
  }

  private async stopServers(): Promise<void> {
    const stops = [this.boot?.stop(), this.sim?.stop()].filter(Boolean);
    this.boot = undefined;
    this.sim = undefined;
    if (stops.length) {
      await Promise.allSettled(stops);
      this.print('Stopped the boot server and the engine simulator.');
    }
  }
}

function shq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A listen failure as a clear message (another program may have taken the port since the preflight). */
function listenError(error: unknown, port: number, what: string, flag: string, host = HOST): unknown {
  const err = error as NodeJS.ErrnoException;
  return err?.code === 'EADDRINUSE' ? portError(port, host, what, flag, err) : error;
}

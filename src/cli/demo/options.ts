/** Command-line options of `ovirt-cdktf demo`. */
import * as path from 'node:path';
import type { DelayProfile } from '../../engine-sim';

/** What the demo was asked to do. */
export interface DemoOptions {
  /** Destroy everything after the summary and the boot-chain proof, then exit. */
  destroy: boolean;
  /** Simulator status-change delays. */
  delays: DelayProfile;
  /** Port of the engine simulator (0 = any free port). */
  enginePort: number;
  /** Port of the boot server (0 = any free port). */
  bootPort: number;
  /** Address the boot server listens at (a real machine needs the provisioning network's). */
  bootHost: string;
  /** URL machines reach the boot server at (for `{{ignition_url}}` and the images); default its listening URL. */
  publicUrl?: string;
  /** Where the RHCOS kernel, initramfs and rootfs are, over plain HTTP (stock iPXE has no HTTPS). */
  imagesUrl?: string;
  /** Working folder: provider mirror, synthesized stack, Terraform state, boot server data. */
  workDir: string;
  /** The cdktf app to synthesize (a folder with main.ts). */
  appDir: string;
  /** Which stack of the OpenShift example: PXE-booted nodes, or nodes cloned from an RHCOS template. */
  mode: 'pxe' | 'template';
  /** Terraform's -parallelism. */
  parallelism: number;
  /** A `postgres://` URL: Terraform's state in PostgreSQL (the pg backend, with locking) instead of a local file. */
  stateBackend?: string;
  help: boolean;
}

/** Default ports: unusual enough to be free on most machines, fixed so URLs can be shared. */
export const DEFAULT_ENGINE_PORT = 18443;
export const DEFAULT_BOOT_PORT = 18080;

export const DEMO_HELP = `Usage: ovirt-cdktf demo [options]     (also: npm start)

Starts the oVirt engine simulator and the boot server, installs the provider into a local
mirror, synthesizes examples/openshift-ipi, runs terraform init and apply, prints a summary,
proves one node's boot chain, then keeps everything running until Ctrl-C.

Options:
  --destroy            destroy everything after the summary and exit (instead of waiting for Ctrl-C)
  --delays PROFILE     simulator status delays: none | fast | realistic (default realistic)
  --engine-port N      engine simulator port (default ${DEFAULT_ENGINE_PORT}; 0 = any free port)
  --boot-port N        boot server port (default ${DEFAULT_BOOT_PORT}; 0 = any free port)
  --host H             boot server listen address (default 127.0.0.1; a real machine needs the
                       provisioning network's address, or 0.0.0.0)
  --public-url U       URL machines reach the boot server at, e.g. http://192.168.50.10:18080;
                       the RHCOS images are then served from its /assets/rhcos/ (put
                       rhcos-live-kernel-x86_64, rhcos-live-initramfs.x86_64.img and
                       rhcos-live-rootfs.x86_64.img into <work-dir>/assets/rhcos/)
  --images URL         an HTTP mirror of those three files instead
  --work-dir DIR       working folder (default ./.ovirt-cdktf)
  --app DIR            the cdktf app to synthesize (default examples/openshift-ipi)
  --mode MODE          pxe (nodes network-boot from the boot server; default) or template
  --parallelism N      terraform -parallelism (default 10)
  --state-backend URL  keep the Terraform state in PostgreSQL (Terraform's pg backend, with
                       locking), e.g. postgres://tf:secret@db.example:5432/terraform; the
                       credentials go to terraform as PGUSER/PGPASSWORD, never into cdk.tf.json
  -h, --help           this text
`;

function port(flag: string, text: string): number {
  const portNumber = Number(text);
  if (!/^\d+$/.test(text) || portNumber > 65535) throw new Error(`${flag} needs a port number 0..65535, got "${text}"`);
  return portNumber;
}

function httpUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag} needs a URL such as http://192.168.50.10:18080, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${flag} needs an http:// or https:// URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

/** Parses the arguments; throws an Error naming the bad option. `repoRoot` anchors the default app. */
export function parseDemoArgs(args: string[], repoRoot: string, cwd = process.cwd()): DemoOptions {
  const options: DemoOptions = {
    destroy: false,
    delays: 'realistic',
    enginePort: DEFAULT_ENGINE_PORT,
    bootPort: DEFAULT_BOOT_PORT,
    bootHost: '127.0.0.1',
    workDir: path.resolve(cwd, '.ovirt-cdktf'),
    appDir: path.join(repoRoot, 'examples', 'openshift-ipi'),
    mode: 'pxe',
    parallelism: 10,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag === arg ? undefined : arg.slice(eq + 1);
    const val = (): string => {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--destroy':
        options.destroy = true;
        break;
      case '--delays': {
        const delays = val();
        if (delays !== 'none' && delays !== 'fast' && delays !== 'realistic')
          throw new Error(`--delays must be none, fast or realistic, got "${delays}"`);
        options.delays = delays;
        break;
      }
      case '--engine-port':
        options.enginePort = port(flag, val());
        break;
      case '--boot-port':
        options.bootPort = port(flag, val());
        break;
      case '--host':
        options.bootHost = val();
        break;
      case '--public-url':
        options.publicUrl = httpUrl(flag, val());
        break;
      case '--images':
        options.imagesUrl = httpUrl(flag, val());
        break;
      case '--work-dir':
        options.workDir = path.resolve(cwd, val());
        break;
      case '--app':
        options.appDir = path.resolve(cwd, val());
        break;
      case '--mode': {
        const mode = val();
        if (mode !== 'pxe' && mode !== 'template') throw new Error(`--mode must be pxe or template, got "${mode}"`);
        options.mode = mode;
        break;
      }
      case '--parallelism': {
        const parallelism = val();
        if (!/^[1-9]\d*$/.test(parallelism))
          throw new Error(`--parallelism needs a whole number >= 1, got "${parallelism}"`);
        options.parallelism = Number(parallelism);
        break;
      }
      case '--state-backend': {
        const backend = val();
        // Never echo the value: it may hold a password.
        if (!/^postgres(ql)?:\/\/[^/]/.test(backend))
          throw new Error('--state-backend needs a postgres:// URL, e.g. postgres://tf@db.example/terraform');
        options.stateBackend = backend;
        break;
      }
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option "${arg}" (see --help)`);
    }
  }
  return options;
}

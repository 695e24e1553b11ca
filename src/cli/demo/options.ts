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

function port(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new Error(`${flag} needs a port number 0..65535, got "${v}"`);
  return n;
}

function httpUrl(flag: string, v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`${flag} needs a URL such as http://192.168.50.10:18080, got "${v}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`${flag} needs an http:// or https:// URL, got "${v}"`);
  return v.replace(/\/+$/, '');
}

/** Parses the arguments; throws an Error naming the bad option. `repoRoot` anchors the default app. */
export function parseDemoArgs(args: string[], repoRoot: string, cwd = process.cwd()): DemoOptions {
  const o: DemoOptions = {
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
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = flag === a ? undefined : a.slice(eq + 1);
    const val = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--destroy':
        o.destroy = true;
        break;
      case '--delays': {
        const d = val();
        if (d !== 'none' && d !== 'fast' && d !== 'realistic')
          throw new Error(`--delays must be none, fast or realistic, got "${d}"`);
        o.delays = d;
        break;
      }
      case '--engine-port':
        o.enginePort = port(flag, val());
        break;
      case '--boot-port':
        o.bootPort = port(flag, val());
        break;
      case '--host':
        o.bootHost = val();
        break;
      case '--public-url':
        o.publicUrl = httpUrl(flag, val());
        break;
      case '--images':
        o.imagesUrl = httpUrl(flag, val());
        break;
      case '--work-dir':
        o.workDir = path.resolve(cwd, val());
        break;
      case '--app':
        o.appDir = path.resolve(cwd, val());
        break;
      case '--mode': {
        const m = val();
        if (m !== 'pxe' && m !== 'template') throw new Error(`--mode must be pxe or template, got "${m}"`);
        o.mode = m;
        break;
      }
      case '--parallelism': {
        const v = val();
        if (!/^[1-9]\d*$/.test(v)) throw new Error(`--parallelism needs a whole number >= 1, got "${v}"`);
        o.parallelism = Number(v);
        break;
      }
      case '--state-backend': {
        const v = val();
        // Never echo the value: it may hold a password.
        if (!/^postgres(ql)?:\/\/[^/]/.test(v))
          throw new Error('--state-backend needs a postgres:// URL, e.g. postgres://tf@db.example/terraform');
        o.stateBackend = v;
        break;
      }
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option "${a}" (see --help)`);
    }
  }
  return o;
}

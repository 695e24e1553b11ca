/**
 * An OpenShift cluster on oVirt, twice: `openshift-template` boots every node from an RHCOS template
 * with the installer's three Ignition files; `openshift-pxe` network-boots RHCOS live images from the
 * boot server, with pointer configs for masters and workers generated from the Machine Config
 * Server's CA. Both publish the bootstrap's large Ignition on the boot server.
 *
 * Settings (environment, read at synth): OCP_CLUSTER_NAME (ocp), OCP_BASE_DOMAIN (example.com),
 * OCP_API_VIP / OCP_INGRESS_VIP, OCP_MASTERS (3), OCP_WORKERS (2), OCP_BOOTSTRAP=false after
 * bootstrap-complete, OCP_INSTALL_DIR (the `openshift-install create ignition-configs` folder;
 * default: the sample beside this file), RHCOS_TEMPLATE, or RHCOS_IMAGE (the RHCOS OpenStack qcow2,
 * a path or URL, uploaded and made into the template `<cluster>-rhcos`), RHCOS_PXE_BASE_URL, OVIRT_CLUSTER,
 * OVIRT_STORAGE_DOMAIN, OVIRT_NETWORK, OCP_STACKS (template,pxe).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { fromInstallDir, OpenShiftIpiCluster, OpenShiftIpiClusterProps } from '../../constructs';
import { exampleApp, exampleBackend, exampleBootServer, exampleProvider } from '../shared';

const env = process.env;

/** The installer's output folder (read at each synth, so tests can point it elsewhere). */
function installDir(): string {
  return env.OCP_INSTALL_DIR ?? join(__dirname, 'sample-install-dir');
}

/** The settings both modes share. */
function common(stack: TerraformStack): Omit<OpenShiftIpiClusterProps, 'boot' | 'ignition'> {
  const bootServer = exampleBootServer(stack);
  exampleProvider(stack, bootServer);
  return {
    clusterName: env.OCP_CLUSTER_NAME ?? 'ocp',
    baseDomain: env.OCP_BASE_DOMAIN ?? 'example.com',
    ovirtCluster: { name: env.OVIRT_CLUSTER ?? 'Default' },
    storageDomain: { name: env.OVIRT_STORAGE_DOMAIN ?? 'data-nfs' },
    vnicProfile: { network: env.OVIRT_NETWORK ?? 'ovirtmgmt' },
    apiVips: [env.OCP_API_VIP ?? '10.35.1.10'],
    ingressVips: [env.OCP_INGRESS_VIP ?? '10.35.1.11'],
    bootServer,
    masters: { count: Number(env.OCP_MASTERS ?? 3) },
    workers: { count: Number(env.OCP_WORKERS ?? 2) },
    bootstrap: { enabled: env.OCP_BOOTSTRAP !== 'false' },
  };
}

/** Template mode: an RHCOS template and the installer's bootstrap.ign, master.ign and worker.ign. */
export function templateStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'openshift-template');
  exampleBackend(stack);
  new OpenShiftIpiCluster(stack, 'cluster', {
    ...common(stack),
    boot: env.RHCOS_IMAGE
      ? { mode: 'template', image: env.RHCOS_IMAGE }
      : { mode: 'template', template: { name: env.RHCOS_TEMPLATE ?? 'rhcos-4.14' } },
    ignition: fromInstallDir(installDir()),
  });
  return stack;
}

/** PXE mode: RHCOS live images, and pointer configs made from the Machine Config Server's CA. */
export function pxeStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'openshift-pxe');
  exampleBackend(stack);
  const images = env.RHCOS_PXE_BASE_URL ?? 'https://images.example/rhcos/4.14';
  new OpenShiftIpiCluster(stack, 'cluster', {
    ...common(stack),
    boot: {
      mode: 'pxe',
      kernelUrl: `${images}/rhcos-live-kernel-x86_64`,
      initramfsUrl: `${images}/rhcos-live-initramfs.x86_64.img`,
      rootfsUrl: `${images}/rhcos-live-rootfs.x86_64.img`,
    },
    ignition: {
      bootstrap: { file: join(installDir(), 'bootstrap.ign') },
      machineConfigCaPem: readFileSync(join(installDir(), 'root-ca.pem'), 'utf8'),
    },
  });
  return stack;
}

/** The app with the stacks OCP_STACKS names (default both). */
export function openshiftApp(app = exampleApp()): App {
  const stacks = (env.OCP_STACKS ?? 'template,pxe').split(',');
  if (stacks.includes('template')) templateStack(app);
  if (stacks.includes('pxe')) pxeStack(app);
  return app;
}

if (require.main === module) openshiftApp().synth();

/**
 * The engine the acceptance suite runs against: the user's (OVIRT_URL and friends) or a simulator
 * it starts itself. Every problem with the input is one {@link InputError} naming the variable to
 * fix, found before anything is created.
 */
import * as fs from 'node:fs';
import {
  OvirtClient,
  OvirtError,
  type ClusterId,
  type StorageDomainId,
  type TemplateId,
  type VnicProfileId,
} from '../../src/ovirt';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';

/** A bad or missing variable: the message is one line that starts with the variable's name. */
export class InputError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** The OVIRT_ACC_* variables: what each must name on the engine (the README lists the same). */
export const ACC_VARIABLES = {
  OVIRT_ACC_CLUSTER: 'the name of a cluster with at least one host that is up',
  OVIRT_ACC_STORAGE_DOMAIN: "the name of an active data storage domain of that cluster's data center (1 GiB is used)",
  OVIRT_ACC_TEMPLATE: 'the name of a template in that data center whose VMs can start (e.g. one with a small OS disk)',
  OVIRT_ACC_NETWORK:
    'the name of a logical network of that cluster with a vNIC profile of the same name (e.g. ovirtmgmt)',
} as const;
type AccVariable = keyof typeof ACC_VARIABLES;

/** The simulator's seed objects, used when OVIRT_URL is unset. */
const SIM_NAMES: Record<AccVariable, string> = {
  OVIRT_ACC_CLUSTER: 'Default',
  OVIRT_ACC_STORAGE_DOMAIN: 'data-nfs',
  OVIRT_ACC_TEMPLATE: 'rhcos-template',
  OVIRT_ACC_NETWORK: 'ovirtmgmt',
};

/** How to reach the engine and what to use on it. */
export interface Target {
  url: string;
  username: string;
  password: string;
  caFile?: string;
  insecure: boolean;
  names: Record<AccVariable, string>;
  /** The simulator when the suite started one (its control handle makes fault injection possible). */
  sim?: EngineSim;
}

/** Reads the environment; with OVIRT_URL unset, starts a simulator. Throws an InputError for bad input. */
export async function resolveTarget(env: NodeJS.ProcessEnv): Promise<Target> {
  if (!env.OVIRT_URL) {
    const sim = await startEngineSim({ delays: 'fast' });
    const names = { ...SIM_NAMES };
    for (const v of Object.keys(ACC_VARIABLES) as AccVariable[]) if (env[v]) names[v] = env[v] as string;
    return {
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caFile: sim.caFile,
      insecure: false,
      names,
      sim,
    };
  }
  let url: URL | undefined;
  try {
    url = new URL(env.OVIRT_URL);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol))
    throw new InputError(
      'OVIRT_URL',
      `must be the engine's API URL, e.g. https://engine.example.com/ovirt-engine/api, got ${JSON.stringify(env.OVIRT_URL)}`,
    );
  const missing = (['OVIRT_USERNAME', 'OVIRT_PASSWORD', ...Object.keys(ACC_VARIABLES)] as string[]).filter(
    (v) => !env[v],
  );
  if (missing.length > 0) {
    const what = (v: string) =>
      ACC_VARIABLES[v as AccVariable] ??
      (v === 'OVIRT_USERNAME' ? 'an engine user such as admin@internal' : 'its password');
    throw new InputError(missing.join(', '), `not set; ${missing.map((v) => `${v} must be ${what(v)}`).join('; ')}`);
  }
  if (env.OVIRT_CAFILE && !fs.existsSync(env.OVIRT_CAFILE)) {
    throw new InputError(
      'OVIRT_CAFILE',
      `${JSON.stringify(env.OVIRT_CAFILE)} does not exist; it must be the PEM file of the engine's CA`,
    );
  }
  const names = Object.fromEntries(Object.keys(ACC_VARIABLES).map((v) => [v, env[v] as string])) as Record<
    AccVariable,
    string
  >;
  return {
    url: env.OVIRT_URL,
    username: env.OVIRT_USERNAME as string,
    password: env.OVIRT_PASSWORD as string,
    caFile: env.OVIRT_CAFILE || undefined,
    insecure: /^(1|true)$/i.test(env.OVIRT_INSECURE ?? ''),
    names,
  };
}

/** The objects the stack uses, looked up once, and the engine's version. */
export interface EngineFacts {
  version: string;
  cluster: ClusterId;
  template: TemplateId;
  storageDomain: StorageDomainId;
  vnicProfile: VnicProfileId;
}

/** Logs in and looks every named object up; each failure names the variable to fix. */
export async function preflight(client: OvirtClient, target: Target): Promise<EngineFacts> {
  let version: string;
  try {
    const root = await client.apiRoot();
    const product = root.product_info;
    version = `${product?.name ?? 'oVirt Engine'} ${product?.version?.full_version ?? `${product?.version?.major ?? '?'}.${product?.version?.minor ?? '?'}`}`;
  } catch (e) {
    throw loginError(e);
  }
  const named = async <T>(
    variable: AccVariable,
    what: string,
    find: (name: string) => Promise<T | undefined>,
  ): Promise<T> => {
    const name = target.names[variable];
    const found = await find(name);
    if (found === undefined)
      throw new InputError(
        variable,
        `the engine has no ${what} named ${JSON.stringify(name)}; it must be ${ACC_VARIABLES[variable]}`,
      );
    return found;
  };
  const cluster = await named('OVIRT_ACC_CLUSTER', 'cluster', (n) => client.clusters.findByName(n));
  const template = await named('OVIRT_ACC_TEMPLATE', 'template', async (n) =>
    (await client.templates.list({ search: `name=${n}` })).find((x) => x.name === n),
  );
  const sd = await named('OVIRT_ACC_STORAGE_DOMAIN', 'storage domain', (n) => client.storageDomains.findByName(n));
  const profile = await named('OVIRT_ACC_NETWORK', 'network with a vNIC profile', async (name) => {
    const nets = new Set(
      (await client.networks.list({ search: `name=${name}` })).filter((x) => x.name === name).map((x) => x.id),
    );
    return (await client.vnicProfiles.list()).find(
      (p) => p.name === name && p.network?.id !== undefined && nets.has(p.network.id),
    );
  });
  return {
    version,
    cluster: cluster.id as ClusterId,
    template: template.id as TemplateId,
    storageDomain: sd.id as StorageDomainId,
    vnicProfile: profile.id as VnicProfileId,
  };
}

function loginError(err: unknown): Error {
  if (!OvirtError.is(err)) return err as Error;
  if (err.code === 'auth')
    return new InputError(
      'OVIRT_USERNAME or OVIRT_PASSWORD',
      `the engine refused the login (${err.detail || err.reason || err.message}); use a user with its profile, e.g. admin@internal`,
    );
  if (err.code === 'tls')
    return new InputError(
      'OVIRT_CAFILE',
      `the engine's certificate is not trusted (${err.message}); set OVIRT_CAFILE to the engine's CA (see the README)`,
    );
  return new InputError('OVIRT_URL', `cannot reach the engine's API: ${err.message}`);
}

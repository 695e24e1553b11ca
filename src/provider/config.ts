/**
 * The provider block: how to reach the engine (with environment fallbacks), default timeouts,
 * and the optional boot server. `resolveConfig` turns the block plus the environment into
 * settings, reporting every problem against the attribute it concerns.
 */
import * as fs from 'node:fs';
import {
  attr,
  block,
  schema,
  oneOf,
  path,
  parseDuration,
  type Diagnostics,
  type ModelOf,
  type Timeouts,
  type Validator,
} from '../tfplugin';

/** Accepts Go-style durations, the way the SDK parses `timeouts` values. */
const duration: Validator<string> = {
  description: 'A duration such as "30s", "20m" or "1h30m".',
  validate(value, attrPath, diags) {
    try {
      parseDuration(value);
    } catch (e) {
      diags.error('Invalid Duration', e instanceof Error ? e.message : String(e), attrPath);
    }
  },
};

const timeoutAttr = (op: string) =>
  attr.string({
    optional: true,
    description: `Default timeout of ${op} operations for every resource that has no \`timeouts.${op}\` of its own, e.g. "30m".`,
    validators: [duration],
  });

/** Schema of the `provider "ovirt"` block. */
export const providerSchema = schema({
  attributes: {
    url: attr.string({
      optional: true,
      description: 'Engine API URL, e.g. `https://engine.example.com/ovirt-engine/api`. Falls back to `OVIRT_URL`.',
    }),
    username: attr.string({
      optional: true,
      description: 'Engine user, e.g. `admin@internal`. Falls back to `OVIRT_USERNAME`.',
    }),
    password: attr.string({
      optional: true,
      sensitive: true,
      description: 'Password of `username`. Falls back to `OVIRT_PASSWORD`.',
    }),
    ca_file: attr.string({
      optional: true,
      description: "Path of a PEM file with the engine's CA certificate(s). Falls back to `OVIRT_CAFILE`.",
    }),
    ca_pem: attr.string({
      optional: true,
      description: "The engine's CA certificate(s) as PEM text. Falls back to `OVIRT_CA_BUNDLE`.",
    }),
    insecure: attr.bool({
      optional: true,
      description:
        'Skip TLS certificate verification (testing only). Falls back to `OVIRT_INSECURE` (`true`/`1`). Default false.',
    }),
    auth: attr.string({
      optional: true,
      description: 'Authentication: `sso` (an OAuth token, the default) or `basic` (HTTP Basic on every request).',
      validators: [oneOf('sso', 'basic')],
    }),
  },
  blocks: {
    default_timeouts: block.single(
      {
        attributes: {
          create: timeoutAttr('create'),
          read: timeoutAttr('read'),
          update: timeoutAttr('update'),
          delete: timeoutAttr('delete'),
        },
      },
      { description: 'Timeouts used by every resource that does not set its own `timeouts` block.' },
    ),
    boot_server: block.single(
      {
        attributes: {
          url: attr.string({
            required: true,
            description:
              'Base URL of the boot-artifact server (`ovirt-cdktf boot-server`), e.g. `https://boot.example.com:8443`.',
          }),
          token: attr.string({
            required: true,
            sensitive: true,
            description: "Bearer token of the boot server's admin API.",
          }),
          ca_pem: attr.string({
            optional: true,
            description: 'CA certificate(s) of the boot server as PEM text (for a private CA).',
          }),
        },
      },
      {
        description:
          'The boot-artifact server that `ovirt_boot_entry` writes to. Falls back to `OVIRT_BOOT_URL`, `OVIRT_BOOT_TOKEN` and `OVIRT_BOOT_CA_PEM`.',
      },
    ),
  },
});

/** The provider block's values. */
export type ProviderConfig = ModelOf<typeof providerSchema>;

/** Connection settings of the engine, resolved from config and environment. */
export interface EngineSettings {
  url: string;
  username: string;
  password: string;
  auth: 'sso' | 'basic';
  caFile?: string;
  caPem?: string;
  insecure: boolean;
  /** Keep the SSO token in the user's cache folder for the provider's other processes (OVIRT_TOKEN_CACHE, default on). */
  tokenCache: boolean;
}

/** Connection settings of the boot server. */
export interface BootSettings {
  url: string;
  token: string;
  caPem?: string;
}

/** Everything `configure` derives from the provider block. */
export interface ResolvedConfig {
  /** Engine settings, or why they are missing (reported when a resource first needs the engine). */
  engine: EngineSettings | { missing: string };
  boot?: BootSettings;
  defaultTimeouts: Timeouts;
}

const TRUE = new Set(['1', 'true', 't', 'yes', 'y']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', '']);

function envBool(env: NodeJS.ProcessEnv, name: string, diags: Diagnostics, attribute?: string): boolean | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (TRUE.has(value.toLowerCase())) return true;
  if (FALSE.has(value.toLowerCase())) return false;
  diags.error(
    'Invalid Environment Variable',
    `${name} must be true or false (or 1/0), got ${JSON.stringify(value)}.`,
    attribute ? path(attribute) : undefined,
  );
  return undefined;
}

function checkUrl(url: string, attribute: string, source: string, diags: Diagnostics): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    diags.error(
      'Invalid Engine URL',
      `${source} must be an http(s) URL such as https://engine.example.com/ovirt-engine/api, got ${JSON.stringify(url)}.`,
      path(attribute),
    );
  }
}

/**
 * The API URL a user most likely meant when `url` answered 404: the engine's API lives at
 * `/ovirt-engine/api`, and the usual slip is the web UI's `/ovirt-engine` or the bare host.
 */
export function suggestApiUrl(url: string): string {
  const parsed = new URL(url);
  const at = parsed.pathname.indexOf('/ovirt-engine');
  parsed.pathname = `${at >= 0 ? parsed.pathname.slice(0, at) : ''}/ovirt-engine/api`;
  parsed.search = '';
  parsed.hash = '';
  return parsed.toString();
}

function resolveEngine(config: ProviderConfig, env: NodeJS.ProcessEnv, diags: Diagnostics): ResolvedConfig['engine'] {
  const url = config.url ?? env.OVIRT_URL;
  if (!url)
    return {
      missing:
        'No engine URL is configured: set `url` in the provider "ovirt" block or the OVIRT_URL environment variable.',
    };
  checkUrl(url, 'url', config.url ? 'url' : 'OVIRT_URL', diags);
  const username = config.username ?? env.OVIRT_USERNAME;
  const password = config.password ?? env.OVIRT_PASSWORD;
  if (!username)
    diags.error(
      'Missing Engine Username',
      'Set `username` in the provider "ovirt" block or the OVIRT_USERNAME environment variable (e.g. admin@internal).',
      path('username'),
    );
  if (password === undefined)
    diags.error(
      'Missing Engine Password',
      'Set `password` in the provider "ovirt" block or the OVIRT_PASSWORD environment variable.',
      path('password'),
    );
  const caFile = config.ca_file ?? env.OVIRT_CAFILE;
  if (caFile && !fs.existsSync(caFile)) {
    diags.error(
      'CA File Not Found',
      `The CA file ${JSON.stringify(caFile)} (from ${config.ca_file ? 'ca_file' : 'OVIRT_CAFILE'}) does not exist.`,
      path('ca_file'),
    );
  }
  const insecure = config.insecure ?? envBool(env, 'OVIRT_INSECURE', diags, 'insecure') ?? false;
  const tokenCache =
    env.OVIRT_TOKEN_CACHE?.toLowerCase() === 'off' ? false : (envBool(env, 'OVIRT_TOKEN_CACHE', diags) ?? true);
  if (insecure) {
    diags.warning(
      'Engine TLS Verification Is Off',
      `insecure = true (or OVIRT_INSECURE) skips verifying the engine's certificate, so anyone on the path to ${url} can read the credentials. Use ca_file or ca_pem instead outside tests.`,
      path('insecure'),
    );
  }
  return {
    url,
    username: username ?? '',
    password: password ?? '',
    auth: config.auth === 'basic' ? 'basic' : 'sso',
    caFile: caFile || undefined,
    caPem: (config.ca_pem ?? env.OVIRT_CA_BUNDLE) || undefined,
    insecure,
    tokenCache,
  };
}

function resolveBoot(config: ProviderConfig, env: NodeJS.ProcessEnv, diags: Diagnostics): BootSettings | undefined {
  const bootServer = config.boot_server;
  const url = bootServer?.url ?? env.OVIRT_BOOT_URL;
  if (!url) return undefined;
  const token = bootServer?.token ?? env.OVIRT_BOOT_TOKEN;
  if (!token) {
    diags.error(
      'Missing Boot Server Token',
      'Set `boot_server.token` or the OVIRT_BOOT_TOKEN environment variable: the admin API needs a bearer token.',
      path('boot_server', 'token'),
    );
    return undefined;
  }
  return { url, token, caPem: (bootServer?.ca_pem ?? env.OVIRT_BOOT_CA_PEM) || undefined };
}

/** Resolves the provider block plus the environment; problems go to `diags` with the attribute. */
export function resolveConfig(config: ProviderConfig, env: NodeJS.ProcessEnv, diags: Diagnostics): ResolvedConfig {
  const timeouts = config.default_timeouts;
  const defaultTimeouts: Timeouts = {};
  for (const op of ['create', 'read', 'update', 'delete'] as const) {
    const text = timeouts?.[op];
    if (text) defaultTimeouts[op] = text;
  }
  return { engine: resolveEngine(config, env, diags), boot: resolveBoot(config, env, diags), defaultTimeouts };
}

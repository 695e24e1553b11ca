/**
 * An Ignition spec v3 builder (3.1, 3.2 or 3.3): files, directories, links, systemd units and
 * drop-ins, users, kernel arguments, merge/replace, CA bundles and pointer configs. `build()`
 * validates the result with the same rules as ignition-validate and throws on any error.
 */
import { createHash } from 'node:crypto';
import { BootError } from '../errors';
import { toDataUrl } from './dataurl';
import { validateIgnition } from './validate';

/** The spec versions the builder writes (OpenShift 4.x nodes read 3.1/3.2). */
export type IgnitionVersion = '3.1.0' | '3.2.0' | '3.3.0';

/** A remote source with its verification. */
export interface RemoteSource {
  /** http(s), tftp, s3 (and gs from 3.2) URL. */
  source: string;
  /** `sha512-<hex>` (or `sha256-<hex>`) of the decompressed data. */
  hash?: string;
  /** `gzip` when the remote data is gzip-compressed. */
  compression?: 'gzip';
  /** Extra HTTP headers for http(s) sources. */
  httpHeaders?: Record<string, string>;
}

/** Ownership and permissions of a file system node. */
export interface NodeOptions {
  /** Permission bits, e.g. 0o644. */
  mode?: number;
  overwrite?: boolean;
  user?: string | number;
  group?: string | number;
}

/** A systemd unit. */
export interface UnitOptions {
  contents?: string;
  enabled?: boolean;
  mask?: boolean;
  dropins?: Array<{ name: string; contents: string }>;
}

/** A user account. */
export interface UserOptions {
  sshAuthorizedKeys?: string[];
  passwordHash?: string;
  groups?: string[];
  uid?: number;
  homeDir?: string;
  shell?: string;
}

type Json = Record<string, unknown>;

/** `sha512-<hex>` of some bytes, as Ignition's verification.hash wants it. */
export function sha512Hash(data: string | Uint8Array): string {
  return 'sha512-' + createHash('sha512').update(data).digest('hex');
}

function owner(user: string | number): Json {
  return typeof user === 'number' ? { id: user } : { name: user };
}

function resource(remote: RemoteSource): Json {
  const out: Json = { source: remote.source };
  if (remote.compression) out['compression'] = remote.compression;
  if (remote.httpHeaders)
    out['httpHeaders'] = Object.entries(remote.httpHeaders).map(([name, value]) => ({ name, value }));
  if (remote.hash) out['verification'] = { hash: remote.hash };
  return out;
}

/** Builds one Ignition config. */
export class IgnitionBuilder {
  private readonly ignition: Json;
  private readonly files: Json[] = [];
  private readonly directories: Json[] = [];
  private readonly links: Json[] = [];
  private readonly units: Json[] = [];
  private readonly users: Json[] = [];
  private kargs?: { shouldExist: string[]; shouldNotExist: string[] };

  constructor(readonly version: IgnitionVersion = '3.2.0') {
    if (!['3.1.0', '3.2.0', '3.3.0'].includes(version)) {
      throw new BootError('invalid_ignition', `Ignition version must be 3.1.0, 3.2.0 or 3.3.0, got "${version}"`);
    }
    this.ignition = { version };
  }

  /** A file with inline contents (encoded as a data URL) or a verified remote source. */
  file(path: string, contents: string | Uint8Array | RemoteSource, opts: NodeOptions = {}): this {
    const src =
      typeof contents === 'string' || contents instanceof Uint8Array
        ? { source: toDataUrl(contents) }
        : resource(contents);
    this.files.push({ path, contents: src, ...this.node(opts, 0o644) });
    return this;
  }

  /** A directory. */
  directory(path: string, opts: NodeOptions = {}): this {
    this.directories.push({ path, ...this.node(opts, 0o755) });
    return this;
  }

  /** A symbolic (or hard) link. */
  link(path: string, target: string, opts: { hard?: boolean; overwrite?: boolean } = {}): this {
    this.links.push({
      path,
      target,
      ...(opts.hard ? { hard: true } : {}),
      ...(opts.overwrite ? { overwrite: true } : {}),
    });
    return this;
  }

  /** A systemd unit, optionally with drop-ins. */
  unit(name: string, opts: UnitOptions = {}): this {
    const unitJson: Json = { name };
    if (opts.contents !== undefined) unitJson['contents'] = opts.contents;
    if (opts.enabled !== undefined) unitJson['enabled'] = opts.enabled;
    if (opts.mask !== undefined) unitJson['mask'] = opts.mask;
    if (opts.dropins?.length) unitJson['dropins'] = opts.dropins.map((d) => ({ name: d.name, contents: d.contents }));
    this.units.push(unitJson);
    return this;
  }

  /** A user with SSH keys (written to `~/.ssh/authorized_keys.d/ignition`). */
  user(name: string, opts: UserOptions = {}): this {
    this.users.push({ name, ...opts });
    return this;
  }

  /** Kernel arguments to ensure present or absent (spec 3.3 only). */
  kernelArguments(args: { shouldExist?: string[]; shouldNotExist?: string[] }): this {
    if (this.version !== '3.3.0') {
      throw new BootError('invalid_ignition', `kernelArguments need Ignition 3.3.0, this config is ${this.version}`);
    }
    this.kargs ??= { shouldExist: [], shouldNotExist: [] };
    this.kargs.shouldExist.push(...(args.shouldExist ?? []));
    this.kargs.shouldNotExist.push(...(args.shouldNotExist ?? []));
    return this;
  }

  /** Merges a remote config into this one. */
  merge(src: RemoteSource): this {
    const config = (this.ignition['config'] ??= {}) as Json;
    ((config['merge'] ??= []) as Json[]).push(resource(src));
    return this;
  }

  /** Replaces this config by a remote one. */
  replace(src: RemoteSource): this {
    ((this.ignition['config'] ??= {}) as Json)['replace'] = resource(src);
    return this;
  }

  /** Trusts a CA (a PEM bundle inline, or a remote source) for Ignition's HTTPS fetches. */
  certificateAuthority(ca: string | RemoteSource): this {
    const security = (this.ignition['security'] ??= { tls: { certificateAuthorities: [] } }) as {
      tls: { certificateAuthorities: Json[] };
    };
    const src = typeof ca === 'string' ? { source: toDataUrl(ca) } : resource(ca);
    security.tls.certificateAuthorities.push(src);
    return this;
  }

  /** The config as a plain object, without validation. */
  toObject(): Json {
    const out: Json = { ignition: this.ignition };
    if (this.kargs) out['kernelArguments'] = this.kargs;
    if (this.users.length) out['passwd'] = { users: this.users };
    const storage: Json = {};
    if (this.directories.length) storage['directories'] = this.directories;
    if (this.files.length) storage['files'] = this.files;
    if (this.links.length) storage['links'] = this.links;
    if (Object.keys(storage).length) out['storage'] = storage;
    if (this.units.length) out['systemd'] = { units: this.units };
    return out;
  }

  /** The validated config as compact JSON; throws BootError('invalid_ignition') with every error. */
  build(): string {
    const json = JSON.stringify(this.toObject());
    const report = validateIgnition(json);
    if (!report.valid) {
      throw new BootError(
        'invalid_ignition',
        `invalid Ignition config: ${report.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      );
    }
    return json;
  }

  private node(opts: NodeOptions, defaultMode: number): Json {
    const out: Json = { mode: opts.mode ?? defaultMode };
    if (opts.overwrite !== undefined) out['overwrite'] = opts.overwrite;
    if (opts.user !== undefined) out['user'] = owner(opts.user);
    if (opts.group !== undefined) out['group'] = owner(opts.group);
    return out;
  }
}

/**
 * A pointer ("stub") config that merges the real config from `url`, trusting `caPem` for it,
 * as OpenShift nodes receive (e.g. `https://<api-vip>:22623/config/worker`).
 */
export function pointerConfig(opts: {
  url: string;
  caPem?: string;
  hash?: string;
  version?: IgnitionVersion;
}): IgnitionBuilder {
  const builder = new IgnitionBuilder(opts.version ?? '3.2.0').merge({ source: opts.url, hash: opts.hash });
  if (opts.caPem) builder.certificateAuthority(opts.caPem);
  return builder;
}

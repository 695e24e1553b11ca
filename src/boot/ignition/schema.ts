/**
 * The shape of Ignition spec 3.0-3.3 as data: which keys exist in which spec minor version and
 * what JSON type each holds. The validator walks a config with it (type errors are fatal,
 * unknown keys are warnings, exactly as ignition-validate treats them) and then applies the
 * semantic rules keyed by each object's `kind`.
 */

/** A JSON type as Ignition's Go structs decode it. */
export type Shape = 'string' | 'bool' | 'int' | { list: Shape } | ObjShape;

/** An object type: its fields, and the rule set (`kind`) that checks it after decoding. */
export interface ObjShape {
  kind?: string;
  fields: Record<string, Field>;
}

/** A field: its shape, and the first spec minor version (3.x) that has it. */
export type Field = Shape | { shape: Shape; since: number };

const str = 'string' as const;
const bool = 'bool' as const;
const int = 'int' as const;
const list = (s: Shape): Shape => ({ list: s });
const since = (minor: number, shape: Shape): Field => ({ shape, since: minor });

const verification: ObjShape = { fields: { hash: str } };
const header: ObjShape = { kind: 'header', fields: { name: str, value: str } };

function resource(kind: string): ObjShape {
  return {
    kind,
    fields: {
      source: str,
      compression: since(1, str),
      httpHeaders: since(1, list(header)),
      verification,
    },
  };
}

const owner: ObjShape = { kind: 'owner', fields: { id: int, name: str } };
const node = { path: str, overwrite: bool, user: owner, group: owner };

const file: ObjShape = {
  kind: 'file',
  fields: { ...node, contents: resource('contents'), append: list(resource('append')), mode: int },
};
const directory: ObjShape = { kind: 'directory', fields: { ...node, mode: int } };
const link: ObjShape = { kind: 'link', fields: { ...node, target: str, hard: bool } };

const partition: ObjShape = {
  fields: {
    label: str,
    number: int,
    sizeMiB: int,
    startMiB: int,
    typeGuid: str,
    guid: str,
    wipePartitionEntry: bool,
    shouldExist: bool,
    resize: since(2, bool),
  },
};
const disk: ObjShape = { fields: { device: str, wipeTable: bool, partitions: list(partition) } };
const raid: ObjShape = {
  fields: { name: str, level: str, devices: list(str), spares: int, options: since(1, list(str)) },
};
const filesystem: ObjShape = {
  kind: 'filesystem',
  fields: {
    device: str,
    format: str,
    path: str,
    wipeFilesystem: bool,
    label: str,
    uuid: str,
    options: list(str),
    mountOptions: since(1, list(str)),
  },
};
const luks: ObjShape = {
  fields: {
    name: str,
    device: str,
    keyFile: resource('keyfile'),
    label: str,
    uuid: str,
    options: list(str),
    wipeVolume: bool,
    clevis: {
      fields: {
        custom: { fields: { config: str, needsNetwork: bool, pin: str } },
        tang: list({ fields: { thumbprint: str, url: str } }),
        threshold: int,
        tpm2: bool,
      },
    },
  },
};

const unit: ObjShape = {
  kind: 'unit',
  fields: {
    name: str,
    enabled: bool,
    mask: bool,
    contents: str,
    dropins: list({ kind: 'dropin', fields: { name: str, contents: str } }),
  },
};

const user: ObjShape = {
  fields: {
    name: str,
    passwordHash: str,
    sshAuthorizedKeys: list(str),
    uid: int,
    gecos: str,
    homeDir: str,
    noCreateHome: bool,
    primaryGroup: str,
    groups: list(str),
    noUserGroup: bool,
    noLogInit: bool,
    shell: str,
    system: bool,
    shouldExist: since(2, bool),
  },
};
const group: ObjShape = {
  fields: { name: str, gid: int, passwordHash: str, system: bool, shouldExist: since(2, bool) },
};

/** The whole config. */
export const CONFIG_SHAPE: ObjShape = {
  kind: 'config',
  fields: {
    ignition: {
      fields: {
        version: str,
        config: { fields: { merge: list(resource('merge')), replace: resource('replace') } },
        timeouts: { fields: { httpResponseHeaders: int, httpTotal: int } },
        security: { fields: { tls: { fields: { certificateAuthorities: list(resource('ca')) } } } },
        proxy: since(1, { kind: 'proxy', fields: { httpProxy: str, httpsProxy: str, noProxy: list(str) } }),
      },
    },
    storage: {
      kind: 'storage',
      fields: {
        disks: list(disk),
        raid: list(raid),
        filesystems: list(filesystem),
        files: list(file),
        directories: list(directory),
        links: list(link),
        luks: since(2, list(luks)),
      },
    },
    systemd: { kind: 'systemd', fields: { units: list(unit) } },
    passwd: { kind: 'passwd', fields: { users: list(user), groups: list(group) } },
    kernelArguments: since(3, {
      kind: 'kargs',
      fields: { shouldExist: list(str), shouldNotExist: list(str) },
    }),
  },
};

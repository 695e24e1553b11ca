/**
 * Ignition's rules for single objects (paths, modes, owners, links, units, filesystems) and for
 * the config as a whole (duplicate keys, paths below links).
 */
import { posix } from 'node:path';
import type { RuleContext } from './rule-context';
import { checkProxy, checkResource } from './rules-resource';

type Obj = Record<string, unknown>;
type Rule = (v: Obj, path: string, ctx: RuleContext) => void;

const UNIT_TYPES = new Set([
  'service',
  'socket',
  'device',
  'mount',
  'automount',
  'swap',
  'target',
  'path',
  'timer',
  'snapshot',
  'slice',
  'scope',
]);
const FS_FORMATS = new Set(['', 'ext4', 'btrfs', 'xfs', 'vfat', 'swap']);

/** True when `nodePath` is what Go's path.Clean would make of it. */
function isClean(nodePath: string): boolean {
  return posix.normalize(nodePath).replace(/(.)\/$/, '$1') === nodePath;
}

function checkNodePath(node: Obj, path: string, ctx: RuleContext): void {
  const nodePath = node['path'];
  if (typeof nodePath !== 'string' || nodePath === '') ctx.error(`${path}.path`, 'path not specified');
  else if (!nodePath.startsWith('/')) ctx.error(`${path}.path`, 'path not absolute');
  else if (!isClean(nodePath)) ctx.error(`${path}.path`, 'path is not fully simplified');
}

function checkMode(node: Obj, path: string, ctx: RuleContext): void {
  const mode = node['mode'];
  if (typeof mode !== 'number') return;
  if (mode < 0 || mode > 0o7777) ctx.error(`${path}.mode`, 'illegal file mode');
  if (mode < 0 || (mode & 0o7000) !== 0) {
    ctx.warn(`${path}.mode`, 'setuid/setgid/sticky bits are not supported in spec versions older than 3.4.0');
  }
}

const hasValue = (x: unknown) => x !== undefined && x !== null;

/** Rules applied to one object right after its JSON types checked out, keyed by shape kind. */
export const LOCAL_RULES: Record<string, Rule> = {
  contents: (v, p, c) => checkResource('contents', v, p, c),
  append: (v, p, c) => checkResource('append', v, p, c),
  merge: (v, p, c) => checkResource('merge', v, p, c),
  replace: (v, p, c) => checkResource('replace', v, p, c),
  ca: (v, p, c) => checkResource('ca', v, p, c),
  keyfile: (v, p, c) => checkResource('keyfile', v, p, c),
  proxy: checkProxy,
  owner: (owner, path, ctx) => {
    if (hasValue(owner['id']) && typeof owner['name'] === 'string' && owner['name'] !== '') {
      ctx.error(path, 'cannot set both id and name');
    }
  },
  file: (file, path, ctx) => {
    checkNodePath(file, path, ctx);
    checkMode(file, path, ctx);
    const source = (file['contents'] as Obj | null | undefined)?.['source'];
    if (file['overwrite'] === true && (typeof source !== 'string' || source === '')) {
      ctx.error(`${path}.overwrite`, 'overwrite must be false if source is unspecified');
    }
  },
  directory: (directory, path, ctx) => {
    checkNodePath(directory, path, ctx);
    checkMode(directory, path, ctx);
  },
  link: (link, path, ctx) => {
    checkNodePath(link, path, ctx);
    if (ctx.minor >= 3 && (typeof link['target'] !== 'string' || link['target'] === '')) {
      ctx.error(`${path}.target`, 'link target is required');
    }
  },
  unit: (unit, path, ctx) => {
    const name = typeof unit['name'] === 'string' ? unit['name'] : '';
    const dot = name.lastIndexOf('.');
    if (dot < 0 || !UNIT_TYPES.has(name.slice(dot + 1))) ctx.error(`${path}.name`, 'invalid systemd unit extension');
    const contents = typeof unit['contents'] === 'string' ? unit['contents'] : '';
    if (unit['enabled'] === true && contents !== '' && !/^\s*\[Install\]/m.test(contents)) {
      ctx.warn(`${path}.contents`, `unit "${name}" is enabled, but has no install section so enable does nothing`);
    }
  },
  dropin: (dropin, path, ctx) => {
    const name = typeof dropin['name'] === 'string' ? dropin['name'] : '';
    if (!name.endsWith('.conf')) ctx.error(`${path}.name`, 'invalid systemd drop-in extension');
  },
  header: (v, path, ctx) => {
    if (typeof v['name'] !== 'string' || v['name'] === '') ctx.error(`${path}.name`, "HTTP header name can't be empty");
  },
  filesystem: (filesystem, path, ctx) => {
    const format = filesystem['format'];
    if (typeof format === 'string' && !FS_FORMATS.has(format) && !(format === 'none' && ctx.minor >= 3)) {
      ctx.error(`${path}.format`, 'invalid filesystem format');
    }
  },
};

const list = (parent: unknown, key: string): unknown[] => {
  const value = parent && typeof parent === 'object' ? (parent as Obj)[key] : undefined;
  return Array.isArray(value) ? value : [];
};

/** Reports every item whose key was already seen among `items`. */
function dups(items: Array<{ key: unknown; path: string }>, ctx: RuleContext): void {
  const seen = new Set<unknown>();
  for (const { key, path } of items) {
    if (key === undefined || key === null) continue;
    if (seen.has(key)) ctx.error(path, 'duplicate entry defined');
    seen.add(key);
  }
}

const keyed = (items: unknown[], base: string, key: (x: Obj) => unknown) =>
  items.map((x, i) => ({ key: x && typeof x === 'object' ? key(x as Obj) : undefined, path: `${base}.${i}` }));

/** The whole-config rules: duplicates in every keyed list, and nodes below links. */
export function checkConfigRules(cfg: Obj, ctx: RuleContext): void {
  const ign = cfg['ignition'] as Obj;
  const byField = (f: string) => (x: Obj) => x[f];
  dups(keyed(list(ign['config'], 'merge'), '$.ignition.config.merge', byField('source')), ctx);
  const tls = (ign['security'] as Obj | null | undefined)?.['tls'];
  dups(
    keyed(list(tls, 'certificateAuthorities'), '$.ignition.security.tls.certificateAuthorities', byField('source')),
    ctx,
  );
  checkStorageRules(cfg['storage'] as Obj | undefined, ctx);
  list(cfg['systemd'], 'units').forEach((u, i) => {
    dups(keyed(list(u, 'dropins'), `$.systemd.units.${i}.dropins`, byField('name')), ctx);
  });
  dups(keyed(list(cfg['systemd'], 'units'), '$.systemd.units', byField('name')), ctx);
  const users = list(cfg['passwd'], 'users');
  users.forEach((user, userIndex) => {
    dups(
      list(user, 'sshAuthorizedKeys').map((sshKey, keyIndex) => ({
        key: sshKey,
        path: `$.passwd.users.${userIndex}.sshAuthorizedKeys.${keyIndex}`,
      })),
      ctx,
    );
  });
  dups(keyed(users, '$.passwd.users', byField('name')), ctx);
  dups(keyed(list(cfg['passwd'], 'groups'), '$.passwd.groups', byField('name')), ctx);
  // Keys newer than the config's version were ignored as unused; their rules do not apply.
  const kargs = ctx.minor >= 3 ? cfg['kernelArguments'] : undefined;
  dups(
    [
      ...list(kargs, 'shouldExist').map((k, j) => ({ key: k, path: `$.kernelArguments.shouldExist.${j}` })),
      ...list(kargs, 'shouldNotExist').map((k, j) => ({ key: k, path: `$.kernelArguments.shouldNotExist.${j}` })),
    ],
    ctx,
  );
  if (ctx.minor >= 1)
    forEachResource(cfg, (r, path) => dups(keyed(list(r, 'httpHeaders'), `${path}.httpHeaders`, byField('name')), ctx));
}

function checkStorageRules(storage: Obj | undefined, ctx: RuleContext): void {
  const kinds = ['files', 'directories', 'links'] as const;
  const nodes = kinds.flatMap((k) => keyed(list(storage, k), `$.storage.${k}`, (x) => x['path']));
  dups(nodes, ctx);
  dups(
    keyed(list(storage, 'disks'), '$.storage.disks', (x) => x['device']),
    ctx,
  );
  dups(
    keyed(list(storage, 'filesystems'), '$.storage.filesystems', (x) => x['device']),
    ctx,
  );
  dups(
    keyed(list(storage, 'raid'), '$.storage.raid', (x) => x['name']),
    ctx,
  );
  if (ctx.minor >= 2)
    dups(
      keyed(list(storage, 'luks'), '$.storage.luks', (x) => x['name']),
      ctx,
    );
  const links = new Set(
    list(storage, 'links')
      .map((l) => (l as Obj | null)?.['path'])
      .filter((p) => typeof p === 'string'),
  );
  for (const { key, path } of nodes) {
    if (typeof key !== 'string') continue;
    for (let dir = posix.dirname(key); dir !== '/' && dir !== '.'; dir = posix.dirname(dir)) {
      if (links.has(dir)) {
        ctx.error(path, 'path includes link in config');
        break;
      }
    }
  }
}

/** Visits every resource object that may carry HTTP headers. */
function forEachResource(cfg: Obj, visit: (r: unknown, path: string) => void): void {
  const ign = cfg['ignition'] as Obj;
  list(ign['config'], 'merge').forEach((r, i) => visit(r, `$.ignition.config.merge.${i}`));
  const replace = (ign['config'] as Obj | null | undefined)?.['replace'];
  if (replace) visit(replace, '$.ignition.config.replace');
  const tls = (ign['security'] as Obj | null | undefined)?.['tls'];
  list(tls, 'certificateAuthorities').forEach((r, i) =>
    visit(r, `$.ignition.security.tls.certificateAuthorities.${i}`),
  );
  list(cfg['storage'], 'files').forEach((file, fileIndex) => {
    const contents = (file as Obj | null)?.['contents'];
    if (contents) visit(contents, `$.storage.files.${fileIndex}.contents`);
    list(file, 'append').forEach((r, j) => visit(r, `$.storage.files.${fileIndex}.append.${j}`));
  });
}

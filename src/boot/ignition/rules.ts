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

/** True when `p` is what Go's path.Clean would make of it. */
function isClean(p: string): boolean {
  return posix.normalize(p).replace(/(.)\/$/, '$1') === p;
}

function checkNodePath(v: Obj, path: string, ctx: RuleContext): void {
  const p = v['path'];
  if (typeof p !== 'string' || p === '') ctx.error(`${path}.path`, 'path not specified');
  else if (!p.startsWith('/')) ctx.error(`${path}.path`, 'path not absolute');
  else if (!isClean(p)) ctx.error(`${path}.path`, 'path is not fully simplified');
}

function checkMode(v: Obj, path: string, ctx: RuleContext): void {
  const mode = v['mode'];
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
  owner: (v, path, ctx) => {
    if (hasValue(v['id']) && typeof v['name'] === 'string' && v['name'] !== '') {
      ctx.error(path, 'cannot set both id and name');
    }
  },
  file: (v, path, ctx) => {
    checkNodePath(v, path, ctx);
    checkMode(v, path, ctx);
    const source = (v['contents'] as Obj | null | undefined)?.['source'];
    if (v['overwrite'] === true && (typeof source !== 'string' || source === '')) {
      ctx.error(`${path}.overwrite`, 'overwrite must be false if source is unspecified');
    }
  },
  directory: (v, path, ctx) => {
    checkNodePath(v, path, ctx);
    checkMode(v, path, ctx);
  },
  link: (v, path, ctx) => {
    checkNodePath(v, path, ctx);
    if (ctx.minor >= 3 && (typeof v['target'] !== 'string' || v['target'] === '')) {
      ctx.error(`${path}.target`, 'link target is required');
    }
  },
  unit: (v, path, ctx) => {
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    const dot = name.lastIndexOf('.');
    if (dot < 0 || !UNIT_TYPES.has(name.slice(dot + 1))) ctx.error(`${path}.name`, 'invalid systemd unit extension');
    const contents = typeof v['contents'] === 'string' ? v['contents'] : '';
    if (v['enabled'] === true && contents !== '' && !/^\s*\[Install\]/m.test(contents)) {
      ctx.warn(`${path}.contents`, `unit "${name}" is enabled, but has no install section so enable does nothing`);
    }
  },
  dropin: (v, path, ctx) => {
    const name = typeof v['name'] === 'string' ? v['name'] : '';
    if (!name.endsWith('.conf')) ctx.error(`${path}.name`, 'invalid systemd drop-in extension');
  },
  header: (v, path, ctx) => {
    if (typeof v['name'] !== 'string' || v['name'] === '') ctx.error(`${path}.name`, "HTTP header name can't be empty");
  },
  filesystem: (v, path, ctx) => {
    const format = v['format'];
    if (typeof format === 'string' && !FS_FORMATS.has(format) && !(format === 'none' && ctx.minor >= 3)) {
      ctx.error(`${path}.format`, 'invalid filesystem format');
    }
  },
};

const list = (o: unknown, key: string): unknown[] => {
  const v = o && typeof o === 'object' ? (o as Obj)[key] : undefined;
  return Array.isArray(v) ? v : [];
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
  users.forEach((u, i) => {
    dups(
      list(u, 'sshAuthorizedKeys').map((k, j) => ({ key: k, path: `$.passwd.users.${i}.sshAuthorizedKeys.${j}` })),
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
  list(cfg['storage'], 'files').forEach((f, i) => {
    const contents = (f as Obj | null)?.['contents'];
    if (contents) visit(contents, `$.storage.files.${i}.contents`);
    list(f, 'append').forEach((r, j) => visit(r, `$.storage.files.${i}.append.${j}`));
  });
}

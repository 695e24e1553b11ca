/**
 * Generates Ignition configs for the agreement test: valid configs from the builder, then
 * single mutations that each break (or deliberately keep) one rule.
 */
import { IgnitionBuilder, sha512Hash, type IgnitionVersion } from '../../src/boot/ignition/builder';

/** A small seeded PRNG (mulberry32) so every run generates the same configs. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const TEXTS = ['node1\n', 'hello world', '100% done', 'a/b:c?d=e&f#g', 'ümlaut ✓', '', '[x] "q"\\n'];

/** A valid config from the builder. */
export function validConfig(random: () => number): Record<string, unknown> {
  const version = pick(random, ['3.1.0', '3.2.0', '3.3.0'] as IgnitionVersion[]);
  const builder = new IgnitionBuilder(version);
  const files = 1 + Math.floor(random() * 4);
  for (let i = 0; i < files; i++)
    builder.file(`/etc/gen/f${i}`, pick(random, TEXTS), { mode: pick(random, [0o644, 0o600, 0o755]) });
  if (random() < 0.5)
    builder.file('/opt/bin/tool', { source: 'https://example.com/tool', hash: sha512Hash('x') }, { mode: 0o755 });
  if (random() < 0.5) builder.directory('/var/lib/gen', { user: 'core', group: 0 });
  if (random() < 0.5) builder.link('/etc/localtime', '../usr/share/zoneinfo/UTC');
  if (random() < 0.7)
    builder.unit('gen.service', {
      enabled: true,
      contents: '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
    });
  if (random() < 0.5)
    builder.unit('kubelet.service', { dropins: [{ name: '10-gen.conf', contents: '[Service]\nEnvironment=A=1\n' }] });
  if (random() < 0.7)
    builder.user('core', { sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGen gen@host'] });
  if (version === '3.3.0' && random() < 0.5)
    builder.kernelArguments({ shouldExist: ['console=ttyS0'], shouldNotExist: ['quiet'] });
  if (random() < 0.4) builder.merge({ source: 'https://10.0.0.1:22623/config/worker' });
  if (random() < 0.4) builder.certificateAuthority('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  return builder.toObject();
}

type Cfg = Record<string, any>;

/** Named mutations; each takes a valid config and changes one thing. */
export const MUTATIONS: Record<string, (c: Cfg, r: () => number) => void> = {
  relativePath: (c) => {
    c.storage.files[0].path = 'etc/x';
  },
  uncleanPath: (c, r) => {
    c.storage.files[0].path = pick(r, ['/etc/../etc/x', '/etc//x', '/etc/x/', '/etc/./x']);
  },
  rootPath: (c) => {
    c.storage.files[0].path = '/';
  },
  emptyPath: (c) => {
    c.storage.files[0].path = '';
  },
  dupFileDir: (c) => {
    (c.storage.directories ??= []).push({ path: c.storage.files[0].path });
  },
  dupFileLink: (c) => {
    (c.storage.links ??= []).push({ path: c.storage.files[0].path, target: '/x' });
  },
  underLink: (c) => {
    (c.storage.links ??= []).push({ path: '/etc/gen', target: '/x' });
  },
  badScheme: (c, r) => {
    c.storage.files[0].contents.source = pick(r, ['ftp://x/y', '/y', 'file:///y', 'arn:aws:s3:::b/k']);
  },
  gsScheme: (c) => {
    c.storage.files[0].contents.source = 'gs://bucket/key';
  },
  badUrl: (c, r) => {
    c.storage.files[0].contents.source = pick(r, ['http://x:abc/', 'http://x/%zz', 'http://x y/']);
  },
  rawDataUrl: (c, r) => {
    c.storage.files[0].contents.source = 'data:,' + pick(r, ['hello world', '100%', 'a#b', 'a%2', 'ok-text']);
  },
  base64DataUrl: (config, random) => {
    config.storage.files[0].contents.source = pick(random, [
      'data:;base64,aGk=',
      'data:;base64,aGk',
      'data:text/plain;charset=utf-8;base64,aGk=',
      'data:text/plain;foo,x',
    ]);
  },
  badHash: (config, random) => {
    config.storage.files[0].contents = {
      source: 'https://x/y',
      verification: { hash: pick(random, ['sha512abc', 'md5-00', 'sha512-00', 'sha256-' + 'a'.repeat(64), '']) },
    };
  },
  hashNoSource: (c) => {
    c.storage.files[0].contents = { verification: { hash: sha512Hash('x') } };
  },
  badMode: (c, r) => {
    c.storage.files[0].mode = pick(r, [-1, 4096, 99999, 4095, 0]);
  },
  stringMode: (c) => {
    c.storage.files[0].mode = '420';
  },
  overwriteNoSource: (c) => {
    c.storage.files[0] = { path: c.storage.files[0].path, overwrite: true };
  },
  badCompression: (c, r) => {
    c.storage.files[0].contents.compression = pick(r, ['xz', 'gzip', '']);
  },
  badVersion: (c, r) => {
    c.ignition.version = pick(r, ['3.4.0', '2.2.0', '3.x', '3.3', '3.0.0', '4.0.0']);
  },
  unitExt: (c, r) => {
    (c.systemd ??= { units: [] }).units.push({ name: pick(r, ['foo', 'foo.conf', 'foo.timer', 'foo.service']) });
  },
  dropinExt: (c) => {
    (c.systemd ??= { units: [] }).units.push({ name: 'z.service', dropins: [{ name: 'x.txt' }] });
  },
  dupUnit: (c) => {
    (c.systemd ??= { units: [] }).units.push({ name: 'dup.service' }, { name: 'dup.service' });
  },
  dupUser: (c) => {
    (c.passwd ??= { users: [] }).users.push({ name: 'u1' }, { name: 'u1' });
  },
  dupKey: (c) => {
    (c.passwd ??= { users: [] }).users.push({ name: 'u2', sshAuthorizedKeys: ['k', 'k'] });
  },
  dupCa: (c) => {
    c.ignition.security = { tls: { certificateAuthorities: [{ source: 'data:,ca' }, { source: 'data:,ca' }] } };
  },
  mergeNoSource: (c) => {
    c.ignition.config = { merge: [{ compression: 'gzip' }] };
  },
  unknownKey: (config) => {
    config.storag = {};
    config.ignition.foo = 1;
  },
  kargsEverywhere: (c) => {
    c.kernelArguments = { shouldExist: ['a'], shouldNotExist: ['a'] };
  },
  linkNoTarget: (c) => {
    (c.storage.links ??= []).push({ path: '/lnk' });
  },
  ownerBoth: (c) => {
    c.storage.files[0].user = { id: 1, name: 'core' };
  },
  headersOnData: (c) => {
    c.storage.files[0].contents.httpHeaders = [{ name: 'A', value: 'b' }];
  },
  emptyHeaderName: (c) => {
    c.storage.files[0].contents = { source: 'https://x/', httpHeaders: [{ name: '', value: 'b' }] };
  },
  proxy: (c, r) => {
    c.ignition.proxy = { httpProxy: pick(r, ['http://p:3128', 'ftp://p', 'socks5://p']) };
  },
  fsFormat: (c, r) => {
    c.storage.filesystems = [{ device: '/dev/vdb', format: pick(r, ['xfs', 'none', 'zfs']) }];
  },
  typeError: (config, random) => {
    pick(random, [
      () => {
        config.storage.files = {};
      },
      () => {
        config.systemd = { units: [{ name: 1 }] };
      },
      () => {
        config.storage.files[0].overwrite = 'yes';
      },
    ])();
  },
};

/** `count` configs: a third valid, the rest with one mutation each; each has a label for reports. */
export function generate(seed: number, count: number): Array<{ label: string; text: string }> {
  const random = rng(seed);
  const names = Object.keys(MUTATIONS);
  const out: Array<{ label: string; text: string }> = [];
  for (let i = 0; i < count; i++) {
    const config = validConfig(random) as Cfg;
    config.storage ??= {};
    config.storage.files ??= [{ path: '/etc/only', contents: { source: 'data:,x' }, mode: 420 }];
    let label = 'valid';
    if (i % 3 !== 0) {
      label = names[i % names.length]!;
      MUTATIONS[label]!(config, random);
    }
    out.push({ label: `${i}:${label}`, text: JSON.stringify(config) });
  }
  return out;
}

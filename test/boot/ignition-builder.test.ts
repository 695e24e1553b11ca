import { IgnitionBuilder, pointerConfig, sha512Hash } from '../../src/boot/ignition/builder';
import { checkDataUrl, toDataUrl } from '../../src/boot/ignition/dataurl';
import { validateIgnition } from '../../src/boot/ignition/validate';
import { BootError } from '../../src/boot/errors';

function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  const head = url.slice(5, comma);
  const data = url.slice(comma + 1);
  return head.endsWith(';base64') ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
}

describe('data URLs', () => {
  it.each(['node1\n', 'hello world', '100% done', 'a/b:c?d=e&f#g', 'ümlaut ✓', '', '"quoted" \\ [x]'])(
    'round-trips %j and passes the check',
    (text) => {
      const url = toDataUrl(text);
      expect(checkDataUrl(url)).toBeUndefined();
      expect(decodeDataUrl(url).toString('utf8')).toBe(text);
    },
  );

  it('picks base64 for binary data', () => {
    const bin = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 255);
    const url = toDataUrl(bin);
    expect(url.startsWith('data:;base64,')).toBe(true);
    expect(decodeDataUrl(url)).toEqual(Buffer.from(bin));
  });

  it.each([
    ['data:,hello world', 'invalid data character'],
    ['data:,100%', 'unexpected end'],
    ['data:;base64,aGk', 'illegal base64'],
    ['data:a', 'missing media type slash'],
  ])('rejects %s', (url, msg) => {
    expect(checkDataUrl(url)).toContain(msg);
  });
});

describe('IgnitionBuilder', () => {
  it('builds a full config that validates', () => {
    const json = new IgnitionBuilder('3.3.0')
      .file('/etc/hostname', 'master-0\n', { mode: 0o644 })
      .file(
        '/usr/local/bin/tool',
        { source: 'https://example.com/tool', hash: sha512Hash('tool') },
        { mode: 0o755, user: 'root', group: 0 },
      )
      .directory('/var/lib/app')
      .link('/etc/localtime', '/usr/share/zoneinfo/UTC')
      .unit('app.service', {
        enabled: true,
        contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
      })
      .unit('kubelet.service', { dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=X=1\n' }] })
      .user('core', { sshAuthorizedKeys: ['ssh-ed25519 AAAA core'] })
      .kernelArguments({ shouldExist: ['console=ttyS0'] })
      .build();
    const cfg = JSON.parse(json);
    expect(cfg.ignition.version).toBe('3.3.0');
    expect(cfg.storage.files[0]).toEqual({
      path: '/etc/hostname',
      contents: { source: 'data:,master-0%0A' },
      mode: 420,
    });
    expect(cfg.storage.files[1].contents.verification.hash).toMatch(/^sha512-[0-9a-f]{128}$/);
    expect(cfg.storage.files[1].user).toEqual({ name: 'root' });
    expect(cfg.storage.files[1].group).toEqual({ id: 0 });
    expect(cfg.kernelArguments.shouldExist).toEqual(['console=ttyS0']);
    expect(validateIgnition(json).valid).toBe(true);
  });

  it('makes an OpenShift-style pointer config with a CA', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const cfg = JSON.parse(pointerConfig({ url: 'https://10.0.0.10:22623/config/worker', caPem: pem }).build());
    expect(cfg.ignition.config.merge).toEqual([{ source: 'https://10.0.0.10:22623/config/worker' }]);
    expect(decodeDataUrl(cfg.ignition.security.tls.certificateAuthorities[0].source).toString()).toBe(pem);
    expect(cfg.ignition.version).toBe('3.2.0');
  });

  it('refuses kernel arguments before 3.3 and unknown versions', () => {
    expect(() => new IgnitionBuilder('3.2.0').kernelArguments({ shouldExist: ['a'] })).toThrow(/3\.3\.0/);
    expect(() => new IgnitionBuilder('3.4.0' as never)).toThrow(BootError);
  });

  it('build() reports every rule broken', () => {
    const builder = new IgnitionBuilder()
      .file('etc/relative', 'x')
      .file('/a/../b', 'y')
      .link('/l', '/t')
      .directory('/l');
    expect(() => builder.build()).toThrow(/path not absolute.*path is not fully simplified.*duplicate entry/);
  });

  it('keeps gzip compression for remote sources', () => {
    const data = 'payload';
    const cfg = JSON.parse(
      new IgnitionBuilder('3.1.0')
        .replace({ source: 'https://x/cfg.gz', compression: 'gzip', hash: sha512Hash(data) })
        .build(),
    );
    expect(cfg.ignition.config.replace.compression).toBe('gzip');
  });
});

describe('validateIgnition', () => {
  it.each([
    ['', 'not a config (empty)'],
    ['{"ignition":{"version":"3.4.0"}}', 'unsupported config version'],
    ['{"ignition":{"version":"3.x"}}', "couldn't parse"],
    ['{"ignition":{"version":"3.2.0"},"storage":{"files":[{"path":"/a","mode":"420"}]}}', 'cannot decode'],
    [
      '{"ignition":{"version":"3.0.0"},"storage":{"files":[{"path":"/a","contents":{"source":"https://x/","verification":{"hash":"sha256-' +
        'a'.repeat(64) +
        '"}}}]}}',
      'unrecognized hash function',
    ],
    ['{"ignition":{"version":"3.3.0","config":{"merge":[{}]}}}', 'source is required'],
  ])('rejects %s', (text, msg) => {
    const result = validateIgnition(text);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.message).join('|')).toContain(msg);
  });

  it('warns (only) on unknown keys', () => {
    const result = validateIgnition('{"ignition":{"version":"3.3.0"},"storag":{}}');
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([{ path: '$.storag', message: 'Unused key storag' }]);
  });
});

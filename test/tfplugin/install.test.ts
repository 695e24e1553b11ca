/** Installation into a filesystem mirror, as `ovirt-cdktf install-provider` does it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installProvider, platform } from '../../src/tfplugin/install';

describe('installProvider', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfinst-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an executable launcher in the mirror layout and a CLI config (mirror for this provider, direct for the rest)', () => {
    const entry = path.join(dir, 'main.js');
    fs.writeFileSync(entry, '');
    const result = installProvider({
      mirrorDir: path.join(dir, 'm'),
      entry,
      hostname: 'terraform.local',
      namespace: 'ovirt-cdktf',
      type: 'ovirt',
      version: '0.1.0',
      cliConfigPath: path.join(dir, 'c.tfrc'),
    });
    expect(result.source).toBe('terraform.local/ovirt-cdktf/ovirt');
    expect(result.executable).toBe(
      path.join(dir, 'm', 'terraform.local', 'ovirt-cdktf', 'ovirt', '0.1.0', platform(), 'terraform-provider-ovirt'),
    );
    expect(fs.statSync(result.executable).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(result.executable, 'utf8')).toMatch(
      /^#!\/bin\/sh\n[\s\S]*exec '.*node' '.*main\.js' "\$@"\n$/,
    );
    const cfg = fs.readFileSync(result.cliConfigPath, 'utf8');
    expect(cfg).toMatch(/filesystem_mirror \{[\s\S]*include = \["terraform.local\/ovirt-cdktf\/ovirt"\]/);
    expect(cfg).toMatch(/direct \{[\s\S]*exclude = \["terraform.local\/ovirt-cdktf\/ovirt"\]/);
    const before = fs.statSync(result.executable).mtimeMs;
    installProvider({
      mirrorDir: path.join(dir, 'm'),
      entry,
      hostname: 'terraform.local',
      namespace: 'ovirt-cdktf',
      type: 'ovirt',
      version: '0.1.0',
    });
    expect(fs.statSync(result.executable).mtimeMs).toBe(before); // unchanged bytes keep the lock-file hash valid
  });

  it('rejects a missing entry and a non-semver version with clear messages', () => {
    const base = {
      mirrorDir: dir,
      hostname: 'h.local',
      namespace: 'n',
      type: 't',
      version: '0.1.0',
      entry: path.join(dir, 'nope.js'),
    };
    expect(() => installProvider(base)).toThrow(/does not exist \(run `npm run build` first\)/);
    fs.writeFileSync(path.join(dir, 'e.js'), '');
    expect(() => installProvider({ ...base, entry: path.join(dir, 'e.js'), version: 'latest' })).toThrow(/not semver/);
  });
});

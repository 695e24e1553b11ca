/** The demo's pure parts: options, iPXE expansion as the firmware does it, the summary table. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chainTarget, expandSettings, ignitionTarget } from '../../src/cli/demo/boot-chain';
import { parseDemoArgs } from '../../src/cli/demo/options';
import { privateDir } from '../../src/cli/demo/private-dir';
import { pgStateBackend } from '../../src/cli/demo/state-backend';
import { formatTable, managedVmIds, maskToken, type NodeRow } from '../../src/cli/demo/summary';

describe('demo options', () => {
  it('defaults to realistic delays, fixed ports, PXE mode and waiting for Ctrl-C', () => {
    const options = parseDemoArgs([], '/repo', '/home/u');
    expect(options).toMatchObject({
      destroy: false,
      delays: 'realistic',
      enginePort: 18443,
      bootPort: 18080,
      mode: 'pxe',
      workDir: path.resolve('/home/u/.ovirt-cdktf'),
      appDir: path.join('/repo', 'examples', 'openshift-ipi'),
    });
  });

  it('reads every option, also in --flag=value form', () => {
    const options = parseDemoArgs(
      [
        '--destroy',
        '--delays=none',
        '--engine-port',
        '0',
        '--boot-port=9',
        '--work-dir',
        'w',
        '--mode',
        'template',
        '--parallelism',
        '3',
      ],
      '/r',
      '/c',
    );
    expect(options).toMatchObject({
      destroy: true,
      delays: 'none',
      enginePort: 0,
      bootPort: 9,
      workDir: '/c/w',
      mode: 'template',
      parallelism: 3,
    });
  });

  it('serves a real machine: listen address, public URL and an HTTP images mirror', () => {
    const options = parseDemoArgs(
      ['--host', '0.0.0.0', '--public-url', 'http://192.168.50.10:18080/', '--images=http://mirror.lan/rhcos'],
      '/r',
      '/c',
    );
    expect(options).toMatchObject({
      bootHost: '0.0.0.0',
      publicUrl: 'http://192.168.50.10:18080',
      imagesUrl: 'http://mirror.lan/rhcos',
    });
    expect(parseDemoArgs([], '/r').bootHost).toBe('127.0.0.1');
  });

  it('takes a PostgreSQL state backend, whose credentials go to terraform only, and never echoes a bad one', () => {
    const url = 'postgres://tf%40team:s3cr%2Ft@db.lan:5432/terraform?sslmode=require';
    expect(parseDemoArgs(['--state-backend', url], '/r').stateBackend).toBe(url);
    expect(pgStateBackend(url)).toEqual({
      connStr: 'postgres://db.lan:5432/terraform?sslmode=require',
      credentials: { PGUSER: 'tf@team', PGPASSWORD: 's3cr/t' },
    });
    expect(pgStateBackend('postgres://db.lan/terraform')).toEqual({
      connStr: 'postgres://db.lan/terraform',
      credentials: {},
    });
    expect(() => parseDemoArgs(['--state-backend', 'mysql://u:hunter2@db/x'], '/r')).toThrow(
      '--state-backend needs a postgres:// URL, e.g. postgres://tf@db.example/terraform',
    );
    expect(() => parseDemoArgs(['--state-backend', 'mysql://u:hunter2@db/x'], '/r')).not.toThrow(/hunter2/);
  });

  it.each([
    [['--delays', 'slow'], /--delays must be none, fast or realistic, got "slow"/],
    [['--boot-port', '70000'], /--boot-port needs a port number 0..65535, got "70000"/],
    [['--engine-port'], /--engine-port needs a value/],
    [['--mode', 'iso'], /--mode must be pxe or template/],
    [['--parallelism', '0'], /--parallelism needs a whole number >= 1/],
    [['--public-url', '192.168.50.10:18080'], /--public-url needs a URL such as http:\/\/192\.168\.50\.10:18080/],
    [['--public-url', 'tftp://192.168.50.10/'], /--public-url needs an http:\/\/ or https:\/\/ URL/],
    [['--images', 'not a url'], /--images needs a URL/],
  ])('refuses %j', (args, message) => {
    expect(() => parseDemoArgs(args, '/r')).toThrow(message);
  });
});

describe('boot chain helpers', () => {
  const machine = { mac: '56:6F:1A:00:00:0B', uuid: 'ABCDEF01-0000-4000-8000-000000000001' };

  it('expands iPXE settings the way iPXE does', () => {
    expect(
      expandSettings(
        'ipxe?mac=${mac:hexhyp}&uuid=${uuid}&raw=${mac:hexraw}&a=${buildarch}&x=${net0/mac}&n=${nope}',
        machine,
      ),
    ).toBe(
      'ipxe?mac=56-6f-1a-00-00-0b&uuid=abcdef01-0000-4000-8000-000000000001&raw=566f1a00000b&a=x86_64&x=56:6f:1a:00:00:0b&n=',
    );
  });

  it('finds the chain target and the Ignition URL in scripts', () => {
    expect(chainTarget('#!ipxe\necho hi\nchain --autofree ipxe?mac=${mac}\n')).toBe('ipxe?mac=${mac}');
    expect(chainTarget('#!ipxe\nexit\n')).toBeUndefined();
    expect(ignitionTarget('kernel k initrd=main coreos.inst.ignition_url=http://b/ignition?mac=1 ip=dhcp')).toBe(
      'http://b/ignition?mac=1',
    );
    expect(ignitionTarget('kernel k ignition.config.url=http://b/ignition/t0k ignition.firstboot')).toBe(
      'http://b/ignition/t0k',
    );
    expect(ignitionTarget('#!ipxe\nsanboot --drive 0x80\n')).toBeUndefined();
  });
});

describe('summary', () => {
  it('lists only managed ovirt_vm ids from terraform show -json', () => {
    expect(
      managedVmIds({
        values: {
          root_module: {
            resources: [
              { type: 'ovirt_vm', values: { id: 'a' } },
              { type: 'ovirt_nic', values: { id: 'n' } },
              { type: 'ovirt_vm', mode: 'data', values: { id: 'd' } },
              { type: 'ovirt_vm', mode: 'managed', values: { id: 'b' } },
            ],
          },
        },
      }),
    ).toEqual(['a', 'b']);
    expect(managedVmIds({})).toEqual([]);
  });

  it('masks token URLs and aligns columns', () => {
    expect(maskToken('http://h:1/ignition/abcdefghijkl')).toBe('http://h:1/ignition/abcd…');
    expect(maskToken('http://h:1/ignition?mac=aa')).toBe('http://h:1/ignition?mac=aa');
    const row: NodeRow = {
      vm: 'ocp-master-0',
      vmId: 'id',
      role: 'master',
      status: 'up',
      mac: '56:6f:00:00:00:01',
      ip: '10.88.0.2',
      ipxeUrl: 'http://b/ipxe?mac=56:6f:00:00:00:01',
      ignitionUrl: 'http://b/ignition/secrettoken',
    };
    const lines = formatTable([row, { ...row, vm: 'w', role: 'worker' }]).split('\n');
    expect(lines[0]).toMatch(/^VM +ROLE +STATUS +MAC +IP +iPXE URL +IGNITION URL$/);
    expect(lines[2]).toContain('http://b/ignition/secr…');
    expect(lines.join('\n')).not.toContain('secrettoken');
    expect(lines[2]!.indexOf(' master ')).toBe(lines[3]!.indexOf(' worker '));
  });
});

describe('the working folder', () => {
  it('is tightened when it already exists: folders 0700, files without group and other bits', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-private-'));
    try {
      const work = path.join(root, '.ovirt-cdktf');
      fs.mkdirSync(path.join(work, 'cdktf.out', 'stacks', 'ocp'), { recursive: true, mode: 0o755 });
      const files = {
        state: path.join(work, 'cdktf.out', 'stacks', 'ocp', 'terraform.tfstate'),
        launcher: path.join(work, 'launcher'),
      };
      fs.writeFileSync(files.state, '{"ignition": "secret"}');
      fs.writeFileSync(files.launcher, '#!/bin/sh\n');
      fs.chmodSync(work, 0o755);
      fs.chmodSync(files.state, 0o644);
      fs.chmodSync(files.launcher, 0o755);
      privateDir(work);
      const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
      expect([
        mode(work),
        mode(path.join(work, 'cdktf.out', 'stacks')),
        mode(files.state),
        mode(files.launcher),
      ]).toEqual(['700', '700', '600', '700']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

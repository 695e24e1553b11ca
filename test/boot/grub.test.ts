/**
 * Matchbox parity: /metadata, templated Ignition, and GRUB configs from the same entries (UEFI HTTP boot / GRUB network boot): the chain config, the
 * per-machine config rendered for the MAC GRUB sends (GRUB expands no iPXE variables), its Ignition
 * URL working as given, and one-shot.
 */
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { renderIgnition } from '../../src/boot/ignition/template';
import { grubBootConfig } from '../../src/boot/ipxe/grub';
import { MemoryStore } from '../../src/boot/server/store';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';

const TOKEN = 'grub-test-admin-token-0001';
const ignition = new IgnitionBuilder('3.2.0').file('/etc/motd', 'grub\n').build();

describe('GRUB answers', () => {
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  beforeAll(async () => {
    srv = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => undefined });
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
  });
  afterAll(async () => {
    await admin.close();
    await srv.stop();
  });

  it("chains, renders the machine's config, serves its Ignition, then sends it to its disk", async () => {
    const host = new URL(srv.url).host;
    await admin.put({
      name: 'uefi-0',
      selectors: { macs: ['52:54:00:0e:f1:00'] },
      one_shot: true,
      ignition,
      ipxe: {
        kernel: '/assets/kernel',
        initrd: ['--name main /assets/initrd'],
        args: ['console=ttyS0,115200n8', 'ignition.config.url={{ignition_url}}'],
      },
    });
    expect(await (await fetch(`${srv.url}/grub.cfg`)).text()).toBe(
      [
        'set timeout=1',
        'smbios --type 1 --get-uuid 8 --set machine_uuid',
        `source "(http,${host})/grub?mac=\${net_default_mac}&uuid=\${machine_uuid}"`,
        '',
      ].join('\n'),
    );
    // What GRUB sends after expanding its variables: the MAC with colons, an empty UUID.
    const config = await (await fetch(`${srv.url}/grub?mac=52:54:00:0e:f1:00&uuid=`)).text();
    expect(config).toBe(
      [
        'set timeout=1',
        "menuentry 'uefi-0' {",
        `  linux '(http,${host})/assets/kernel' 'console=ttyS0,115200n8' 'ignition.config.url=${srv.url}/ignition?entry=uefi-0&mac=52-54-00-0e-f1-00&uuid='`,
        `  initrd '(http,${host})/assets/initrd'`,
        '}',
        '',
      ].join('\n'),
    );
    const url = /'ignition\.config\.url=([^']+)'/.exec(config)![1]!;
    expect(await (await fetch(url)).text()).toBe(ignition);
    expect(await (await fetch(`${srv.url}/grub?mac=52:54:00:0e:f1:00&uuid=`)).text()).toMatch(/\nexit\n$/);
  });

  it("serves an entry's metadata, labels and the machine's facts at /metadata", async () => {
    await admin.put({
      name: 'meta-0',
      selectors: { macs: ['52:54:00:0e:f1:01'], labels: { role: 'worker' } },
      metadata: { hostname: 'w0.lan', 'static-ip': '10.0.0.5/24' },
    });
    const res = await fetch(`${srv.url}/metadata?mac=52-54-00-0e-f1-01&role=worker`);
    expect(await res.text()).toBe(
      'ENTRY=meta-0\nMAC=52:54:00:0e:f1:01\nROLE=worker\nHOSTNAME=w0.lan\nSTATIC_IP=10.0.0.5/24\n',
    );
    await expect(admin.put({ name: 'meta-1', metadata: { k: 'a\nb' } })).rejects.toThrow(
      /400: metadata\.k: must be one line/,
    );
  });

  it('renders a templated Ignition per machine, escaped and validated', async () => {
    const template = JSON.stringify({
      ignition: { version: '3.2.0' },
      storage: {
        files: [
          { path: '/etc/hostname', contents: { source: 'data:,{{hostname}}' } },
          { path: '/etc/machine-{{mac}}', contents: { source: 'data:,{{note}}' } },
        ],
      },
    });
    await admin.put({
      name: 'tmpl-0',
      selectors: { macs: ['52:54:00:0e:f1:02'] },
      metadata: { hostname: 'w2.lan', note: 'say%20hi' },
      ignition: template,
      ignition_template: true,
    });
    const served = JSON.parse(await (await fetch(`${srv.url}/ignition?mac=52-54-00-0e-f1-02`)).text()) as {
      storage: { files: Array<{ path: string; contents: { source: string } }> };
    };
    expect(served.storage.files.map((f) => [f.path, f.contents.source])).toEqual([
      ['/etc/hostname', 'data:,w2.lan'],
      ['/etc/machine-52:54:00:0e:f1:02', 'data:,say%20hi'],
    ]);
    await expect(
      admin.put({
        name: 'tmpl-1',
        ignition: template.replace('{{note}}', '{{nope}}'),
        metadata: { hostname: 'x' },
        ignition_template: true,
      }),
    ).rejects.toThrow(/400: ignition: the template uses \{\{nope\}\}/);
    await expect(
      admin.put({
        name: 'tmpl-2',
        ignition: template.replace('/etc/hostname', '{{p}}'),
        metadata: { hostname: 'x', note: 'n', p: 'relative' },
        ignition_template: true,
      }),
    ).rejects.toThrow(/400: ignition \(rendered\): .*path not absolute/);
  });

  it("escapes values: a value cannot change the config's structure", () => {
    const out = renderIgnition(
      '{"ignition":{"version":"3.2.0"},"storage":{"files":[{"path":"/etc/{{x}}"}]}}',
      new Map([['x', 'a","mode":511,"y":"']]),
    );
    expect((JSON.parse(out) as { storage: { files: Array<Record<string, unknown>> } }).storage.files[0]).toEqual({
      path: '/etc/a","mode":511,"y":"',
    });
  });

  it('refuses what GRUB cannot fetch or quote', () => {
    expect(() => grubBootConfig('x', { kernel: 'https://mirror/k', initrd: [], args: [] }, 'http://srv')).toThrow(
      /plain HTTP only/,
    );
    expect(() => grubBootConfig('x', { kernel: '/k', initrd: [], args: ["a='b'"] }, 'http://srv')).toThrow(
      /cannot be written into a GRUB config/,
    );
    expect(() => grubBootConfig('x', { kernel: '/k', initrd: [], args: ['x=${buildarch}'] }, 'http://srv')).toThrow(
      /unexpanded variable/,
    );
  });
});

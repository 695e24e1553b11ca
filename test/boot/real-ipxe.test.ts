/**
 * The chain with real firmware: Debian's iPXE ROM (`ipxe-qemu`) in QEMU machines (SeaBIOS, and
 * OVMF for UEFI; TCG, no KVM needed) boots from `/boot.ipxe` over QEMU's user network, which reaches this host's loopback
 * at 10.0.2.2. iPXE itself expands `${mac:hexhyp}`, `${platform}` and the rest, so what issue 16
 * found with real ROMs is checked against the real thing: a label-selected entry's Ignition URL
 * selects that entry (not a default one), a token entry's fetch is recorded under the machine, and
 * a one-shot machine gets the local-boot answer (`sanboot` on BIOS, leaving to the firmware on
 * UEFI) on its next chain. Skips with a message when `qemu-system-x86_64` (or, for UEFI, `ovmf`)
 * is not installed (`.ci/run` installs both).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { BootAdminClient } from '../../src/boot/client';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';

const QEMU = 'qemu-system-x86_64';
const haveQemu = spawnSync(QEMU, ['--version']).status === 0;
if (!haveQemu) console.warn(`test/boot/real-ipxe.test.ts skipped: ${QEMU} is not installed (Debian qemu-system-x86)`);
/** UEFI firmware for QEMU (Debian ovmf); iPXE then runs from the EFI half of the same ROM. */
const OVMF = '/usr/share/ovmf/OVMF.fd';
if (haveQemu && !existsSync(OVMF)) console.warn(`test/boot/real-ipxe.test.ts: the UEFI case is skipped: no ${OVMF}`);

const TOKEN = 'real-ipxe-admin-token-0123';
/** Fetches the Ignition as an installer would, then chains again: the next answer is the local boot. */
const SCRIPT = [
  '#!ipxe',
  'imgfetch {{ignition_url}} || goto failed',
  'chain --autofree {{base_url}}/boot.ipxe',
  ':failed',
  'echo ignition fetch failed',
].join('\n');
const config = (path: string) => new IgnitionBuilder('3.2.0').file(path, 'x\n').build();

/** A QEMU machine (BIOS, or UEFI with `uefi`) that network-boots `bootfile` from its virtio NIC's iPXE ROM. */
function machine(mac: string, uuid: string, bootfile: string, uefi = false): ChildProcess {
  return spawn(
    QEMU,
    [
      ...['-accel', 'tcg', '-m', '256', '-nodefaults', '-display', 'none', '-boot', 'order=n', '-uuid', uuid],
      ...(uefi ? ['-bios', OVMF] : []),
      ...['-netdev', `user,id=net0,bootfile=${bootfile}`, '-device', `virtio-net-pci,netdev=net0,mac=${mac}`],
    ],
    { stdio: 'ignore' },
  );
}

(haveQemu ? describe : describe.skip)('the boot chain with a real iPXE ROM (QEMU, BIOS and UEFI)', () => {
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  const machines: ChildProcess[] = [];
  const logs: string[] = [];
  beforeAll(async () => {
    srv = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: (l) => logs.push(l) });
    // What the machines reach: QEMU's user network maps 10.0.2.2 to this host's loopback.
    srv.service.setBaseUrl(`http://10.0.2.2:${new URL(srv.url).port}`);
    admin = new BootAdminClient({ url: srv.url, token: TOKEN });
  });
  afterAll(async () => {
    for (const qemu of machines) if (qemu.exitCode === null) qemu.kill('SIGKILL');
    await Promise.all(
      machines.map((qemu) => (qemu.exitCode === null ? new Promise((r) => qemu.once('exit', r)) : undefined)),
    );
    await admin?.close();
    await srv?.stop();
  });

  it('serves each machine its own entry and Ignition, records it under its MAC, then boots it locally', async () => {
    const uefi = existsSync(OVMF);
    // A catch-all that must not answer the label-selected machines' Ignition fetches.
    await admin.put({ name: 'catch-all', ipxe: { script: SCRIPT }, ignition: config('/etc/catch-all') });
    const byPlatform = (platform: string) =>
      admin.put({
        name: platform,
        selectors: { labels: { platform } },
        ipxe: { script: SCRIPT },
        ignition: config(`/etc/${platform}`),
        one_shot: true,
        // BIOS drive numbers mean nothing to UEFI: there the answer must leave to the firmware.
        local_boot: 'sanboot',
      });
    await byPlatform('pcbios');
    if (uefi) await byPlatform('efi');
    const tokenEntry = await admin.put({
      name: 'by-token',
      selectors: { macs: ['52:54:00:16:00:02'] },
      ipxe: { script: SCRIPT },
      ignition: config('/etc/by-token'),
      one_shot: true,
      require_token: true,
      allowed_sources: ['127.0.0.0/8'],
    });
    const bootfile = `http://10.0.2.2:${new URL(srv.url).port}/boot.ipxe`;
    const expected: Array<[string, string]> = [
      ['pcbios', '52:54:00:16:00:01'],
      ['by-token', '52:54:00:16:00:02'],
      ...(uefi ? [['efi', '52:54:00:16:00:03'] as [string, string]] : []),
    ];
    for (const [name, mac] of expected)
      machines.push(machine(mac, `4c4c4544-0044-3010-8052-b4c04f4e37${mac.slice(-2)}`, bootfile, name === 'efi'));
    const localBoots = async () =>
      Promise.all(expected.map(async ([name]) => (await admin.get(name))!.machines[0]?.local_boots ?? 0));
    // Each machine fetches its Ignition, chains again and gets the local-boot answer (BIOS takes
    // seconds under TCG, OVMF about a minute; more on a loaded machine).
    for (let waited = 0; (await localBoots()).some((n) => n === 0); waited += 500) {
      if (waited > 240_000) throw new Error(`the machines did not finish their chain:\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const [name, mac] of expected)
      expect((await admin.get(name))!.machines.map(({ key, ignition_fetches }) => ({ key, ignition_fetches }))).toEqual(
        [{ key: `mac:${mac}`, ignition_fetches: 1 }],
      );
    expect((await admin.get('catch-all'))!.machines).toEqual([]);
    // The machines' own requests, as the log shows them: the Ignition came from each machine's entry.
    const ignitionLines = logs
      .filter((l) => / ignition GET /.test(l))
      .map((l) => / entry=(\S+) mac=(\S+)/.exec(l)?.slice(1));
    expect(ignitionLines.sort()).toEqual(expected.sort());
    expect(logs.join('\n')).not.toContain(tokenEntry.token!);
  }, 300_000);
});

/**
 * The live view (`/ui`) in a real browser: Debian's chromium, headless, driven by playwright-core.
 * Machines boot by fetching their chain with plain HTTP requests, as iPXE and Ignition would (the
 * chain script, the per-machine iPXE script, the kernel, the Ignition config); the open page shows
 * each step without a reload. Hostile names, labels and user agents must show as text. The page's
 * screenshot is written to artifacts/boot-server-ui.png (docs/boot-server-ui.png is a copy).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BootAdminClient } from '../../src/boot/client';
import type { BootEntrySpec } from '../../src/boot/entry';
import { IgnitionBuilder } from '../../src/boot/ignition/builder';
import { startBootServer, type RunningBootServer } from '../../src/boot/server/server';
import { expandIpxe, ipxeMachine } from './ipxe-sim';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);
const run = available || inCi ? describe : describe.skip;
if (!available && !inCi) {
  console.warn('SKIPPED: chromium is not installed (apt-get install chromium); the live-view browser test needs it');
}

const ADMIN = 'ui-test-admin-token-0123456789';
const VIEWER = 'ui-test-viewer-token-0123456789';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
/** The issue's bound for a step to show: the waits' timeout, not a measured figure. */
const SHOWN = { timeout: 2000 };
const UUID = '4c4c4544-0044-3010-8052-b4c04f4e3732';
const ignition = new IgnitionBuilder('3.2.0').file('/etc/hostname', 'node\n').build();
const kernel = {
  kernel: '{{base_url}}/assets/rhcos-kernel',
  initrd: ['{{base_url}}/assets/rhcos-initramfs.img'],
  args: [
    'coreos.live.rootfs_url={{base_url}}/assets/rhcos-rootfs.img',
    'ignition.firstboot',
    'ignition.config.url={{ignition_url}}',
  ],
};
const node = (name: string, role: string, mac: string, extra: Partial<BootEntrySpec> = {}): BootEntrySpec => ({
  name,
  role,
  selectors: { macs: [mac], labels: { arch: 'x86_64' } },
  ipxe: kernel,
  ignition,
  one_shot: true,
  ...extra,
});

run('boot server live view (/ui) in chromium', () => {
  let dir: string;
  let srv: RunningBootServer;
  let admin: BootAdminClient;
  let browser: Browser;
  const logs: string[] = [];
  const get = (path: string, agent = 'curl/8.5.0') => fetch(`${srv.url}${path}`, { headers: { 'user-agent': agent } });
  /** A cell of a machine's row, once it shows `text`. */
  const shows = (page: Page, mac: string, field: string, text: string | RegExp) =>
    page.locator(`tr[data-machine="mac:${mac}"] td[data-field="${field}"]`, { hasText: text }).waitFor(SHOWN);

  /** What iPXE does first: the chain script, then the machine's own script (with the facts it sends). */
  async function ipxeScript(mac: string): Promise<string> {
    const machine = ipxeMachine({ mac, uuid: UUID, arch: 'x86_64' });
    const chain = /^chain --autofree (\S+)/m.exec(await (await get('/boot.ipxe', 'iPXE/1.21.1')).text())![1]!;
    return (await get(`/${expandIpxe(chain, machine)}`, 'iPXE/1.21.1')).text();
  }

  /** A network install's downloads: the machine's script, its kernel and initrd; returns the Ignition URL. */
  async function pxeBoot(mac: string): Promise<string> {
    const script = await ipxeScript(mac);
    for (const [, url] of script.matchAll(/^(?:kernel|initrd --name \S+) (\S+)/gm)) {
      const res = await fetch(url!, { headers: { 'user-agent': 'iPXE/1.21.1' } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    return expandIpxe(
      /ignition\.config\.url=(\S+)/.exec(script)![1]!,
      ipxeMachine({ mac, uuid: UUID, arch: 'x86_64' }),
    );
  }

  async function signIn(): Promise<Page> {
    const page = await browser.newPage();
    const first = await page.goto(`${srv.url}/ui`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name=token]', VIEWER);
    await page.click('button[type=submit]');
    await page.locator('#status', { hasText: 'live' }).waitFor(SHOWN);
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boot-ui-'));
    mkdirSync(join(dir, 'assets'));
    for (const f of ['rhcos-kernel', 'rhcos-initramfs.img', 'rhcos-rootfs.img'])
      writeFileSync(join(dir, 'assets', f), `${f}\n`);
    srv = await startBootServer({ port: 0, dataDir: dir, token: ADMIN, viewerToken: VIEWER, log: (l) => logs.push(l) });
    admin = new BootAdminClient({ url: srv.url, token: ADMIN });
    await admin.put(
      node('ocp-bootstrap', 'bootstrap', '52:54:00:00:00:01', {
        require_token: true,
        allowed_sources: ['127.0.0.0/8'],
      }),
    );
    for (const i of [0, 1, 2]) await admin.put(node(`ocp-master-${i}`, 'master', `52:54:00:00:00:1${i}`));
    await admin.put(node('ocp-worker-0', 'worker', '52:54:00:00:00:20'));
    await admin.put(node('ocp-worker-1', 'worker', '52:54:00:00:00:21', { allowed_sources: ['10.0.0.0/8'] }));
    // As root (CI containers), chromium's sandbox cannot start.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await srv?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 with the reason without a valid token, and opens with the viewer or the admin token', async () => {
    const page = await fetch(`${srv.url}/ui`);
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await page.text()).toContain('401: sign in with the viewer token or the admin token');
    const wrong = await fetch(`${srv.url}/ui`, { headers: { authorization: 'Bearer not-the-token' } });
    expect([wrong.status, await wrong.text()]).toEqual([401, expect.stringContaining('401: wrong bearer token')]);
    const stream = await fetch(`${srv.url}/ui/events`);
    expect([stream.status, await stream.json()]).toEqual([
      401,
      { code: 'unauthorized', error: expect.stringContaining('sign in') },
    ]);
    const badCookie = await fetch(`${srv.url}/ui`, { headers: { cookie: 'boot_ui=forged' } });
    expect(await badCookie.text()).toContain('401: the session is no longer valid');
    const form = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    } as const;
    const refused = await fetch(`${srv.url}/ui/session`, { ...form, body: 'token=guess' });
    expect([refused.status, await refused.text()]).toEqual([401, expect.stringContaining('401: wrong token')]);
    for (const token of [VIEWER, ADMIN]) {
      expect((await fetch(`${srv.url}/ui`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const signedIn = await fetch(`${srv.url}/ui/session`, { ...form, body: `token=${encodeURIComponent(token)}` });
      expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, '/ui']);
      const session = signedIn.headers.get('set-cookie')!;
      expect(session).toMatch(/^boot_ui=[\w-]+; Path=\/ui; HttpOnly; SameSite=Strict$/);
      expect(session).not.toContain(token);
      const withCookie = await fetch(`${srv.url}/ui`, { headers: { cookie: session.split(';')[0]! } });
      expect(withCookie.status).toBe(200);
      expect(withCookie.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('shows each machine step by step as it walks its chain, live, without a reload', async () => {
    const page = await signIn();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    // Every entry is listed under its role before any machine asks for anything.
    for (const [role, names] of [
      ['bootstrap', ['ocp-bootstrap']],
      ['master', ['ocp-master-0', 'ocp-master-1', 'ocp-master-2']],
      ['worker', ['ocp-worker-0', 'ocp-worker-1']],
    ] as const) {
      const shown = await page.locator(`section[data-role="${role}"] td.entry .name`).allTextContents();
      expect(shown).toEqual(names);
    }
    await shows(page, '52:54:00:00:00:10', 'one-shot', 'no contact yet');

    const ignitionUrl = await pxeBoot('52:54:00:00:00:10');
    await shows(page, '52:54:00:00:00:10', 'ipxe', /^\d\d:\d\d:\d\d$/);
    await shows(page, '52:54:00:00:00:10', 'source', '127.0.0.1');
    await shows(page, '52:54:00:00:00:10', 'one-shot', 'armed');
    await shows(page, '52:54:00:00:00:10', 'agent', 'iPXE/1.21.1');
    expect(await page.locator('tr[data-machine="mac:52:54:00:00:00:10"] td[data-field="ignition"]').textContent()).toBe(
      '–',
    );

    const ign = await get(ignitionUrl.replace(srv.url, ''), 'Ignition/2.17.0');
    expect(ign.status).toBe(200);
    await shows(page, '52:54:00:00:00:10', 'ignition', /^\d\d:\d\d:\d\d$/);
    await shows(page, '52:54:00:00:00:10', 'one-shot', 'installed: next boot is local');
    await shows(page, '52:54:00:00:00:10', 'agent', 'Ignition/2.17.0');

    // The installed machine reboots: the server sends it to its disk, and the page says so.
    expect(await ipxeScript('52:54:00:00:00:10')).toContain('booting from local disk');
    await shows(page, '52:54:00:00:00:10', 'one-shot', 'booted from its disk');

    // The bootstrap machine fetches its Ignition by token URL; the token shows nowhere on the page.
    const bootstrapIgnition = await pxeBoot('52:54:00:00:00:01');
    expect((await get(bootstrapIgnition.replace(srv.url, ''), 'Ignition/2.17.0')).status).toBe(200);
    await shows(page, '52:54:00:00:00:01', 'one-shot', 'installed');

    // Refusals: a machine no entry knows, and a worker asking from outside its allowed sources.
    expect((await get('/ipxe?mac=52:54:00:ff:ff:ff', 'iPXE/1.21.1')).status).toBe(404);
    await page
      .locator('#refusal-rows tr', { hasText: '52:54:00:ff:ff:ff' })
      .getByText('unknown_machine')
      .waitFor(SHOWN);
    expect((await get('/ipxe?mac=52:54:00:00:00:21&arch=x86_64', 'iPXE/1.21.1')).status).toBe(403);
    await shows(page, '52:54:00:00:00:21', 'refusals', '1 (source)');
    await page.locator('#totals', { hasText: '2 refusals' }).waitFor(SHOWN);

    const text = await page.locator('body').innerText();
    const token = /\/ignition\/([^?]+)/.exec(bootstrapIgnition)![1]!;
    expect(text).not.toContain(token);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(errors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'boot-server-ui.png');
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('shows hostile labels, addresses and user agents as text, never as markup', async () => {
    const script = '<script>globalThis.pwned = 1</script>';
    const img = `"'><img src=x onerror="globalThis.pwned = 2">`;
    await admin.put(
      node('hostile', 'worker', '52:54:00:00:00:66', {
        selectors: { macs: ['52:54:00:00:00:66'], labels: { note: script, quote: img } },
      }),
    );
    const page = await signIn();
    await get(`/ipxe?mac=52:54:00:00:00:66&note=${encodeURIComponent(script)}&quote=${encodeURIComponent(img)}`, img);
    await get(`/ipxe?mac=${encodeURIComponent(script)}`, script);
    await shows(page, '52:54:00:00:00:66', 'agent', img);
    await page.locator('tr[data-entry="hostile"] .label', { hasText: `note=${script}` }).waitFor(SHOWN);
    await page.locator('tr[data-entry="hostile"] .label', { hasText: `quote=${img}` }).waitFor(SHOWN);
    await page.locator('#refusal-rows td[data-field="mac"]', { hasText: script }).waitFor(SHOWN);
    await page.locator('#refusal-rows td[data-field="agent"]', { hasText: script }).waitFor(SHOWN);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await page.close();
  });

  it('never writes a token to the log', () => {
    expect(logs.some((l) => l.includes('ui_refused GET /ui 401'))).toBe(true);
    for (const secret of [ADMIN, VIEWER]) expect(logs.filter((l) => l.includes(secret))).toEqual([]);
  });
});

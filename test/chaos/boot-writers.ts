/**
 * The provider against the boot server under stress: several terraform runs writing boot entries
 * concurrently (every entry lands, every state matches the server, destroy leaves none; of runs
 * creating the same entry exactly one gets it), and a boot server that drips its answers one byte
 * at a time (the operation's timeout stops the apply and says which timeout it was; Ctrl-C stops
 * it at once).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BootAdminClient, MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';
import { chaosProvider, countFault, countOps } from './support';

const TOKEN = 'chaos-writers-admin-token-77a1';
const WRITERS = 3;
const ENTRIES = 8;

/** A workspace whose provider block names only the boot server at `url`. */
async function bootWorkspace(url: string, body: string): Promise<Workspace> {
  const ws = await createWorkspace({ provider: await chaosProvider() });
  ws.writeFiles({
    'main.tf': `terraform {\n  required_providers {\n    ovirt = { source = "${ws.source}" }\n  }\n}\nprovider "ovirt" {\n  boot_server {\n    url   = "${url}"\n    token = "${TOKEN}"\n  }\n}\n${body}`,
  });
  expectOk(await ws.terraform('init', '-no-color'));
  return ws;
}

/** `n` entries named `<prefix>-<i>`, every other one behind a token. */
function entries(prefix: string, count: number): string {
  return `resource "ovirt_boot_entry" "e" {
  count         = ${count}
  name          = "${prefix}-\${count.index}"
  macs          = [format("56:6f:c4:%02x:00:%02x", ${prefix.length}, count.index)]
  role          = "${prefix}"
  ipxe_script   = "#!ipxe\\nexit"
  ignition      = jsonencode({ ignition = { version = "3.2.0" } })
  require_token = count.index % 2 == 0
}
`;
}

/** Registers the scenarios. */
export function bootWriterScenarios(): void {
  describe('provider: concurrent boot-entry writers', () => {
    let server: RunningBootServer;
    const spaces: Workspace[] = [];
    beforeAll(async () => {
      server = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => undefined });
    });
    afterAll(async () => {
      await Promise.all(spaces.splice(0).map((w) => w.cleanup()));
      await server?.stop();
    });

    it(`${WRITERS} terraform applies at once: every entry lands and every state matches the server; destroys leave none`, async () => {
      const prefixes = Array.from({ length: WRITERS }, (_, i) => `w${'x'.repeat(i)}`);
      spaces.push(...(await Promise.all(prefixes.map((p) => bootWorkspace(server.url, entries(p, ENTRIES))))));
      const applies = await Promise.all(spaces.map((w) => w.terraform('apply', '-auto-approve', '-no-color')));
      applies.forEach(expectOk);
      countOps('terraform runs', WRITERS);
      countOps('boot admin writes', WRITERS * ENTRIES);
      countFault('concurrent boot-entry writers', WRITERS);
      const admin = new BootAdminClient({ url: server.url, token: TOKEN });
      try {
        const onServer = await admin.list();
        expect(onServer).toHaveLength(WRITERS * ENTRIES);
        const mismatches: string[] = [];
        for (const [k, w] of spaces.entries()) {
          const state = await w.state();
          for (let i = 0; i < ENTRIES; i++) {
            const inState = resourceValues(state, `ovirt_boot_entry.e[${i}]`)!;
            const stored = onServer.find((x) => x.name === `${prefixes[k]}-${i}`);
            if (!stored || stored.role !== inState.role || (stored.token ?? '') !== inState.token)
              mismatches.push(`${prefixes[k]}-${i}`);
          }
        }
        expect(mismatches).toEqual([]);
        (await Promise.all(spaces.map((w) => w.terraform('destroy', '-auto-approve', '-no-color')))).forEach(expectOk);
        countOps('terraform runs', WRITERS);
        expect(await admin.list()).toEqual([]);
      } finally {
        await admin.close();
      }
    }, 900_000);

    it(`${WRITERS} terraform applies creating the same entry at once: one gets it, the others are told it exists`, async () => {
      const racers = await Promise.all(
        Array.from({ length: WRITERS }, () => bootWorkspace(server.url, entries('same', 1))),
      );
      spaces.push(...racers);
      const applies = await Promise.all(racers.map((w) => w.terraform('apply', '-auto-approve', '-no-color')));
      countOps('terraform runs', WRITERS);
      countFault('terraform applies creating one boot entry', WRITERS);
      const winners = racers.filter((_, k) => applies[k]!.code === 0);
      expect(winners).toHaveLength(1);
      for (const lost of applies.filter((a) => a.code !== 0))
        expect(lost.stderr.replace(/\s+/g, ' ')).toContain('A boot entry named "same-0" already exists on the server');
      const admin = new BootAdminClient({ url: server.url, token: TOKEN });
      try {
        const stored = await admin.get('same-0');
        const inState = resourceValues(await winners[0]!.state(), 'ovirt_boot_entry.e[0]')!;
        expect(stored?.token).toBe(inState.token);
        expectOk(await winners[0]!.terraform('destroy', '-auto-approve', '-no-color'));
        countOps('terraform runs');
        expect(await admin.get('same-0')).toBeUndefined();
      } finally {
        await admin.close();
      }
    }, 900_000);
  });

  describe('provider: a boot server dripping its answers', () => {
    let dripping: Server;
    let url: string;
    let ws: Workspace | undefined;
    beforeAll(async () => {
      dripping = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 200);
        res.on('close', () => clearInterval(timer));
      });
      await new Promise<void>((r) => dripping.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(dripping.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await ws?.cleanup();
      ws = undefined;
    });
    afterAll(async () => {
      dripping?.closeAllConnections();
      await new Promise((r) => dripping?.close(r));
    });

    it('timeouts.create stops the apply, and the error names that timeout', async () => {
      ws = await bootWorkspace(
        url,
        `${entries('drip', 1).replace('require_token', 'timeouts {\n    create = "2s"\n  }\n  require_token')}`,
      );
      const applied = await ws.terraform('apply', '-auto-approve', '-no-color');
      countFault('dripping boot server');
      expect(applied.code).toBe(1);
      expect(applied.stderr.replace(/\s+/g, ' ')).toContain(
        'The create timeout of 2s passed before the create finished.',
      );
    });

    it('Ctrl-C stops an apply waiting on it', async () => {
      ws = await bootWorkspace(url, entries('drip', 1));
      const child = ws.spawn(['apply', '-auto-approve', '-no-color']);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await new Promise<void>((resolve) => {
          const poll = setInterval(() => {
            if (/Creating\.\.\./.test(out)) {
              clearInterval(poll);
              resolve();
            }
          }, 50);
        });
        process.kill(-child.pid!, 'SIGINT');
        countFault('SIGINT to terraform');
        expect(await closed).toBe(1);
        expect(out.replace(/\s+/g, ' ')).toContain('Terraform asked the provider to stop.');
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
    });
  });
}

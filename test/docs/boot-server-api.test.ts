/**
 * docs/boot-server-api.md works as printed: its entry JSON is accepted, and its `sh` blocks (curl
 * and `ovirt-cdktf boot-entries`, from dist/ as installed) run against a live boot server. The
 * OpenAPI document the server serves is the one in docs/ (which test/docs/generated checks).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStore, startBootServer, type RunningBootServer } from '../../src/boot';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'boot-server-api.md'), 'utf8');
const TOKEN = 'boot-api-guide-admin-token';
const blocks = (lang: string) =>
  [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const built = fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'boot-entries.js'));

describe('docs/boot-server-api.md', () => {
  let srv: RunningBootServer;
  let dir: string;
  beforeAll(async () => {
    srv = await startBootServer({ port: 0, store: new MemoryStore(), token: TOKEN, log: () => undefined });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boot-api-doc-'));
    fs.writeFileSync(path.join(dir, 'entry.json'), blocks('json')[0]!);
    // `ovirt-cdktf` as an installed package provides it.
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(
      path.join(dir, 'bin', 'ovirt-cdktf'),
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'ovirt-cdktf.js')}" "$@"\n`,
      { mode: 0o755 },
    );
  });
  afterAll(async () => {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the server runs in this process and must keep answering while the script runs.
  const run = (script: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: `${path.join(dir, 'bin')}:${process.env['PATH']}`, BOOT_URL: srv.url, BOOT_TOKEN: TOKEN },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('serves the OpenAPI document that is in docs/', async () => {
    const served = await (await fetch(`${srv.url}/api/v1/openapi.json`)).text();
    expect(served).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'boot-server-openapi.json'), 'utf8'));
  });

  it('runs the curl examples', async () => {
    const result = await run(blocks('sh')[0]!);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Created, then replaced under If-Match.
    expect(result.stdout).toMatch(/^201\n/);
    expect(result.stdout).toMatch(/\n200\n/);
    expect(result.stdout).toContain('#!ipxe\nkernel /assets/fcos/kernel initrd=main ignition.firstboot');
    expect(result.stdout).toContain('{"deleted":"worker-0"}');
  });

  (built ? it : it.skip)('runs the command-line examples (needs npm run build)', async () => {
    const result = await run(blocks('sh')[1]!);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^stored entry worker-0\n/);
    expect(result.stdout).toMatch(/\nworker-0\tworker\t52:54:00:12:34:56\t0\/0\n/);
    expect(result.stdout).toContain('"name": "worker-0"');
    expect(result.stdout).toMatch(/deleted entry worker-0\n$/);
  });
});

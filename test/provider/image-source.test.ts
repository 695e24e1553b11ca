/**
 * The `source` of ovirt_disk_from_image: local files and http(s) URLs (a local server here),
 * hashed and classified from the same stream; an unreachable URL or an HTTP error says so.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspectSource, isUrl, resolveSource } from '../../src/provider/image-source';

describe('image sources', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  let image: string;
  let closedPort: number;
  beforeAll(async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-source-'));
    image = path.join(dir, 'a.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '32M']);
    server = http.createServer((req, res) => {
      if (req.url === '/a.qcow2') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        fs.createReadStream(image).pipe(res);
        return;
      }
      res.writeHead(404);
      res.end('not here');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const digest = () => createHash('sha256').update(fs.readFileSync(image)).digest('hex');

  it('tells URLs from paths', () => {
    expect([
      isUrl('https://x/a.qcow2'),
      isUrl('HTTP://x'),
      isUrl('./a.qcow2'),
      isUrl('/srv/http-images/a.qcow2'),
    ]).toEqual([true, true, false, false]);
  });

  it('hashes and classifies a local file and the same bytes from a URL alike', async () => {
    const local = await inspectSource(image);
    const remote = await inspectSource(`${base}/a.qcow2`);
    expect(local).toEqual({
      sha256: digest(),
      info: { format: 'cow', kind: 'qcow2', fileSize: fs.statSync(image).size, virtualSize: 32 * 1024 * 1024 },
    });
    expect(remote).toEqual({ ...local, info: { ...local.info } });
  });

  it('downloads a URL to a temporary file for the upload and removes it on release', async () => {
    const resolved = await resolveSource(`${base}/a.qcow2`);
    expect(fs.readFileSync(resolved.file).equals(fs.readFileSync(image))).toBe(true);
    expect(resolved.sha256).toBe(digest());
    await resolved.release();
    expect(fs.existsSync(resolved.file)).toBe(false);
  });

  it.each([
    ['an HTTP error', () => `${base}/missing.qcow2`, /answered HTTP 404/],
    ['an unreachable URL', () => `http://127.0.0.1:${closedPort}/a.qcow2`, /cannot be reached: .*ECONNREFUSED/],
  ])('says what is wrong with %s', async (_n, url, message) => {
    await expect(inspectSource(url())).rejects.toThrow(message);
    await expect(resolveSource(url())).rejects.toThrow(message);
  });
});

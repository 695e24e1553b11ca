/**
 * Hostile input to the boot server: malformed JSON, huge bodies, traversal paths, bad MACs,
 * missing or wrong admin tokens. Every refusal is a 4xx with a reason, and the server stays up.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBootServer, type RunningBootServer } from '../../src/boot';
import { entryOf, fetchText, IGNITION_SECRET } from './boot-support';
import { countFault, countOps } from './support';

const TOKEN = 'chaos-admin-token-input-5a3d';
/** Entry tokens the server generated (secrets the log check looks for). */
export const ENTRY_TOKENS: string[] = [];
const LIMIT = 256 * 1024;

/** Sends raw bytes and returns the status line's code and the body (for requests a client would normalise). */
function raw(
  url: string,
  text: string | Buffer,
  bodyStream?: { chunk: Buffer; count: number },
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(target.port), target.hostname);
    let data = '';
    sock.setTimeout(15_000, () => {
      sock.destroy();
      reject(new Error('raw request timed out'));
    });
    sock.on('data', (d) => {
      data += d.toString('latin1');
    });
    sock.on('error', () => undefined); // a server closing early resets our remaining writes
    sock.on('close', () => {
      const statusLine = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({ status: statusLine ? Number(statusLine[1]) : 0, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    sock.write(text);
    if (bodyStream) {
      let sentChunks = 0;
      const pump = () => {
        while (sentChunks < bodyStream.count && !sock.destroyed) {
          sentChunks++;
          const framed = Buffer.concat([
            Buffer.from(`${bodyStream.chunk.length.toString(16)}\r\n`),
            bodyStream.chunk,
            Buffer.from('\r\n'),
          ]);
          if (!sock.write(framed)) {
            sock.once('drain', pump);
            return;
          }
        }
        if (!sock.destroyed) sock.end('0\r\n\r\n');
      };
      pump();
    }
  });
}

/** True when a body is our servers' JSON error with a reason of some length. */
function hasReason(body: string): boolean {
  try {
    return ((JSON.parse(body) as { error?: unknown }).error as string).length > 5;
  } catch {
    return false;
  }
}

interface Case {
  what: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
}

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const good = entryOf('good', 1, 1);

/** Requests an HTTP client can send as they are. */
const CASES: Case[] = [
  {
    what: 'malformed JSON',
    method: 'PUT',
    path: '/api/v1/entries/bad',
    headers: json,
    body: '{"name": "bad", ',
    status: 400,
  },
  {
    what: 'JSON that is not an object',
    method: 'PUT',
    path: '/api/v1/entries/bad',
    headers: json,
    body: '[1,2,3]',
    status: 400,
  },
  {
    what: 'wrong content type',
    method: 'PUT',
    path: '/api/v1/entries/bad',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: '{}',
    status: 400,
  },
  {
    what: 'name mismatch',
    method: 'PUT',
    path: '/api/v1/entries/other',
    headers: json,
    body: JSON.stringify(good),
    status: 400,
  },
  {
    what: 'unsafe entry name',
    method: 'PUT',
    path: '/api/v1/entries/..%2f..%2fetc',
    headers: json,
    body: JSON.stringify({ ...good, name: '../../etc' }),
    status: 400,
  },
  {
    what: 'upper-case entry name',
    method: 'PUT',
    path: '/api/v1/entries/UP',
    headers: json,
    body: JSON.stringify({ ...good, name: 'UP' }),
    status: 400,
  },
  {
    what: 'bad MAC in an entry',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, selectors: { macs: ['52:54:00:zz:00:01'] } }),
    status: 400,
  },
  {
    what: 'bad UUID in an entry',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, selectors: { uuid: 'not-a-uuid' } }),
    status: 400,
  },
  {
    what: 'invalid Ignition',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, ignition: '{"ignition":{"version":"9.9.9"}}' }),
    status: 400,
  },
  {
    what: 'Ignition that is not JSON',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, ignition: '{"ignition":' }),
    status: 400,
  },
  {
    what: 'unknown field',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, rm_rf: true }),
    status: 400,
  },
  {
    what: 'wrong type',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, one_shot: 'yes' }),
    status: 400,
  },
  {
    what: 'iPXE script without #!ipxe',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, ipxe: { script: 'boot' } }),
    status: 400,
  },
  {
    what: 'bad CIDR',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: json,
    body: JSON.stringify({ ...good, allowed_sources: ['10.0.0.0/99'] }),
    status: 400,
  },
  {
    what: 'declared huge body',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: { ...json },
    body: 'x'.repeat(LIMIT + 1),
    status: 413,
  },
  {
    what: 'bad percent-encoding in a name',
    method: 'GET',
    path: '/api/v1/entries/%E0%A4%A',
    headers: auth,
    status: 400,
  },
  { what: 'unknown admin route', method: 'GET', path: '/api/v1/secrets', headers: auth, status: 404 },
  { what: 'POST on the collection', method: 'POST', path: '/api/v1/entries', headers: json, body: '{}', status: 405 },
  { what: 'missing token', method: 'GET', path: '/api/v1/entries', status: 401 },
  {
    what: 'wrong token',
    method: 'GET',
    path: '/api/v1/entries',
    headers: { authorization: `Bearer ${TOKEN}x` },
    status: 401,
  },
  {
    what: 'token prefix only',
    method: 'GET',
    path: '/api/v1/entries',
    headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
    status: 401,
  },
  {
    what: 'Basic instead of Bearer',
    method: 'GET',
    path: '/api/v1/entries',
    headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
    status: 401,
  },
  { what: 'empty bearer', method: 'GET', path: '/api/v1/entries', headers: { authorization: 'Bearer ' }, status: 401 },
  {
    what: 'wrong token on PUT',
    method: 'PUT',
    path: '/api/v1/entries/good',
    headers: { ...json, authorization: 'Bearer nope' },
    body: JSON.stringify(good),
    status: 401,
  },
  { what: 'bad MAC', path: '/ipxe?mac=52:54:00:12:34', status: 400 },
  { what: 'MAC with junk', path: '/ignition?mac=52:54:00:12:34:56;rm', status: 400 },
  { what: 'MAC of wrong separators', path: '/ipxe?mac=52:54-00:12:34:56', status: 400 },
  { what: 'bad UUID', path: '/ipxe?uuid=1234', status: 400 },
  { what: 'bad percent-encoding in a query', path: '/ipxe?mac=%zz', status: 400 },
  { what: 'unknown MAC', path: '/ipxe?mac=52:54:00:00:00:99', status: 404 },
  { what: 'unknown Ignition token', path: '/ignition/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
  { what: 'POST on a boot route', method: 'POST', path: '/ipxe', body: 'x', status: 405 },
  { what: 'encoded slash traversal', path: '/assets/..%2f..%2fetc%2fpasswd', status: 403 },
  { what: 'backslash traversal', path: '/assets/..%5c..%5cetc%5cpasswd', status: 400 },
  { what: 'NUL in an asset path', path: '/assets/kernel%00.txt', status: 400 },
  { what: 'symlink out of the assets', path: '/assets/escape', status: 403 },
  { what: 'missing asset', path: '/assets/none', status: 404 },
  { what: 'unsatisfiable range', path: '/assets/kernel', headers: { range: 'bytes=999999-' }, status: 416 },
];

/** Registers the scenario; `logs` collects the server's log lines for the secrets check. */
export function bootInputScenarios(logs: string[]): void {
  describe('boot server: hostile input', () => {
    let dir: string;
    let server: RunningBootServer;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-input-'));
      fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'assets', 'kernel'), 'kernel bytes');
      fs.symlinkSync('/etc/passwd', path.join(dir, 'assets', 'escape'));
      server = await startBootServer({
        port: 0,
        dataDir: dir,
        token: TOKEN,
        maxBodyBytes: LIMIT,
        log: (l) => logs.push(l),
      });
    });
    afterAll(async () => {
      await server?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it.each(CASES.map((c) => [c.what, c] as const))('%s: 4xx with a reason', async (_what, hostile) => {
      const response = await fetchText(server.url + hostile.path, {
        method: hostile.method,
        headers: hostile.headers,
        body: hostile.body,
      });
      countFault('hostile requests');
      expect({ status: response.status, hasReason: hasReason(response.body) }).toEqual({
        status: hostile.status,
        hasReason: true,
      });
    });

    it('refuses traversal sent raw (no client-side normalisation) and a chunked body over the limit', async () => {
      for (const p of [
        '/assets/../../../etc/passwd',
        '/assets/./../token',
        '/assets//../../etc/shadow',
        '/assets/%2e%2e/%2e%2e/etc/passwd',
      ]) {
        const response = await raw(server.url, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        countFault('hostile requests');
        expect({ p, status: response.status, reason: hasReason(response.body) }).toEqual({
          p,
          status: 403,
          reason: true,
        });
      }
      const big = await raw(
        server.url,
        `PUT /api/v1/entries/good HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        { chunk: Buffer.alloc(64 * 1024, 0x20), count: 64 },
      );
      countFault('hostile requests');
      expect({ status: big.status, reason: hasReason(big.body) }).toEqual({ status: 413, reason: true });
      const junk = await raw(server.url, Buffer.from('\x16\x03\x01\x02\x00GARBAGE\r\n\r\n', 'latin1'));
      countFault('hostile requests');
      expect(junk.status).toBe(400);
    });

    it('stays up and consistent: health, a valid write and no entry from the refused ones', async () => {
      expect((await fetchText(`${server.url}/healthz`)).status).toBe(200);
      const put = await fetchText(`${server.url}/api/v1/entries/good`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(good),
      });
      expect(put.status).toBe(201);
      const list = JSON.parse((await fetchText(`${server.url}/api/v1/entries`, { headers: auth })).body) as {
        entries: Array<{ name: string }>;
      };
      expect(list.entries.map((e) => e.name)).toEqual(['good']);
      expect(fs.readdirSync(path.join(dir, 'entries'))).toEqual(['good.json']);
      countOps('boot admin writes');
    });

    it('serves a token-protected Ignition only at its token URL', async () => {
      const spec = { ...entryOf('guarded', 2, 1), require_token: true };
      const put = await fetchText(`${server.url}/api/v1/entries/guarded`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(spec),
      });
      const token = (JSON.parse(put.body) as { token: string }).token;
      ENTRY_TOKENS.push(token);
      expect(
        (await fetchText(`${server.url}/ignition?mac=${encodeURIComponent(spec.selectors!.macs![0]!)}`)).status,
      ).toBe(403);
      expect((await fetchText(`${server.url}/ignition/${token.slice(0, -1)}`)).status).toBe(404);
      const ok = await fetchText(`${server.url}/ignition/${token}`);
      expect(ok.body).toBe(spec.ignition);
      countOps('boot fetches', 3);
    });

    it('keeps the admin API off without a token', async () => {
      const off = await startBootServer({ port: 0, dataDir: path.join(dir, 'off'), log: (l) => logs.push(l) });
      try {
        for (const h of [{}, auth]) {
          const response = await fetchText(`${off.url}/api/v1/entries`, { headers: h });
          expect({ status: response.status, reason: /admin API is disabled/.test(response.body) }).toEqual({
            status: 403,
            reason: true,
          });
        }
      } finally {
        await off.stop();
      }
    });
  });
}

/** Registers the log check: run last, over every boot server log line the suite collected. */
export function bootLogScenarios(logs: string[], secrets: () => string[]): void {
  describe('boot server logs', () => {
    it('never contain tokens or Ignition contents', () => {
      const text = logs.join('\n');
      expect(text.length).toBeGreaterThan(0);
      const found = [IGNITION_SECRET, ...secrets()].filter((s) => text.includes(s));
      expect(found).toEqual([]);
    });
  });
}

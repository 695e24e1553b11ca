/**
 * The simulator under bad input: deeply nested JSON and a path with broken percent-encoding get a
 * 400 fault (never a 500); anonymous requests get their 401 before the simulator reads their body
 * (a client declaring 15 MiB that sends only the first bytes is answered at once); a body over
 * the limit gets a 413; the `--state` file is owner-only (0600), also when it existed as 0644.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';

interface Answer {
  status: number;
  body: string;
}

/**
 * Sends a request over plain HTTP; with `declared`, announces that many body bytes but sends only
 * `body`, and waits for the answer without finishing the upload.
 */
function send(
  sim: EngineSim,
  method: string,
  apiPath: string,
  opts: { body?: string; auth?: boolean; declared?: number; json?: boolean } = {},
): Promise<Answer> {
  const simUrl = new URL(sim.url);
  const body = Buffer.from(opts.body ?? '');
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: simUrl.hostname,
        port: simUrl.port,
        method,
        path: apiPath,
        headers: {
          'content-length': String(opts.declared ?? body.length),
          accept: 'application/xml',
          'content-type': opts.json ? 'application/json' : 'application/xml',
          ...(opts.auth === false
            ? {}
            : { authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}` }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    if (opts.declared === undefined) req.end(body);
    else req.write(body);
  });
}

describe('engine simulator under bad input', () => {
  let sim: EngineSim;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-hostile-'));
    // A state file left world-readable by an older version.
    const stateFile = path.join(dir, 'state.json');
    await (await startEngineSim({ delays: 'none', tls: false, stateFile })).stop();
    fs.chmodSync(stateFile, 0o644);
    sim = await startEngineSim({ delays: 'none', tls: false, stateFile });
  });
  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a 10^5-deep JSON body is a 400 fault', async () => {
    const deep = '{"name":"x","description":'.concat('['.repeat(100_000), ']'.repeat(100_000), '}');
    const answer = await send(sim, 'POST', '/ovirt-engine/api/tags', { body: deep, json: true });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<fault>');
  });

  it('a path with broken percent-encoding is a 400 fault', async () => {
    const answer = await send(sim, 'GET', '/ovirt-engine/api/vms/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('not valid percent-encoded UTF-8');
  });

  it('20 anonymous 15 MiB POSTs are refused before their bodies are read', async () => {
    const first = 'x'.repeat(64 * 1024);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        send(sim, 'POST', '/ovirt-engine/api/vms', { auth: false, body: first, declared: 15 * 1024 * 1024 }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
  });

  it('a body over the limit is a 413', async () => {
    const answer = await send(sim, 'POST', '/ovirt-engine/api/tags', {
      body: `<tag><name>${'x'.repeat(17 * 1024 * 1024)}</name></tag>`,
    });
    expect(answer.status).toBe(413);
  });

  it('the state file is owner-only', async () => {
    expect(
      (await send(sim, 'POST', '/ovirt-engine/api/tags', { body: '<tag><name>mode-check</name></tag>' })).status,
    ).toBe(201);
    await sim.stop();
    expect(fs.statSync(path.join(dir, 'state.json')).mode & 0o777).toBe(0o600);
  });
});

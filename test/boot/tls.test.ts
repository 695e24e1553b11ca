/**
 * HTTPS: the boot server with a certificate, and BootAdminClient trusting it through `caPem`
 * (and refusing it without). The certificate is made by `openssl` at test time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootAdminClient } from '../../src/boot/client';
import { startBootServer } from '../../src/boot/server/server';

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const run = haveOpenssl() ? describe : describe.skip;
if (!haveOpenssl()) console.warn('SKIPPED: openssl is not installed; the HTTPS test makes its certificate with it');

run('boot server over HTTPS', () => {
  it('is reachable with the CA pem and refused without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boot-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const srv = await startBootServer({
      port: 0,
      dataDir: dir,
      token: 'tls-token',
      tls: { cert, key: readFileSync(join(dir, 'key.pem')) },
      log: () => {},
    });
    try {
      expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const trusted = new BootAdminClient({ url: srv.url, token: 'tls-token', caPem: cert });
      const put = await trusted.put({ name: 'tls-entry', ipxe: { script: '#!ipxe\nexit' } });
      expect(put.name).toBe('tls-entry');
      expect((await trusted.list()).map((e) => e.name)).toEqual(['tls-entry']);
      await trusted.close();
      const untrusted = new BootAdminClient({ url: srv.url, token: 'tls-token' });
      await expect(untrusted.list()).rejects.toThrow(/certificate/i);
      await untrusted.close();
    } finally {
      await srv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A self-signed CA and a server certificate for 127.0.0.1/localhost, made with the openssl command. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimError } from '../errors';

/** PEM material for the TLS server and its clients. */
export interface CertSet {
  caPem: string;
  caFile: string;
  key: string;
  cert: string;
}

let cached: CertSet | undefined;

function openssl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SimError(
        'CERT_GENERATION',
        "openssl, which makes the simulator's CA and TLS certificate, is not on the PATH: " +
          'install it (Debian/Ubuntu: apt-get install openssl) or serve plain HTTP with --no-tls (tls: false).',
      );
    }
    throw new SimError('CERT_GENERATION', `openssl ${args[0]} failed: ${(err as Error).message}`);
  }
}

function generate(dir: string): void {
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/O=engine-sim/CN=engine-sim CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/O=engine-sim/CN=localhost',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '825',
    '-extfile',
    'server.ext',
  ]);
}

function read(dir: string): CertSet {
  const file = (n: string): string => fs.readFileSync(path.join(dir, n), 'utf8');
  return { caPem: file('ca.pem'), caFile: path.join(dir, 'ca.pem'), key: file('server.key'), cert: file('server.pem') };
}

/**
 * Certificates in `dir` (made there when absent, kept across restarts), or without `dir` one set per
 * process in a temporary folder removed at exit, so tests that start many simulators pay once.
 */
export function certificates(dir?: string): CertSet {
  if (dir) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(path.join(dir, 'server.pem'))) generate(dir);
    return read(dir);
  }
  if (!cached) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-sim-ca-'));
    process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
    generate(tmp);
    cached = read(tmp);
  }
  return cached;
}

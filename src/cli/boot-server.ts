/**
 * `ovirt-cdktf boot-server`: runs the boot-artifact server until SIGINT/SIGTERM. Prints one JSON
 * ready line on stdout (`url`, `ui_url`, `token_source`, ...); logs go to stderr.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startBootServer } from '../boot/server/server';

const HELP = `Usage: ovirt-cdktf boot-server [options]

Serves iPXE scripts, Ignition configs and boot assets per machine, with an admin API.

Options:
  --port N           TCP port (default 8080; 0 picks a free one)
  --host H           listen address (default 127.0.0.1)
  --data-dir D       entries, machine state and assets/ (default ./boot-data)
  --store URL        keep entries, tokens and machine state in PostgreSQL instead
                     (postgres://user@host/db; also OVIRT_BOOT_STORE), shared by
                     every replica given the same URL; the password is best given
                     as PGPASSWORD or in ~/.pgpass
  --assets-dir A     folder served at /assets/ (default <data-dir>/assets)
  --token-file F     file holding the admin bearer token; without it the env var
                     OVIRT_BOOT_TOKEN is used, else a token is generated into
                     <data-dir>/admin-token (mode 0600)
  --viewer-token-file F  file holding the token of the read-only live view at /ui
                     (else the env var OVIRT_BOOT_VIEWER_TOKEN; the admin token
                     opens it too)
  --tls-cert C --tls-key K   serve HTTPS with this PEM certificate and key
  --public-url U     URL machines reach this server at (default: the listening URL)
  --quiet            do not log each boot fetch
`;

interface Parsed {
  flags: Map<string, string>;
  quiet: boolean;
}

function parseArgs(args: string[]): Parsed {
  const valued = new Set([
    '--port',
    '--host',
    '--data-dir',
    '--store',
    '--assets-dir',
    '--token-file',
    '--viewer-token-file',
    '--tls-cert',
    '--tls-key',
    '--public-url',
  ]);
  const flags = new Map<string, string>();
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (flag === '--quiet') {
      quiet = true;
      continue;
    }
    if (!valued.has(flag)) throw new Error(`unknown option "${arg}" (see --help)`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value`);
    flags.set(flag, value);
  }
  return { flags, quiet };
}

/** Shorter tokens are refused: a guessable token opens the whole admin API (or the live view). */
export const MIN_TOKEN_LENGTH = 16;

function checkToken(token: string, where: string, kind = 'admin'): string {
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `the ${kind} token in ${where} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return token;
}

/** A token read from a file; warns when others can read the file. */
function tokenFile(file: string, kind: string, warn: (line: string) => void): string {
  const token = checkToken(readFileSync(file, 'utf8').trim(), `token file ${file}`, kind);
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) warn(`warning: token file ${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
  return token;
}

/** The admin token and where it came from; refuses short tokens and warns about token files others can read. */
export function adminToken(
  flags: Map<string, string>,
  dataDir: string,
  warn: (line: string) => void,
): { token: string; source: string } {
  const file = flags.get('--token-file');
  if (file) return { token: tokenFile(file, 'admin', warn), source: `file:${resolve(file)}` };
  const env = process.env['OVIRT_BOOT_TOKEN'];
  if (env) return { token: checkToken(env, 'OVIRT_BOOT_TOKEN'), source: 'env:OVIRT_BOOT_TOKEN' };
  const generated = join(dataDir, 'admin-token');
  if (!existsSync(generated)) writeFileSync(generated, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  return { token: readFileSync(generated, 'utf8').trim(), source: `generated:${generated}` };
}

/** The live view's token, if one is configured (the admin token opens the view anyway). */
export function viewerToken(flags: Map<string, string>, warn: (line: string) => void): string | undefined {
  const file = flags.get('--viewer-token-file');
  if (file) return tokenFile(file, 'viewer', warn);
  const env = process.env['OVIRT_BOOT_VIEWER_TOKEN'];
  return env ? checkToken(env, 'OVIRT_BOOT_VIEWER_TOKEN', 'viewer') : undefined;
}

/** Runs the boot server until a signal; resolves to the exit code. */
export async function bootServerCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const { flags, quiet } = parseArgs(args);
  const port = Number(flags.get('--port') ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got "${flags.get('--port')}"`);
  const cert = flags.get('--tls-cert');
  const key = flags.get('--tls-key');
  if (Boolean(cert) !== Boolean(key)) throw new Error('--tls-cert and --tls-key go together');
  const dataDir = resolve(flags.get('--data-dir') ?? 'boot-data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const warn = (line: string) => process.stderr.write(`boot-server: ${line}\n`);
  const { token, source } = adminToken(flags, dataDir, warn);
  const storeUrl = flags.get('--store') ?? process.env['OVIRT_BOOT_STORE'];
  if (storeUrl !== undefined && !/^postgres(ql)?:\/\//.test(storeUrl)) {
    throw new Error(
      '--store (or OVIRT_BOOT_STORE) takes a postgres:// URL; the filesystem store is the default (--data-dir)',
    );
  }
  const server = await startBootServer({
    port,
    host: flags.get('--host') ?? '127.0.0.1',
    dataDir,
    token,
    viewerToken: viewerToken(flags, warn),
    storeUrl,
    assetsDir: flags.get('--assets-dir') ? resolve(flags.get('--assets-dir')!) : undefined,
    tls: cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined,
    publicUrl: flags.get('--public-url'),
    logRequests: !quiet,
  });
  process.stdout.write(
    JSON.stringify({
      ready: true,
      url: server.url,
      ui_url: `${server.url}/ui`,
      token_source: source,
      data_dir: dataDir,
      store: storeUrl ? 'postgres' : 'filesystem',
    }) + '\n',
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.stop();
  return 0;
}

/**
 * Checks made before anything starts, so a missing tool or a busy port fails in the first second
 * with a message that says what to do, instead of half-way through.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DemoError } from './errors';

/** Finds `terraform` on the PATH and returns its version (e.g. "1.11.4"). */
export async function checkTerraform(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('terraform', ['version', '-json'], { env, timeout: 30_000 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new DemoError(
            'terraform_missing',
            'terraform was not found on the PATH. Install Terraform ' +
              '(1.11 is tested; https://developer.hashicorp.com/terraform/install) and run the demo again.',
          ),
        );
        return;
      }
      if (err) {
        reject(
          new DemoError('terraform_missing', `\`terraform version\` failed: ${err.message.trim()}`, { cause: err }),
        );
        return;
      }
      try {
        resolve(String((JSON.parse(stdout) as { terraform_version?: unknown }).terraform_version ?? 'unknown'));
      } catch {
        resolve(stdout.trim().split('\n')[0] ?? 'unknown');
      }
    });
  });
}

/** Fails when `openssl` (which the simulator makes its CA and certificate with) cannot run. */
export async function checkOpenssl(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile('openssl', ['version'], { env, timeout: 30_000 }, (err) => {
      if (!err) {
        resolve();
        return;
      }
      reject(
        new DemoError(
          'openssl_missing',
          `openssl is needed for the simulator's TLS certificates and ${
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'was not found on the PATH'
              : `failed (${err.message.trim()})`
          }. Install it (Debian/Ubuntu: apt-get install openssl).`,
          { cause: err },
        ),
      );
    });
  });
}

/** The message for a port that cannot be listened on. */
export function portError(
  port: number,
  host: string,
  what: string,
  flag: string,
  err: NodeJS.ErrnoException,
): DemoError {
  const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${err.code ?? err.message})`;
  return new DemoError(
    'port_busy',
    `port ${port} on ${host} (${what}) ${why}. Stop whatever listens there, ` +
      `or pick another port with ${flag} N (0 picks any free port).`,
    { cause: err },
  );
}

/** Fails with a clear message when `port` on `host` is taken (port 0 is always fine). */
export async function checkPortFree(port: number, host: string, what: string, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(portError(port, host, what, flag, err)));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Fails when the provider's release (the single executable `npm run build` makes) is missing. */
export function checkBuilt(release: string): void {
  if (!fs.existsSync(release)) {
    throw new DemoError(
      'not_built',
      `the provider release ${release} is missing: run \`npm run build\` ` +
        '(`npm ci` does it) and start the demo again.',
    );
  }
}

/** Fails when the cdktf app has no main.ts (checked first: a typo in --app should not start servers). */
export function checkApp(appDir: string): void {
  const main = path.join(appDir, 'main.ts');
  if (!fs.existsSync(main))
    throw new DemoError('app_missing', `the cdktf app ${main} does not exist (pick another with --app DIR).`);
}

/** Fails when both servers are asked for the same port (0, any free port, never clashes). */
export function checkDistinctPorts(enginePort: number, bootPort: number): void {
  if (enginePort !== 0 && enginePort === bootPort) {
    throw new DemoError(
      'port_busy',
      `--engine-port and --boot-port are both ${enginePort}: the engine simulator and the boot server ` +
        'need a port each. Pick two different ports (0 picks any free port).',
    );
  }
}

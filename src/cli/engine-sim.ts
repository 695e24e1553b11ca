/**
 * `ovirt-cdktf engine-sim`: runs the oVirt engine simulator until SIGINT/SIGTERM. Prints one JSON
 * ready line on stdout (url, username, password, caFile, adminUrl); logs go to stderr.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { EngineSimOptions, parseFaultSpec, startEngineSim } from '../engine-sim';

const HELP = `Usage: ovirt-cdktf engine-sim [options]

Runs a simulated oVirt engine (REST API v4) and prints one JSON line when ready.

Options:
  --port N              port to listen on (default 0 = any free port)
  --host ADDR           address to listen on (default 127.0.0.1)
  --state FILE          keep the state in FILE (survives restarts); the CA is kept in FILE.certs/
  --delays PROFILE      none | fast | realistic (default fast: ~0.1 s steps; realistic: seconds, for demos)
  --seed N              seed for ids, MACs and fault draws
  --faults SPEC         e.g. latency=20,jitter=5,503=0.05,reset=0.01,locked=0.05,redirect_write=0.01;
                        imageio ranges: range503=0.1,rangereset=0.1,drip=5 (ms per 64 KiB),hostdown=1 (transfer_url refuses)
  --user NAME           user name (default admin@internal)
  --password PW         password (default: random, printed in the ready line)
  --seed-file FILE      JSON array of extra seed entities
  --token-ttl MS        token lifetime in ms (default: never expire)
  --no-tls              plain HTTP instead of HTTPS
  -h, --help            this text
`;

type Parsed = { opts: EngineSimOptions; user: string; password?: string; help: boolean };

function number(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isInteger(value) || value < 0)
    throw new Error(`${flag} needs a whole number >= 0, got "${text ?? ''}"`);
  return value;
}

/** Parses the command line; throws an Error naming the bad option. */
export function parseEngineSimArgs(args: string[]): Parsed {
  const parsed: Parsed = { opts: { delays: 'fast' }, user: 'admin@internal', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const val = (): string => {
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    };
    switch (arg) {
      case '--port':
        parsed.opts.port = number(arg, val());
        break;
      case '--host':
        parsed.opts.host = val();
        break;
      case '--state':
        parsed.opts.stateFile = path.resolve(val());
        parsed.opts.certDir = `${parsed.opts.stateFile}.certs`;
        break;
      case '--delays': {
        const delays = val();
        if (delays !== 'none' && delays !== 'fast' && delays !== 'realistic')
          throw new Error(`--delays must be none, fast or realistic, got "${delays}"`);
        parsed.opts.delays = delays;
        break;
      }
      case '--seed':
        parsed.opts.seed = number(arg, val());
        break;
      case '--faults':
        parsed.opts.faults = parseFaultSpec(val());
        break;
      case '--user':
        parsed.user = val();
        break;
      case '--password':
        parsed.password = val();
        break;
      case '--seed-file':
        parsed.opts.seedFile = path.resolve(val());
        break;
      case '--token-ttl':
        parsed.opts.tokenTtlMs = number(arg, val());
        break;
      case '--no-tls':
        parsed.opts.tls = false;
        break;
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      default:
        throw new Error(`unknown option "${arg}" (see --help)`);
    }
  }
  return parsed;
}

/** The subcommand. Resolves with the exit code once stopped by a signal. */
export async function engineSimCommand(args: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseEngineSimArgs(args);
  } catch (err) {
    process.stderr.write(`engine-sim: ${(err as Error).message}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed.password !== undefined) parsed.opts.users = { [parsed.user]: parsed.password };
  else if (parsed.user !== 'admin@internal') parsed.opts.users = { [parsed.user]: randomBytes(12).toString('hex') };
  const sim = await startEngineSim({ ...parsed.opts, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(
    JSON.stringify({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caFile: sim.caFile,
      adminUrl: sim.adminUrl,
    }) + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      process.stderr.write(`engine-sim: ${sig}, stopping\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await sim.stop();
  return 0;
}

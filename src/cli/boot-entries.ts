/**
 * `ovirt-cdktf boot-entries list|get|put|delete|reset`: the boot server's admin API for operators
 * without Terraform. Entries are read and printed as the API's JSON (docs/boot-server-api.md).
 */
import { readFileSync } from 'node:fs';
import { BootAdminClient } from '../boot/client';
import type { BootEntry, BootEntrySpec } from '../boot/entry';

const HELP = `Usage: ovirt-cdktf boot-entries <command> [name] [options]

Commands:
  list               one line per entry: name, role, selectors, machines (installed/seen)
  get NAME           the entry as JSON (with its machine state)
  put FILE           create or replace the entry in FILE (JSON; "-" reads stdin)
  delete NAME        delete the entry and its machine state
  reset NAME         forget the entry's machine state (one-shot machines install again)

Options:
  --url U            the boot server (default: OVIRT_BOOT_URL)
  --token-file F     file holding the admin token (default: OVIRT_BOOT_TOKEN)
  --ca-file C        PEM CA to trust for an https URL
  --json             list: print the entries as JSON
`;

interface Options {
  url: string;
  token: string;
  caPem?: string;
  json: boolean;
  rest: string[];
}

function parse(args: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (['--url', '--token-file', '--ca-file'].includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new Error(`option ${arg} needs a value`);
      flags.set(arg, value);
    } else if (arg.startsWith('--')) throw new Error(`unknown option "${arg}" (see --help)`);
    else rest.push(arg);
  }
  const url = flags.get('--url') ?? env['OVIRT_BOOT_URL'];
  if (!url) throw new Error('no boot server: pass --url or set OVIRT_BOOT_URL');
  const tokenFile = flags.get('--token-file');
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env['OVIRT_BOOT_TOKEN'];
  if (!token) throw new Error('no admin token: pass --token-file or set OVIRT_BOOT_TOKEN');
  const ca = flags.get('--ca-file');
  return { url, token, caPem: ca ? readFileSync(ca, 'utf8') : undefined, json, rest };
}

function summary(entry: BootEntry): string {
  const sel = entry.selectors ?? {};
  const what = [
    ...(sel.macs ?? []),
    ...(sel.uuid ? [sel.uuid] : []),
    ...Object.entries(sel.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  const installed = entry.machines.filter((m) => m.first_ignition_at).length;
  return [entry.name, entry.role ?? '-', what.join(',') || '(default)', `${installed}/${entry.machines.length}`].join(
    '\t',
  );
}

function readSpec(file: string): BootEntrySpec {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    return JSON.parse(text) as BootEntrySpec;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
}

function needName(rest: string[], command: string): string {
  const name = rest[1];
  if (!name) throw new Error(`${command} needs an entry name`);
  return name;
}

/** Runs one admin command; resolves to the exit code (1 when the entry does not exist). */
export async function bootEntriesCommand(
  args: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  env = process.env,
): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    out(HELP);
    return args.length === 0 ? 2 : 0;
  }
  const options = parse(args, env);
  const client = new BootAdminClient({ url: options.url, token: options.token, caPem: options.caPem });
  try {
    const command = options.rest[0];
    switch (command) {
      case 'list': {
        const entries = await client.list();
        out(
          options.json
            ? JSON.stringify(entries, null, 2) + '\n'
            : ['NAME\tROLE\tSELECTORS\tINSTALLED/SEEN', ...entries.map(summary)].join('\n') + '\n',
        );
        return 0;
      }
      case 'get': {
        const entry = await client.get(needName(options.rest, 'get'));
        if (!entry) {
          out(`no entry named "${options.rest[1]}"\n`);
          return 1;
        }
        out(JSON.stringify(entry, null, 2) + '\n');
        return 0;
      }
      case 'put': {
        const file = options.rest[1];
        if (!file) throw new Error('put needs a JSON file (or - for stdin)');
        const stored = await client.put(readSpec(file));
        out(`stored entry ${stored.name}${stored.ignition_path ? ' (Ignition at its token URL, see `get`)' : ''}\n`);
        return 0;
      }
      case 'delete': {
        const name = needName(options.rest, 'delete');
        if (!(await client.delete(name))) {
          out(`no entry named "${name}"\n`);
          return 1;
        }
        out(`deleted entry ${name}\n`);
        return 0;
      }
      case 'reset': {
        const name = needName(options.rest, 'reset');
        await client.resetState(name);
        out(`forgot the machine state of ${name}\n`);
        return 0;
      }
      default:
        throw new Error(`unknown boot-entries command "${command ?? ''}" (list, get, put, delete, reset)`);
    }
  } finally {
    await client.close();
  }
}

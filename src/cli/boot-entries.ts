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
    const a = args[i]!;
    if (a === '--json') {
      json = true;
      continue;
    }
    if (['--url', '--token-file', '--ca-file'].includes(a)) {
      const v = args[++i];
      if (v === undefined) throw new Error(`option ${a} needs a value`);
      flags.set(a, v);
    } else if (a.startsWith('--')) throw new Error(`unknown option "${a}" (see --help)`);
    else rest.push(a);
  }
  const url = flags.get('--url') ?? env['OVIRT_BOOT_URL'];
  if (!url) throw new Error('no boot server: pass --url or set OVIRT_BOOT_URL');
  const tokenFile = flags.get('--token-file');
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env['OVIRT_BOOT_TOKEN'];
  if (!token) throw new Error('no admin token: pass --token-file or set OVIRT_BOOT_TOKEN');
  const ca = flags.get('--ca-file');
  return { url, token, caPem: ca ? readFileSync(ca, 'utf8') : undefined, json, rest };
}

function summary(e: BootEntry): string {
  const sel = e.selectors ?? {};
  const what = [
    ...(sel.macs ?? []),
    ...(sel.uuid ? [sel.uuid] : []),
    ...Object.entries(sel.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  const installed = e.machines.filter((m) => m.first_ignition_at).length;
  return [e.name, e.role ?? '-', what.join(',') || '(default)', `${installed}/${e.machines.length}`].join('\t');
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
  const o = parse(args, env);
  const client = new BootAdminClient({ url: o.url, token: o.token, caPem: o.caPem });
  try {
    const command = o.rest[0];
    switch (command) {
      case 'list': {
        const entries = await client.list();
        out(
          o.json
            ? JSON.stringify(entries, null, 2) + '\n'
            : ['NAME\tROLE\tSELECTORS\tINSTALLED/SEEN', ...entries.map(summary)].join('\n') + '\n',
        );
        return 0;
      }
      case 'get': {
        const e = await client.get(needName(o.rest, 'get'));
        if (!e) {
          out(`no entry named "${o.rest[1]}"\n`);
          return 1;
        }
        out(JSON.stringify(e, null, 2) + '\n');
        return 0;
      }
      case 'put': {
        const file = o.rest[1];
        if (!file) throw new Error('put needs a JSON file (or - for stdin)');
        const e = await client.put(readSpec(file));
        out(`stored entry ${e.name}${e.ignition_path ? ' (Ignition at its token URL, see `get`)' : ''}\n`);
        return 0;
      }
      case 'delete': {
        const name = needName(o.rest, 'delete');
        if (!(await client.delete(name))) {
          out(`no entry named "${name}"\n`);
          return 1;
        }
        out(`deleted entry ${name}\n`);
        return 0;
      }
      case 'reset': {
        const name = needName(o.rest, 'reset');
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

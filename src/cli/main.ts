/**
 * The `ovirt-cdktf` command: a thin dispatcher. Each subcommand lives in its own module and is
 * loaded only when asked for, so one command's dependencies never slow another's start-up.
 */

/** A subcommand: runs with the arguments after its name and resolves to the process exit code. */
export type Subcommand = (args: string[]) => Promise<number>;

interface SubcommandEntry {
  summary: string;
  load: () => Subcommand;
}

const SUBCOMMANDS: Record<string, SubcommandEntry> = {
  'boot-entries': {
    summary: 'list, show, write and delete boot entries through the admin API (no Terraform needed)',
    load: () => require('./boot-entries').bootEntriesCommand,
  },
  'boot-server': {
    summary: 'serve iPXE scripts, Ignition configs and boot assets per machine',
    load: () => require('./boot-server').bootServerCommand,
  },
  demo: {
    summary: 'the main job: simulator + boot server + provider, apply examples/openshift-ipi (npm start)',
    load: () => require('./demo').demoCommand,
  },
  'engine-sim': {
    summary: 'run the oVirt engine simulator (prints one JSON ready line)',
    load: () => require('./engine-sim').engineSimCommand,
  },
  'install-provider': {
    summary: 'install terraform-provider-ovirt into a filesystem mirror (prints TF_CLI_CONFIG_FILE=...)',
    load: () => require('./install-provider').installProviderCommand,
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, e]) => `  ${name.padEnd(18)} ${e.summary}`);
  return [
    'Usage: ovirt-cdktf <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ovirt-cdktf <command> --help` for the options of a command, `ovirt-cdktf --version` for the version.',
  ].join('\n');
}

/** Runs the command line and sets the process exit code. */
export function main(argv: string[]): void {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    process.exitCode = name ? 0 : 2;
    return;
  }
  if (name === '--version' || name === '-V') {
    // Loaded here only: every other command starts without reading package.json.
    process.stdout.write(
      `ovirt-cdktf ${(require('../provider/version') as typeof import('../provider/version')).PROVIDER_VERSION}\n`,
    );
    process.exitCode = 0;
    return;
  }
  const entry = SUBCOMMANDS[name];
  if (!entry) {
    process.stderr.write(`ovirt-cdktf: unknown command "${name}"\n\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  entry
    .load()(rest)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        process.stderr.write(`ovirt-cdktf ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
}

/**
 * `ovirt-cdktf demo` (`npm start`): the whole product on one machine. Starts the engine simulator
 * and the boot server, installs the provider into a local mirror, synthesizes the OpenShift example,
 * applies it with the real terraform, prints a summary, proves one node's boot chain, then waits for
 * Ctrl-C (or destroys everything with --destroy). Human-facing: progress goes to stdout, errors to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DemoError } from './demo/errors';
import { DEMO_HELP, parseDemoArgs, type DemoOptions } from './demo/options';
import { Demo } from './demo/run';

/** The repository (package) root: the nearest folder above this file with our package.json. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'ovirt-cdktf')
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ovirt-cdktf package.json above ${from}`);
  }
}

/** The subcommand; resolves to the exit code. */
export async function demoCommand(args: string[]): Promise<number> {
  const root = packageRoot();
  let options: DemoOptions;
  try {
    options = parseDemoArgs(args, root);
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  // Everything the demo and its terraform runs create (state and JSON holding Ignition) is owner-only.
  process.umask(0o077);
  const demo = new Demo(options, root, (line) => process.stdout.write(`${line}\n`));
  let signals = 0;
  const onSignal = (): void => {
    // A second Ctrl-C while shutting down means "now": leave at once.
    if (++signals > 1) process.exit(130);
    demo.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Ctrl-C ends the demo with 130, as shells report a SIGINT: while waiting, or mid-way ('interrupted').
    return await demo.run();
  } catch (err) {
    if (DemoError.is(err)) {
      process.stderr.write(`\ndemo: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `npm run test:acceptance [-- --sweep]`: the acceptance suite against the engine named by OVIRT_URL
 * (or a simulator it starts when OVIRT_URL is unset). Ctrl-C stops terraform and removes what the
 * run created; a second Ctrl-C leaves at once (run --sweep later). Exit code: 0 all passed, 1 a
 * failure or leftovers, 2 bad input, 130 interrupted.
 */
import { InputError } from './target';
import { runAcceptance } from './run';

const USAGE = 'usage: npm run test:acceptance [-- --sweep]   (variables: see "Trying it on your engine" in README.md)';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--sweep');
  if (unknown.length > 0) {
    console.error(
      unknown.includes('--help') || unknown.includes('-h')
        ? USAGE
        : `acceptance: unknown argument ${unknown[0]}\n${USAGE}`,
    );
    return 2;
  }
  const ctl = new AbortController();
  process.on('SIGINT', () => {
    if (ctl.signal.aborted) {
      console.error(
        'acceptance: interrupted again, leaving now; remove leftovers with: npm run test:acceptance -- --sweep',
      );
      process.exit(130);
    }
    console.error(
      'acceptance: interrupted, stopping terraform and removing what this run created (Ctrl-C again to leave at once)',
    );
    ctl.abort();
  });
  try {
    const report = await runAcceptance({
      env: process.env,
      sweep: argv.includes('--sweep'),
      signal: ctl.signal,
      out: (l) => console.log(l),
    });
    return report.exitCode;
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`acceptance: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`acceptance: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);

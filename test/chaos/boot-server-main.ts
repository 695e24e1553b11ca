/** Entry of the boot server process the restart scenario kills (bundled by the test). */
import { bootServerCommand } from '../../src/cli/boot-server';

bootServerCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`boot-server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);

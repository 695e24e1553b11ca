/** The `ovirt-cdktf` dispatcher: `--version` prints the package's version. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

describe('ovirt-cdktf', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it.each(['--version', '-V'])('%s prints the package version', (flag) => {
    const out: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    main([flag]);
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect({ out: out.join(''), code: process.exitCode }).toEqual({ out: `ovirt-cdktf ${version}\n`, code: 0 });
  });
});

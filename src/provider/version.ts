/** The package version (the provider's version): built into a release, else read from the nearest package.json above this file. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function find(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (fs.existsSync(file)) return String(JSON.parse(fs.readFileSync(file, 'utf8')).version);
    if (path.dirname(d) === d) return '0.0.0';
  }
}

/** Set by the release build, where no package.json travels with the single executable. */
declare const __OVIRT_CDKTF_VERSION__: string | undefined;

/** The provider's version, e.g. `0.1.0`. */
export const PROVIDER_VERSION = typeof __OVIRT_CDKTF_VERSION__ === 'string' ? __OVIRT_CDKTF_VERSION__ : find(__dirname);

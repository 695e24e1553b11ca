/**
 * The validator against the real `ignition-validate` (Debian package `ignition`): the same
 * verdict on every generated config, valid and invalid. CI always has the binary; elsewhere the
 * test skips with a visible message when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateIgnition } from '../../src/boot/ignition/validate';
import { generate } from './ignition-gen';

function haveBinary(): boolean {
  try {
    execFileSync('ignition-validate', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = haveBinary();
const inCi = Boolean(process.env['CI']);
const run = available || inCi ? describe : describe.skip;
if (!available && !inCi)
  console.warn('SKIPPED: ignition-validate is not installed (apt-get install ignition); the agreement test needs it');

run('validator agrees with the real ignition-validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ign-agree-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the binary (CI installs it)', () => {
    expect(available).toBe(true);
  });

  it('gives the same verdict on 600 generated configs', () => {
    const configs = generate(20261122, 600);
    const disagreements: string[] = [];
    let valid = 0;
    for (const [i, c] of configs.entries()) {
      const file = join(dir, `c${i}.json`);
      writeFileSync(file, c.text);
      const real = spawnSync('ignition-validate', [file], { encoding: 'utf8' });
      const ours = validateIgnition(c.text);
      if (real.status === 0) valid++;
      if ((real.status === 0) !== ours.valid) {
        disagreements.push(
          `${c.label}: real=${real.status} ${(real.stdout + real.stderr).trim()} ours=${JSON.stringify(ours.errors)} ${c.text}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
    // Both verdicts must occur often, or the comparison proves little.
    expect(valid).toBeGreaterThan(60);
    expect(configs.length - valid).toBeGreaterThan(60);
  });
});

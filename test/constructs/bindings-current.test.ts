/**
 * The checked-in L1 bindings are what `npm run generate:bindings` makes from the provider as built:
 * regenerate into a temporary folder (real terraform, the provider through a filesystem mirror,
 * cdktf's generator) and compare every file.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateBindings } from '../../constructs/codegen/main';
import { GENERATED_HEADER } from '../../constructs/codegen/emit';

const ROOT = join(__dirname, '..', '..');
const CHECKED_IN = join(ROOT, 'constructs', 'generated');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? files(file) : [file];
  });
}

function read(dir: string): Map<string, string> {
  return new Map(
    files(dir)
      .sort()
      .map((p) => [relative(dir, p), readFileSync(p, 'utf8')]),
  );
}

describe('generated L1 bindings', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'bindings-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('are current (else run `npm run generate:bindings`)', async () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'provider', 'main.js'))).toBe(true); // built by `npm test`'s pretest
    await generateBindings(out);
    const fresh = read(out);
    const current = read(CHECKED_IN);
    expect([...current.keys()]).toEqual([...fresh.keys()]);
    for (const [name, text] of fresh) {
      expect({ name, current: current.get(name) === text }).toEqual({ name, current: true });
    }
  });

  it('say they are generated and link no public registry', () => {
    for (const [name, text] of read(CHECKED_IN)) {
      expect({ name, header: text.startsWith(GENERATED_HEADER) }).toEqual({ name, header: true });
      expect(text).not.toContain('https://terraform.local');
    }
  });
});

/**
 * The cdktn entry point (dist/cdktn, made by `npm run build` from dist/constructs): it refers to
 * cdktn only, and the examples synthesize the same JSON through it under cdktn 0.24 as through the
 * constructs under cdktf 0.21. The only difference is what the tools stamp in themselves: their own
 * version, in each stack's `//.metadata.version` and in manifest.json's `version`.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewriteForCdktn } from '../../constructs/codegen/cdktn';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'cdktn');
const built = existsSync(join(ENTRY, 'index.js'));
if (!built) console.warn('cdktn entry tests: SKIPPED, dist/cdktn is not built (run `npm run build`)');
const describeBuilt = built ? describe : describe.skip;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** Synthesizes every example into `dir` with the modules in scope; returns file name → bytes. */
function synthExamples(dir: string): Map<string, string> {
  cpSync(join(ROOT, 'examples', 'openshift-ipi', 'sample-install-dir'), join(dir, 'install'), { recursive: true });
  const cwd = process.cwd();
  process.chdir(dir);
  process.env.OCP_INSTALL_DIR = 'install';
  try {
    const { exampleApp } = require('../../examples/shared') as typeof import('../../examples/shared');
    const app = exampleApp('out');
    (require('../../examples/openshift-ipi/main') as typeof import('../../examples/openshift-ipi/main')).openshiftApp(
      app,
    );
    (require('../../examples/single-vm/main') as typeof import('../../examples/single-vm/main')).singleVmStack(app);
    (require('../../examples/pxe-fleet/main') as typeof import('../../examples/pxe-fleet/main')).pxeFleetStack(app, 2);
    (
      require('../../examples/snapshot-before-change/main') as typeof import('../../examples/snapshot-before-change/main')
    ).snapshotBeforeChangeStack(app);
    app.synth();
  } finally {
    process.chdir(cwd);
    delete process.env.OCP_INSTALL_DIR;
  }
  const out = join(dir, 'out');
  return new Map(
    files(out)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f.slice(out.length + 1), readFileSync(f, 'utf8')]),
  );
}

/** A stack's JSON or the manifest with the tool's own version taken out (the one thing the two tools write differently). */
function withoutToolVersion(json: string): { version?: string; rest: string } {
  const tree = JSON.parse(json) as { version?: string; '//'?: { metadata?: { version?: string } } };
  const holder = tree['//']?.metadata ?? tree;
  const version = holder.version;
  delete holder.version;
  return { version, rest: JSON.stringify(tree, null, 2) };
}

describe('rewriteForCdktn', () => {
  it('maps imports of cdktf to cdktn and refuses deep imports', () => {
    expect(rewriteForCdktn(`const cdktf_1 = require("cdktf");\nimport { App } from 'cdktf';`, 'x.js')).toBe(
      `const cdktf_1 = require("cdktn");\nimport { App } from 'cdktn';`,
    );
    expect(() => rewriteForCdktn('require("cdktf/lib/x")', 'y.js')).toThrow('y.js imports a path inside cdktf');
  });
});

describeBuilt('the cdktn entry point', () => {
  it('refers to cdktn only', () => {
    const left = files(ENTRY).filter((f) => /require\("cdktf|from 'cdktf/.test(readFileSync(f, 'utf8')));
    expect(left).toEqual([]);
    expect(readFileSync(join(ENTRY, 'vm.d.ts'), 'utf8')).toContain("from 'cdktn'");
  });

  it('synthesizes the examples byte for byte as under cdktf, apart from the tool version', () => {
    const cdktfDir = mkdtempSync(join(tmpdir(), 'synth-cdktf-'));
    const cdktnDir = mkdtempSync(join(tmpdir(), 'synth-cdktn-'));
    try {
      let viaCdktf = new Map<string, string>();
      let viaCdktn = new Map<string, string>();
      let usedEntry = false;
      jest.isolateModules(() => {
        viaCdktf = synthExamples(cdktfDir);
      });
      jest.isolateModules(() => {
        // The examples' own imports: cdktf becomes cdktn, the constructs become the cdktn entry point.
        jest.doMock('cdktf', () => jest.requireActual('cdktn'));
        jest.doMock(join(ROOT, 'constructs'), () => {
          usedEntry = true;
          return jest.requireActual(ENTRY);
        });
        viaCdktn = synthExamples(cdktnDir);
      });
      expect(usedEntry).toBe(true);
      expect([...viaCdktn.keys()].sort()).toEqual([...viaCdktf.keys()].sort());
      expect(viaCdktf.size).toBeGreaterThan(4);
      for (const [name, text] of viaCdktf) {
        const fromCdktf = withoutToolVersion(text);
        const fromCdktn = withoutToolVersion(viaCdktn.get(name)!);
        expect({ name, rest: fromCdktn.rest }).toEqual({ name, rest: fromCdktf.rest });
        if (name.endsWith('.json') && fromCdktf.version)
          expect([name, fromCdktf.version, fromCdktn.version]).toEqual([name, '0.21.0', '0.24.0']);
      }
    } finally {
      rmSync(cdktfDir, { recursive: true, force: true });
      rmSync(cdktnDir, { recursive: true, force: true });
    }
  });
});

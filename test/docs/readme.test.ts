/**
 * The README stays true: its comparison table names only resources and data sources this provider
 * has (or marks them **no**), its counts match the provider, and its two examples work: the plain
 * HCL one is applied with the real terraform against the simulator (then planned empty and
 * destroyed), and the CDKTF one is synthesized.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEngineSim, type EngineSim } from '../../src/engine-sim';
import { ovirtProvider } from '../../src/provider';
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const resources = ovirtProvider.resources.map((r) => r.typeName);
const dataSources = (ovirtProvider.dataSources ?? []).map((d) => d.typeName);

/** The first fenced block of `lang` after `heading`. */
function codeBlock(heading: string, lang: string): string {
  const after = README.split(heading)[1];
  if (after === undefined) throw new Error(`README has no "${heading}"`);
  return after.split('```' + lang + '\n')[1]!.split('```')[0]!;
}

describe('README', () => {
  it("counts this provider's resources and data sources right", () => {
    expect(README).toContain(`| resources / data sources | 16 / 7 | ${resources.length} / ${dataSources.length} |`);
  });

  it('names only resources and data sources that exist, unless the row says **no**', () => {
    const table = README.split('## Compared with the public Go provider and matchbox')[1]!;
    for (const row of table.split('\n').filter((l) => l.startsWith('|') && !l.includes('**no**'))) {
      for (const [name] of row.matchAll(/ovirt_[a-z_]+/g)) expect([...resources, ...dataSources]).toContain(name);
    }
    for (const d of dataSources) expect(table).toContain(`\`${d}\``);
  });

  it('gives every package its npm install commands name a version, so a new major on the registry cannot break them', () => {
    const specs = [...README.matchAll(/npm install ([^#\n]*)/g)].flatMap(([, args]) =>
      args!.split(/\s+/).filter((arg) => arg && !arg.startsWith('-') && !arg.startsWith('./')),
    );
    expect(specs.length).toBeGreaterThan(0);
    expect(specs.filter((spec) => !/^@?[^@]+@\d+(\.\d+)*$/.test(spec))).toEqual([]);
  });

  describe('examples', () => {
    let sim: EngineSim;
    let ws: Workspace;
    beforeAll(async () => {
      sim = await startEngineSim({ delays: 'none' });
      ws = await createWorkspace({
        env: {
          OVIRT_URL: sim.url,
          OVIRT_USERNAME: sim.username,
          OVIRT_PASSWORD: sim.password,
          OVIRT_CAFILE: sim.caFile,
        },
      });
    });
    afterAll(async () => {
      await ws?.cleanup();
      await sim?.stop();
    });

    it('the plain HCL example applies, plans empty and destroys against the simulator', async () => {
      ws.writeFiles({ 'main.tf': codeBlock('## From plain HCL', 'hcl') });
      expectOk(await ws.terraform('init'));
      expectOk(await ws.terraform('apply', '-auto-approve'));
      expect(sim.control.list('vms').map((v) => v.data['name'])).toContain('web-1');
      const plan = await ws.terraform('plan', '-detailed-exitcode');
      expect(plan.code).toBe(0);
      expectOk(await ws.terraform('destroy', '-auto-approve'));
      expect(sim.control.list('vms').map((v) => v.data['name'])).not.toContain('web-1');
    });

    it('the CDKTF example synthesizes', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-cdktf-'));
      try {
        // The example imports the package by name; here the package is this repository.
        const code = codeBlock('4. A stack (`main.ts`)', 'ts')
          .replace(/^ {3}/gm, '')
          .replace(`from 'ovirt-cdktf'`, `from ${JSON.stringify(path.join(ROOT, 'constructs'))}`);
        fs.writeFileSync(path.join(dir, 'main.ts'), code);
        const result = spawnSync(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', path.join(dir, 'main.ts')],
          {
            cwd: dir,
            env: {
              ...process.env,
              CDKTF_OUTDIR: path.join(dir, 'out'),
              TS_NODE_SWC: 'true',
              TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
              NODE_PATH: path.join(ROOT, 'node_modules'),
            },
            encoding: 'utf8',
          },
        );
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        const tf = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'stacks', 'web', 'cdk.tf.json'), 'utf8')) as {
          resource: Record<string, unknown>;
        };
        expect(Object.keys(tf.resource)).toEqual(expect.arrayContaining(['ovirt_vm', 'ovirt_disk', 'ovirt_nic']));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

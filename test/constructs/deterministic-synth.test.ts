/**
 * The same app gives byte-identical output: the examples are synthesized in two different working
 * directories (each with its own copy of the installer's files) and compared byte for byte; the
 * output must hold no absolute path, host name or timestamp.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { Testing } from 'cdktf';
import { join } from 'node:path';
import { exampleApp } from '../../examples/shared';
import { openshiftApp } from '../../examples/openshift-ipi/main';
import { singleVmStack } from '../../examples/single-vm/main';
import { pxeFleetStack } from '../../examples/pxe-fleet/main';
import { snapshotBeforeChangeStack } from '../../examples/snapshot-before-change/main';

// A short host name ("vm") would match ordinary words in the output; only a distinctive one is checked.
const HOST = hostname().length >= 8 ? [hostname()] : [];
const SAMPLE = join(__dirname, '..', '..', 'examples', 'openshift-ipi', 'sample-install-dir');

/** Synthesizes all examples with `dir` as the working directory; returns file name → bytes. */
function synthIn(dir: string): Map<string, string> {
  cpSync(SAMPLE, join(dir, 'install'), { recursive: true });
  const cwd = process.cwd();
  const saved = process.env.OCP_INSTALL_DIR;
  process.chdir(dir);
  process.env.OCP_INSTALL_DIR = 'install';
  try {
    const app = openshiftApp(exampleApp('cdktf.out'));
    singleVmStack(app);
    pxeFleetStack(app, 2);
    snapshotBeforeChangeStack(app);
    app.synth();
  } finally {
    process.chdir(cwd);
    if (saved === undefined) delete process.env.OCP_INSTALL_DIR;
    else process.env.OCP_INSTALL_DIR = saved;
  }
  const out = new Map<string, string>();
  const root = join(dir, 'cdktf.out');
  out.set('manifest.json', readFileSync(join(root, 'manifest.json'), 'utf8'));
  for (const stack of readdirSync(join(root, 'stacks')).sort()) {
    out.set(`${stack}/cdk.tf.json`, readFileSync(join(root, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  }
  return out;
}

describe('example backends', () => {
  it('switch to Postgres with one schema per stack and no credentials in the JSON', () => {
    const saved = { b: process.env.OVIRT_CDKTF_BACKEND, u: process.env.OVIRT_CDKTF_PG_URL };
    process.env.OVIRT_CDKTF_BACKEND = 'pg';
    process.env.OVIRT_CDKTF_PG_URL = 'postgres://db.example/terraform?sslmode=require';
    try {
      const stack = singleVmStack(exampleApp(mkdtempSync(join(tmpdir(), 'synth-pg-'))));
      const json = JSON.parse(Testing.synth(stack)) as { terraform: { backend?: unknown } };
      expect(json.terraform.backend).toEqual({
        pg: { conn_str: 'postgres://db.example/terraform?sslmode=require', schema_name: 'tf_single_vm' },
      });
    } finally {
      for (const [k, v] of [
        ['OVIRT_CDKTF_BACKEND', saved.b],
        ['OVIRT_CDKTF_PG_URL', saved.u],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('deterministic synth', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('gives byte-identical cdk.tf.json from two working directories, without machine-specific values', () => {
    const dirA = mkdtempSync(join(tmpdir(), 'synth-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'synth-b-'));
    dirs.push(dirA, dirB);
    const outA = synthIn(dirA);
    const outB = synthIn(dirB);
    expect([...outA.keys()]).toEqual([
      'manifest.json',
      'openshift-pxe/cdk.tf.json',
      'openshift-template/cdk.tf.json',
      'pxe-fleet/cdk.tf.json',
      'single-vm/cdk.tf.json',
      'snapshot-before-change/cdk.tf.json',
    ]);
    for (const [name, text] of outA) {
      expect({ name, same: text === outB.get(name) }).toEqual({ name, same: true });
      for (const forbidden of [dirA, dirB, tmpdir(), process.cwd(), ...HOST]) expect(text).not.toContain(forbidden);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    // Secrets stay out: the bootstrap config is referenced by a relative file(), never inlined.
    const pxe = outA.get('openshift-pxe/cdk.tf.json')!;
    expect(pxe).toContain('${file(\\"../../../install/bootstrap.ign\\")}');
    expect(pxe).not.toContain('bootkube');
    // Every stack declares its backend with a relative path.
    for (const [name, text] of outA) {
      if (name === 'manifest.json') continue;
      expect(JSON.parse(text).terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    }
  });
});

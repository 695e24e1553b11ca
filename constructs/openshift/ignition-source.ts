/**
 * Where an OpenShift node's Ignition config comes from: inline text, or a file from
 * `openshift-install create ignition-configs`. A file is read at synth (to validate it) but written
 * into cdk.tf.json as Terraform's `file()` of a path relative to the stack's folder (where cdktf and
 * `terraform -chdir` run Terraform), so the secrets in bootstrap.ign stay out of the synthesized JSON
 * and the output holds no absolute path.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Construct } from 'constructs';
import { App, Fn, TerraformStack } from 'cdktf';
import { ValidationError } from '../errors';
import { checkIgnition } from '../ignition';

/** Ignition text, or a file holding it. */
export type IgnitionSource =
  { readonly content: string; readonly file?: never } | { readonly file: string; readonly content?: never };

/** The Ignition configs `openshift-install create ignition-configs` writes into its directory. */
export interface InstallerIgnition {
  readonly bootstrap: IgnitionSource;
  readonly master: IgnitionSource;
  readonly worker: IgnitionSource;
}

/** The three configs of an installer directory, as file sources (`<dir>/bootstrap.ign`, …). */
export function fromInstallDir(dir: string): InstallerIgnition {
  return {
    bootstrap: { file: join(dir, 'bootstrap.ign') },
    master: { file: join(dir, 'master.ign') },
    worker: { file: join(dir, 'worker.ign') },
  };
}

/**
 * Validates a source and returns the value to put into the configuration: the text itself, or a
 * `${file("<path relative to the stack folder>")}` expression for a file.
 */
export function resolveIgnition(scope: Construct, source: IgnitionSource, prop: string): string {
  if (source.content !== undefined) {
    checkIgnition(source.content, prop);
    return source.content;
  }
  const abs = resolve(source.file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new ValidationError('invalid_prop', `${prop}.file`, `cannot read ${source.file}: ${(e as Error).message}`);
  }
  checkIgnition(text, `${prop}.file`);
  const stack = TerraformStack.of(scope);
  const stackDir = resolve(App.of(scope).outdir, 'stacks', stack.node.id);
  const rel = relative(stackDir, abs).split(sep).join('/');
  return Fn.file(rel);
}

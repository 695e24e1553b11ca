/**
 * Templated Ignition: `{{name}}` placeholders inside the config's JSON strings, filled per machine
 * from the entry's metadata, its labels and the machine's `mac`, `uuid` and `entry`. Values are
 * JSON-string escaped, so a value can never change the config's structure; every rendering is
 * validated before it is served.
 */
import { BootError } from '../errors';
import { validateIgnition } from './validate';

const PLACEHOLDER = /\{\{([a-z][a-z0-9_.-]*)\}\}/g;

/** The variable names a template uses. */
export function templateNames(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** Fills the template; throws BootError('invalid_ignition') when a variable is missing or the result is not valid Ignition. */
export function renderIgnition(template: string, vars: ReadonlyMap<string, string>): string {
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars.get(name);
    if (value === undefined)
      throw new BootError(
        'invalid_ignition',
        `ignition: the template uses {{${name}}}, which has no value for this machine`,
      );
    return JSON.stringify(value).slice(1, -1);
  });
  const report = validateIgnition(text);
  if (!report.valid)
    throw new BootError(
      'invalid_ignition',
      `ignition (rendered): ${report.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  return text;
}

/** Synth-time checks of Ignition configs given to the constructs. */
import { validateIgnition } from '../src/boot/ignition/validate';
import { ValidationError } from './errors';
import { isToken } from './validation';

/**
 * Checks that `text` is a valid Ignition v3 config (ignition-validate's rules), throwing a
 * ValidationError naming `prop` with the first problems found. Tokens are skipped.
 */
export function checkIgnition(text: string, prop: string): void {
  if (isToken(text)) return;
  const report = validateIgnition(text);
  if (!report.valid) {
    const problems = report.errors
      .slice(0, 3)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ');
    throw new ValidationError('invalid_ignition', prop, `is not a valid Ignition v3 config: ${problems}`);
  }
}

/**
 * Sizes with units, as people write them in props: `'16GiB'`, `'120 GB'`, `'512MiB'`, or a plain
 * number of bytes. Binary units (KiB…TiB) are powers of 1024, decimal ones (KB…TB) powers of 1000,
 * as the IEC and SI define them; the engine takes bytes.
 */
import { ValidationError } from './errors';

/** A size: a number of bytes, or a string with a unit such as `'16GiB'` or `'1.5 TiB'`. */
export type Size = number | string;

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
};

const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)?$/;

/**
 * Parses a size into bytes. Throws a ValidationError naming `prop` when the text is no size, the
 * unit is unknown, or the result is not a whole, positive, safe number of bytes.
 */
export function parseSize(value: Size, prop: string): number {
  const bytes = typeof value === 'number' ? value : fromText(value, prop);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `must be a positive whole number of bytes, or a size such as '16GiB'; got ${JSON.stringify(value)}`,
    );
  }
  return bytes;
}

function fromText(text: string, prop: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  const unit = match?.[2] ?? 'B';
  const factor = UNITS[unit];
  if (!match || factor === undefined) {
    throw new ValidationError(
      'invalid_prop',
      prop,
      `is not a size: ${JSON.stringify(text)} (write e.g. '16GiB', '120GB' or a number of bytes; units ${Object.keys(UNITS).join(', ')})`,
    );
  }
  // Multiply before dividing out the fraction's digits, so '1.5GiB' comes out exact; a result
  // that is still fractional ('1.5B') is rejected by the caller.
  const [whole, frac = ''] = match[1]!.split('.');
  return (Number(whole + frac) * factor) / 10 ** frac.length;
}

/** Formats bytes with the largest binary unit that divides them, e.g. 17179869184 → `'16GiB'`. */
export function formatSize(bytes: number): string {
  for (const unit of ['PiB', 'TiB', 'GiB', 'MiB', 'KiB']) {
    const factor = UNITS[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}

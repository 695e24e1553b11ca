/**
 * Go-style durations, the format of Terraform's `timeouts` blocks: the SDK parses them for the
 * timeouts it enforces, and providers for duration attributes of their own.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parses a Go-style duration ("1h30m", "90s", "500ms") to milliseconds; throws on anything else. */
export function parseDuration(text: string): number {
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed += match[0].length;
  }
  if (!consumed || consumed !== text.length)
    throw new Error(`invalid duration "${text}": use e.g. "30s", "20m", "1h30m"`);
  return total;
}

/**
 * Zod building blocks that read both wire forms into one model: XML (all text, lists wrapped as
 * `<plural><singular/>...</plural>`) and JSON (booleans and integers as strings, dates as epoch ms,
 * lists wrapped as `{"plural": {"singular": [...]}}`).
 */
import { z } from 'zod';

/** A boolean given as `true`/`false` text, a JSON string, or a JSON boolean. */
export const zBool = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : value;
}, z.boolean());

/** An integer given as text or JSON number/string (sizes in bytes fit a double exactly below 2^53). */
export const zInt = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number());

/** A decimal (e.g. affinity priority) given as text or number. */
export const zNum = zInt;

/** A timestamp: XML dateTime text or JSON epoch milliseconds, normalised to ISO-8601 text. */
export const zDate = z.preprocess((value) => {
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string' && /^\d+$/.test(value)) return new Date(Number(value)).toISOString();
  return value;
}, z.string());

/** Text (an empty XML element `<x/>` parses as ''). */
export const zStr = z.string();

/**
 * A nested element read as an object. An empty element (`<initialization/>`) parses as '' and is
 * read as an object with no fields, so a VM whose initialization was cleared can still be read.
 */
export function zObject<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess((v) => (v === '' ? {} : v), z.object(shape));
}

/** Turns the wrapper of a list into a plain array: `{item: x | x[]}`, '' or {} (empty), or an array. */
export function unwrapList(value: unknown, item: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (value === '') return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') {
    const inner = (value as Record<string, unknown>)[item];
    if (inner === undefined) return [];
    return Array.isArray(inner) ? inner : [inner];
  }
  return value;
}

/** An optional nested list `<plural><item/>...</plural>`, read as an array of `schema`. */
export function zList<T extends z.ZodType>(item: string, schema: T) {
  return z.preprocess((v) => unwrapList(v, item), z.array(schema).optional());
}

/** A reference to another object: `<cluster href="..." id="..."/>` (sometimes only id or name). */
export const zRef = zObject({
  id: zStr.optional(),
  href: zStr.optional(),
  name: zStr.optional(),
});
export type Ref = z.infer<typeof zRef>;

/** Fields every identified entity has: id required, the rest optional. */
export const identified = {
  id: zStr,
  href: zStr.optional(),
  name: zStr.optional(),
  description: zStr.optional(),
  comment: zStr.optional(),
};

/** A link to a sub-collection or an action, as found in `<link rel href/>` and `<actions>`. */
export const zLink = zObject({ rel: zStr.optional(), href: zStr.optional() });

/** CPU topology `<topology><sockets/><cores/><threads/></topology>` (VMs, templates, hosts). */
export const zTopology = zObject({ sockets: zInt.optional(), cores: zInt.optional(), threads: zInt.optional() });

/** A MAC address element `<mac><address/></mac>`. */
export const zMac = zObject({ address: zStr.optional() });

/** The models built so far in this process, by name. */
const built = new Set<string>();

/**
 * An engine model whose zod schema is built on its first decode, not when the client loads: a
 * provider process decodes a few kinds of objects, and building all of them cost every plan's
 * ConfigureProvider ~10 ms of CPU (bench/RESULTS.md, issue 13).
 */
export function model<T extends z.ZodType>(name: string, build: () => T): z.ZodLazy<T> {
  let schema: T | undefined;
  // Memoized here too: `unwrap()` calls the getter again where zod's own cache does not.
  return z.lazy(() => {
    if (schema === undefined) {
      built.add(name);
      schema = build();
    }
    return schema;
  });
}

/** Names of the models built so far in this process (see {@link model}). */
export function modelsBuilt(): string[] {
  return [...built];
}

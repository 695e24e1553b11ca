/**
 * cty types, represented exactly as their JSON type text (`"string"`, `["list","number"]`,
 * `["object",{...}]`), so a type needs no conversion before it goes on the wire.
 */

/** A cty primitive type name. */
export type PrimitiveType = 'string' | 'number' | 'bool';

/** Any cty type in its JSON form. */
export type CtyType =
  | PrimitiveType
  | 'dynamic'
  | readonly ['list', CtyType]
  | readonly ['set', CtyType]
  | readonly ['map', CtyType]
  | readonly ['object', { readonly [name: string]: CtyType }]
  | readonly ['tuple', readonly CtyType[]];

/** A cty object type: attribute names and their types. */
export type ObjectType = readonly ['object', { readonly [name: string]: CtyType }];

/** Builders for cty types with precise TypeScript literal types. */
// eslint-disable-next-line local/short-names -- a type notation read everywhere: t.list(t.string), as cty writes it
export const t = {
  string: 'string' as const,
  number: 'number' as const,
  bool: 'bool' as const,
  dynamic: 'dynamic' as const,
  list: <E extends CtyType>(e: E) => ['list', e] as const,
  set: <E extends CtyType>(e: E) => ['set', e] as const,
  map: <E extends CtyType>(e: E) => ['map', e] as const,
  object: <A extends { readonly [name: string]: CtyType }>(a: A) => ['object', a] as const,
  tuple: <E extends readonly CtyType[]>(...e: E) => ['tuple', e] as const,
};

/** Returns the JSON type text Terraform expects in `Schema.Attribute.type`. */
export function typeJson(ty: CtyType): string {
  return JSON.stringify(ty);
}

/** Parses a JSON type text (as found in dynamic values) and checks its shape. */
export function parseType(text: string): CtyType {
  return checkType(JSON.parse(text) as unknown);
}

function checkType(parsed: unknown): CtyType {
  if (parsed === 'string' || parsed === 'number' || parsed === 'bool' || parsed === 'dynamic') return parsed;
  if (Array.isArray(parsed)) {
    const [kind, arg] = parsed as [unknown, unknown];
    if (kind === 'list' || kind === 'set' || kind === 'map') return [kind, checkType(arg)] as const;
    if (kind === 'object' && arg && typeof arg === 'object') {
      const out: Record<string, CtyType> = {};
      for (const [k, e] of Object.entries(arg)) out[k] = checkType(e);
      return ['object', out] as const;
    }
    if (kind === 'tuple' && Array.isArray(arg)) return ['tuple', arg.map(checkType)] as const;
  }
  throw new TypeError(`invalid cty type: ${JSON.stringify(parsed)}`);
}

/** True when the type (or any type inside it) is `dynamic`. */
export function hasDynamic(ty: CtyType): boolean {
  if (ty === 'dynamic') return true;
  if (typeof ty === 'string') return false;
  if (ty[0] === 'object') return Object.values(ty[1]).some(hasDynamic);
  if (ty[0] === 'tuple') return ty[1].some(hasDynamic);
  return hasDynamic(ty[1]);
}

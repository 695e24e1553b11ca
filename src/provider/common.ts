/**
 * Attribute pieces shared by several resources and data sources: ids, UUID checks, enum
 * validators, and the conversions between engine values and Terraform values.
 */
import {
  attr,
  matches,
  useStateForUnknown,
  LosslessNumber,
  isUnknown,
  containsUnknown,
  type Validator,
} from '../tfplugin';

/** Engine ids are UUIDs. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Checks that a value is an engine id (a UUID). */
export const isUuid: Validator<string> = matches(
  UUID_PATTERN,
  'an engine id (a UUID such as 1f0d6c39-27a6-4d0a-9d6e-8f0e8f7b2a10)',
);

/** The computed `id` attribute every resource has; kept across plans once known. */
export function idAttribute(description: string) {
  return attr.string({
    computed: true,
    description,
    planModifiers: [useStateForUnknown()],
  });
}

/** A required engine id that replaces the resource when it changes. */
export function parentIdAttribute(description: string) {
  return attr.string({
    required: true,
    forceNew: true,
    description,
    validators: [isUuid],
  });
}

/** A number from a plan or state value (handles LosslessNumber); undefined for null/unknown. */
export function num(value: unknown): number | undefined {
  if (value === null || value === undefined || isUnknown(value)) return undefined;
  if (value instanceof LosslessNumber) return Number(value.valueOf());
  return typeof value === 'number' ? value : Number(value);
}

/** A string from a plan or state value; undefined for null/unknown. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A property of a thrown value or abort reason when it has one. Duck-typed: errors from
 *  another realm (fetch's, a test runner's) fail `instanceof Error`. */
export function propertyOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Reflect.get(value, name) : undefined;
}

/** A boolean from a plan or state value; undefined for null/unknown. */
export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A string list from a plan or state value; undefined for null/unknown. */
export function strList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((e): e is string => typeof e === 'string') ? value : undefined;
}

/** Engine strings that are empty mean "not set": Terraform sees null, so an unset optional attribute shows no diff. */
export function orNull<T>(value: T | undefined | ''): T | null {
  return value === undefined || value === '' ? null : value;
}

/** Splits a composite import id `a/b[/c]` into exactly `count` non-empty parts, or undefined. */
export function splitId(id: string, count: number): string[] | undefined {
  const parts = id.split('/');
  return parts.length === count && parts.every((p) => p.length > 0) ? parts : undefined;
}

/**
 * The state to return after create/update: every value the plan knows (Terraform requires them
 * unchanged), the engine's value for everything the plan left unknown.
 */
export function settle<T extends object>(plan: object, actual: T): T {
  const out = { ...actual };
  for (const [name, value] of Object.entries(plan)) {
    if (name in out && !containsUnknown(value)) Object.assign(out, { [name]: value });
  }
  return out;
}

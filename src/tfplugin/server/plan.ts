/**
 * Planning helpers for PlanResourceChange: defaults, "computed and unset becomes unknown" when
 * anything changes, plan modifiers (useStateForUnknown...), and requires_replace paths from
 * force-new attributes. Works on one block level and recurses into nested blocks.
 */
import { UNKNOWN, isRecord, isUnknown, valuesEqual } from '../cty/value';
import type { AttributePath, Diagnostics } from '../diagnostics';
import type { BlockSchema } from '../schema/types';

type Obj = Record<string, unknown>;

/** Inputs of one block level of a plan. */
export interface PlanLevel {
  schema: BlockSchema;
  config: Obj | null;
  prior: Obj | null;
  /** Planned values, modified in place. */
  planned: Obj;
  path: AttributePath;
}

/** Sets defaults for optional+computed attributes the config leaves unset, and nulls write-only ones. */
export function applyDefaults(level: PlanLevel): void {
  for (const [name, a] of Object.entries(level.schema.attributes)) {
    const cfg = level.config?.[name] ?? null;
    if (a.options.writeOnly) level.planned[name] = null;
    else if (cfg === null && a.options.default !== undefined) level.planned[name] = a.options.default;
  }
  forNested(level, applyDefaults);
}

/** Marks computed attributes that config leaves unset as unknown (call only when changing). */
export function markComputedUnknown(level: PlanLevel): void {
  for (const [name, a] of Object.entries(level.schema.attributes)) {
    const cfg = level.config?.[name] ?? null;
    if (a.options.computed && cfg === null && a.options.default === undefined) level.planned[name] = UNKNOWN;
  }
  forNested(level, markComputedUnknown);
}

/** Runs plan modifiers; returns the paths they say require replacement. */
export function runModifiers(level: PlanLevel, creating: boolean, diags: Diagnostics): AttributePath[] {
  const replace: AttributePath[] = [];
  const siblingChanged = (n: string) => changed(level, n);
  for (const [name, a] of Object.entries(level.schema.attributes)) {
    const path: AttributePath = [...level.path, { attribute: name }];
    const mods = a.options.planModifiers ?? [];
    for (const m of mods) {
      const req = {
        path,
        config: level.config?.[name] ?? null,
        state: level.prior?.[name] ?? null,
        plan: level.planned[name],
        creating,
        siblingChanged,
        diags,
      };
      const next = m.modify(req);
      if (next !== undefined) level.planned[name] = next;
      if (
        !creating &&
        m.requiresReplace &&
        !valuesEqual(level.prior?.[name] ?? null, level.planned[name]) &&
        m.requiresReplace({ ...req, plan: level.planned[name] })
      ) {
        replace.push(path);
      }
    }
  }
  forNested(level, (sub) => replace.push(...runModifiers(sub, creating, diags)));
  return replace;
}

/**
 * Whether the plan changes attribute `name` of this level. A computed attribute that config leaves
 * unset (and that has no default) counts as unchanged: it follows its own dependencies, which a
 * modifier lists itself, so the answer never depends on whether its modifier already ran.
 */
function changed(level: PlanLevel, name: string): boolean {
  const attribute = level.schema.attributes[name];
  if (!attribute) throw new Error(`a plan modifier names "${name}", which is not an attribute of this block`);
  const cfg = level.config?.[name] ?? null;
  if (attribute.options.computed && cfg === null && attribute.options.default === undefined) return false;
  const value = level.planned[name] ?? null;
  return isUnknown(value) || !valuesEqual(level.prior?.[name] ?? null, value);
}

/** Paths of force-new attributes whose planned value differs from prior (or is unknown). */
export function forceNewPaths(level: PlanLevel): AttributePath[] {
  if (!level.prior) return [];
  const out: AttributePath[] = [];
  for (const [name, a] of Object.entries(level.schema.attributes)) {
    if (!a.options.forceNew) continue;
    const pl = level.planned[name];
    if (isUnknown(pl) || !valuesEqual(level.prior[name] ?? null, pl ?? null))
      out.push([...level.path, { attribute: name }]);
  }
  forNested(level, (sub) => out.push(...forceNewPaths(sub)));
  return out;
}

/** The config element a planned set element was proposed from: the first unused one whose set
 *  attribute values it carries (set order follows the values, so config and plan can differ in it). */
function setConfigOf(planned: Obj, configs: Obj[], used: Set<number>): Obj | null {
  const scalar = (value: unknown) =>
    value !== null && !isUnknown(value) && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype;
  const index = configs.findIndex(
    (config, position) =>
      !used.has(position) &&
      Object.entries(config).every(([name, value]) => !scalar(value) || valuesEqual(value, planned[name] ?? null)),
  );
  if (index < 0) return null;
  used.add(index);
  return configs[index] ?? null;
}

/** Applies fn to each nested block instance, pairing planned elements with config and prior
 *  elements at the same index (list), key (map), or the single object. Set elements are paired
 *  with their config element by value and get no prior (there is no stable pairing). */
function forNested(level: PlanLevel, fn: (sub: PlanLevel) => void): void {
  for (const [name, nested] of Object.entries(level.schema.blocks ?? {})) {
    const planned = level.planned[name];
    if (planned === null || planned === undefined || isUnknown(planned)) continue;
    const config = level.config?.[name];
    const prior = level.prior?.[name];
    const at: AttributePath = [...level.path, { attribute: name }];
    const visit = (plannedBlock: unknown, configBlock: unknown, priorBlock: unknown, path: AttributePath) => {
      const block = knownObject(plannedBlock);
      if (block) {
        fn({
          schema: nested.block,
          planned: block,
          config: knownObject(configBlock),
          prior: knownObject(priorBlock),
          path,
        });
      }
    };
    if (nested.nesting === 'single') visit(planned, config, prior, at);
    else if (nested.nesting === 'map') {
      if (!isRecord(planned)) continue;
      for (const key of Object.keys(planned)) {
        visit(planned[key], element(config, key), element(prior, key), [...at, { key }]);
      }
    } else if (nested.nesting === 'set') {
      if (!Array.isArray(planned)) continue;
      const configs = Array.isArray(config) ? config.map(knownObject).filter((block) => block !== null) : [];
      const used = new Set<number>();
      planned.forEach((block, index) => {
        const plannedBlock = knownObject(block);
        visit(block, plannedBlock && setConfigOf(plannedBlock, configs, used), null, [...at, { index }]);
      });
    } else if (Array.isArray(planned)) {
      planned.forEach((block, index) =>
        visit(block, element(config, index), element(prior, index), [...at, { index }]),
      );
    }
  }
}

/** A block value that is a known object, else null. */
function knownObject(value: unknown): Obj | null {
  return isRecord(value) && !isUnknown(value) ? value : null;
}

/** An element of a list or map block value (undefined when the value is null or unknown). */
function element(container: unknown, key: string | number): unknown {
  return isRecord(container) && !isUnknown(container) ? container[key] : undefined;
}

/**
 * Planning helpers for PlanResourceChange: defaults, "computed and unset becomes unknown" when
 * anything changes, plan modifiers (useStateForUnknown...), and requires_replace paths from
 * force-new attributes. Works on one block level and recurses into nested blocks.
 */
import { UNKNOWN, isUnknown, valuesEqual } from '../cty/value';
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
export function applyDefaults(l: PlanLevel): void {
  for (const [name, a] of Object.entries(l.schema.attributes)) {
    const cfg = l.config?.[name] ?? null;
    if (a.options.writeOnly) l.planned[name] = null;
    else if (cfg === null && a.options.default !== undefined) l.planned[name] = a.options.default;
  }
  forNested(l, applyDefaults);
}

/** Marks computed attributes that config leaves unset as unknown (call only when changing). */
export function markComputedUnknown(l: PlanLevel): void {
  for (const [name, a] of Object.entries(l.schema.attributes)) {
    const cfg = l.config?.[name] ?? null;
    if (a.options.computed && cfg === null && a.options.default === undefined) l.planned[name] = UNKNOWN;
  }
  forNested(l, markComputedUnknown);
}

/** Runs plan modifiers; returns the paths they say require replacement. */
export function runModifiers(l: PlanLevel, creating: boolean, diags: Diagnostics): AttributePath[] {
  const replace: AttributePath[] = [];
  const siblingChanged = (n: string) => changed(l, n);
  for (const [name, a] of Object.entries(l.schema.attributes)) {
    const path: AttributePath = [...l.path, { attribute: name }];
    const mods = a.options.planModifiers ?? [];
    for (const m of mods) {
      const req = {
        path,
        config: l.config?.[name] ?? null,
        state: (l.prior?.[name] ?? null) as never,
        plan: l.planned[name] as never,
        creating,
        siblingChanged,
        diags,
      };
      const next = m.modify(req);
      if (next !== undefined) l.planned[name] = next;
      if (
        !creating &&
        m.requiresReplace &&
        !valuesEqual(l.prior?.[name] ?? null, l.planned[name]) &&
        m.requiresReplace({ ...req, plan: l.planned[name] as never })
      ) {
        replace.push(path);
      }
    }
  }
  forNested(l, (sub) => replace.push(...runModifiers(sub, creating, diags)));
  return replace;
}

/**
 * Whether the plan changes attribute `n` of this level. A computed attribute that config leaves
 * unset (and that has no default) counts as unchanged: it follows its own dependencies, which a
 * modifier lists itself, so the answer never depends on whether its modifier already ran.
 */
function changed(l: PlanLevel, n: string): boolean {
  const a = l.schema.attributes[n];
  if (!a) throw new Error(`a plan modifier names "${n}", which is not an attribute of this block`);
  const cfg = l.config?.[n] ?? null;
  if (a.options.computed && cfg === null && a.options.default === undefined) return false;
  const v = l.planned[n] ?? null;
  return isUnknown(v) || !valuesEqual(l.prior?.[n] ?? null, v);
}

/** Paths of force-new attributes whose planned value differs from prior (or is unknown). */
export function forceNewPaths(l: PlanLevel): AttributePath[] {
  if (!l.prior) return [];
  const out: AttributePath[] = [];
  for (const [name, a] of Object.entries(l.schema.attributes)) {
    if (!a.options.forceNew) continue;
    const pl = l.planned[name];
    if (isUnknown(pl) || !valuesEqual(l.prior[name] ?? null, pl ?? null)) out.push([...l.path, { attribute: name }]);
  }
  forNested(l, (sub) => out.push(...forceNewPaths(sub)));
  return out;
}

/** The config element a planned set element was proposed from: the first unused one whose set
 *  attribute values it carries (set order follows the values, so config and plan can differ in it). */
function setConfigOf(planned: Obj, configs: Obj[], used: Set<number>): Obj | null {
  const scalar = (v: unknown) =>
    v !== null && !isUnknown(v) && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype;
  const index = configs.findIndex(
    (config, n) =>
      !used.has(n) && Object.entries(config).every(([k, v]) => !scalar(v) || valuesEqual(v, planned[k] ?? null)),
  );
  if (index < 0) return null;
  used.add(index);
  return configs[index];
}

/** Applies fn to each nested block instance, pairing planned elements with config and prior
 *  elements at the same index (list), key (map), or the single object. Set elements are paired
 *  with their config element by value and get no prior (there is no stable pairing). */
function forNested(l: PlanLevel, fn: (sub: PlanLevel) => void): void {
  for (const [name, nb] of Object.entries(l.schema.blocks ?? {})) {
    const pv = l.planned[name];
    if (pv === null || pv === undefined || isUnknown(pv)) continue;
    const cv = l.config?.[name] as unknown;
    const sv = l.prior?.[name] as unknown;
    const at: AttributePath = [...l.path, { attribute: name }];
    const sub = (planned: unknown, config: unknown, prior: unknown, path: AttributePath) => {
      if (planned && !isUnknown(planned)) {
        fn({
          schema: nb.block,
          planned: planned as Obj,
          config: (config ?? null) as Obj | null,
          prior: (prior ?? null) as Obj | null,
          path,
        });
      }
    };
    if (nb.nesting === 'single') sub(pv, cv, sv, at);
    else if (nb.nesting === 'map') {
      for (const k of Object.keys(pv as Obj))
        sub((pv as Obj)[k], (cv as Obj | null)?.[k], (sv as Obj | null)?.[k], [...at, { key: k }]);
    } else if (nb.nesting === 'set') {
      const configs = (cv as Obj[] | null) ?? [];
      const used = new Set<number>();
      (pv as Obj[]).forEach((e, i) => sub(e, setConfigOf(e, configs, used), null, [...at, { index: i }]));
    } else {
      (pv as unknown[]).forEach((e, i) =>
        sub(e, (cv as unknown[] | null)?.[i], (sv as unknown[] | null)?.[i], [...at, { index: i }]),
      );
    }
  }
}

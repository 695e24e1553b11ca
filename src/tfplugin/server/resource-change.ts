/**
 * PlanResourceChange and ApplyResourceChange: the SDK plans (defaults, computed unknowns,
 * modifiers, requires_replace, the resource's modifyPlan), then dispatches apply to create,
 * update or delete and checks the result before Terraform does.
 */
import { valuesEqual } from '../cty/value';
import { Diagnostics, type AttributePath } from '../diagnostics';
import type { Msg } from '../protocol/wire';
import type { ServerContext } from './context';
import { applyDefaults, forceNewPaths, markComputedUnknown, runModifiers, type PlanLevel } from './plan';
import { TIMEOUTS_BLOCK, fillEmptyBlocks } from './schema-model';
import type { BlockSchema } from '../schema/types';
import { JsonPrivateState, diagMessages, fromDynamic, guarded, nullUnknowns, pathMessage, toDynamic } from './support';

type Obj = Record<string, unknown>;

/** PlanResourceChange. */
export async function planResourceChange(ctx: ServerContext, req: Msg): Promise<Msg> {
  const diags = new Diagnostics();
  const e = ctx.resource(String(req.type_name), diags);
  if (!e) return { diagnostics: diagMessages(diags) };
  const prior = fromDynamic(req.prior_state, e.type) as Obj | null;
  const proposed = fromDynamic(req.proposed_new_state, e.type) as Obj | null;
  const config = fromDynamic(req.config, e.type) as Obj | null;
  if (proposed === null) {
    // A destroy plan (plan_destroy capability): nothing to decide.
    return { planned_state: toDynamic(null, e.type), planned_private: req.prior_private, diagnostics: [] };
  }
  const planned = structuredCloneValue(proposed);
  const level: PlanLevel = { schema: e.block, config, prior, planned, path: [] };
  const creating = prior === null;
  applyDefaults(level);
  if (creating || !valuesEqual(planned, prior)) markComputedUnknown(level);
  const replace: AttributePath[] = [...runModifiers(level, creating, diags), ...forceNewPaths(level)];
  if (e.def.modifyPlan && !diags.hasError()) {
    await guarded('ModifyPlan', diags, () =>
      e.def.modifyPlan!({
        config: config as never,
        plan: planned as never,
        state: prior as never,
        client: ctx.client,
        diags,
        signal: ctx.stop.signal,
        log: ctx.log,
        requireReplace: (a) => replace.push([{ attribute: a }]),
      }),
    );
  }
  if (diags.hasError()) return { diagnostics: diagMessages(diags) };
  const unique = new Map(replace.map((p) => [JSON.stringify(p), p]));
  return {
    planned_state: toDynamic(planned, e.type),
    requires_replace: creating ? [] : [...unique.values()].map(pathMessage),
    planned_private: req.prior_private,
    diagnostics: diagMessages(diags),
  };
}

/** Copies a plain value tree (objects and arrays) so planning never aliases proposed values. */
function structuredCloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(structuredCloneValue) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Obj = {};
    for (const [k, e] of Object.entries(v)) out[k] = structuredCloneValue(e);
    return out as T;
  }
  return v;
}

/** Completes a handler's returned object: every attribute present (null when missing), and the
 *  SDK-managed `timeouts` block copied from the plan. */
export function completeState(
  result: Obj,
  planned: Obj | null,
  e: { type: unknown; block: BlockSchema; def: { timeouts?: object } },
): Obj {
  const out: Obj = {};
  const attrs = (e.type as ['object', Obj])[1];
  for (const k of Object.keys(attrs)) out[k] = result[k] === undefined ? null : result[k];
  if (e.def.timeouts) out[TIMEOUTS_BLOCK] = planned?.[TIMEOUTS_BLOCK] ?? null;
  return fillEmptyBlocks(e.block, out) as Obj;
}

/** ApplyResourceChange. */
export async function applyResourceChange(ctx: ServerContext, req: Msg): Promise<Msg> {
  const diags = new Diagnostics();
  const e = ctx.resource(String(req.type_name), diags);
  if (!e || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  const prior = fromDynamic(req.prior_state, e.type) as Obj | null;
  const planned = fromDynamic(req.planned_state, e.type) as Obj | null;
  const config = fromDynamic(req.config, e.type) as Obj | null;
  const priv = new JsonPrivateState(req.planned_private);
  const base = { client: ctx.client, diags, log: ctx.log.with({ tf_resource_type: e.def.typeName }), private: priv };
  let result: Obj | null;
  if (planned === null) {
    const signal = ctx.operationSignal(e.def, 'delete', prior, diags);
    await guarded('Delete', diags, () => e.def.delete({ ...base, state: prior as never, signal }));
    result = diags.hasError() ? prior : null;
  } else if (prior === null) {
    const signal = ctx.operationSignal(e.def, 'create', planned, diags);
    result = ((await guarded('Create', diags, () =>
      e.def.create({ ...base, config: config as never, plan: planned as never, signal }),
    )) ?? null) as Obj | null;
    if (result === null && !diags.hasError()) {
      diags.error(
        'Missing Resource State After Create',
        `The create handler of ${e.def.typeName} returned no state and no error. This is a bug in the provider.`,
      );
    }
  } else if (!e.def.update) {
    diags.error(
      'Update Not Supported',
      `${e.def.typeName} cannot be updated in place; this change should have required replacement. This is a bug in the provider.`,
    );
    result = prior;
  } else {
    const signal = ctx.operationSignal(e.def, 'update', planned, diags);
    const updated = await guarded('Update', diags, () =>
      e.def.update!({ ...base, config: config as never, plan: planned as never, state: prior as never, signal }),
    );
    result = (updated ?? (diags.hasError() ? prior : null)) as Obj | null;
  }
  if (result !== null) result = nullUnknowns(completeState(result, planned, e), diags, 'apply') as Obj;
  return { new_state: toDynamic(result, e.type), private: priv.bytes(), diagnostics: diagMessages(diags) };
}

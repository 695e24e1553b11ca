/**
 * PlanResourceChange and ApplyResourceChange: the SDK plans (defaults, computed unknowns,
 * modifiers, requires_replace, the resource's modifyPlan), then dispatches apply to create,
 * update or delete and checks the result before Terraform does.
 */
import type { ObjectType } from '../cty/type';
import { isRecord, valuesEqual } from '../cty/value';
import { Diagnostics, path, type AttributePath } from '../diagnostics';
import type { ProviderRequest, ProviderResponse, ServerContext } from './context';
import { applyDefaults, forceNewPaths, markComputedUnknown, runModifiers, type PlanLevel } from './plan';
import { TIMEOUTS_BLOCK, fillEmptyBlocks } from './schema-model';
import type { BlockSchema } from '../schema/types';
import {
  JsonPrivateState,
  diagMessages,
  guarded,
  nullUnknownAttributes,
  objectFromDynamic,
  pathMessage,
  toDynamic,
} from './support';

type Obj = Record<string, unknown>;

/** PlanResourceChange. */
export async function planResourceChange(
  ctx: ServerContext,
  req: ProviderRequest<'PlanResourceChange'>,
): Promise<ProviderResponse<'PlanResourceChange'>> {
  const diags = new Diagnostics();
  const entry = ctx.resource(String(req.type_name), diags);
  if (!entry) return { diagnostics: diagMessages(diags) };
  const prior = objectFromDynamic(req.prior_state, entry.type);
  const proposed = objectFromDynamic(req.proposed_new_state, entry.type);
  const config = objectFromDynamic(req.config, entry.type);
  if (proposed === null || config === null) {
    // A destroy plan (plan_destroy capability): nothing to decide.
    return { planned_state: toDynamic(null, entry.type), planned_private: req.prior_private, diagnostics: [] };
  }
  const planned = cloneObject(proposed);
  const level: PlanLevel = { schema: entry.block, config, prior, planned, path: [] };
  const creating = prior === null;
  applyDefaults(level);
  if (creating || !valuesEqual(planned, prior)) markComputedUnknown(level);
  const replace: AttributePath[] = [...runModifiers(level, creating, diags), ...forceNewPaths(level)];
  if (entry.def.modifyPlan && !diags.hasError()) {
    await guarded('ModifyPlan', diags, () =>
      entry.def.modifyPlan!({
        config,
        plan: planned,
        state: prior,
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
    planned_state: toDynamic(planned, entry.type),
    requires_replace: creating ? [] : [...unique.values()].map(pathMessage),
    planned_private: req.prior_private,
    diagnostics: diagMessages(diags),
  };
}

/** Copies a plain value tree (objects and arrays) so planning never aliases proposed values. */
function structuredCloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCloneValue);
  return isRecord(value) && Object.getPrototypeOf(value) === Object.prototype ? cloneObject(value) : value;
}

function cloneObject(object: Obj): Obj {
  const out: Obj = {};
  for (const [name, value] of Object.entries(object)) out[name] = structuredCloneValue(value);
  return out;
}

/** Completes a handler's returned object: every attribute present (null when missing), and the
 *  SDK-managed `timeouts` block copied from the plan. */
export function completeState(
  result: Obj,
  planned: Obj | null,
  entry: { type: ObjectType; block: BlockSchema; def: { timeouts?: object } },
): Obj {
  const out: Obj = {};
  for (const name of Object.keys(entry.type[1])) out[name] = result[name] === undefined ? null : result[name];
  if (entry.def.timeouts) out[TIMEOUTS_BLOCK] = planned?.[TIMEOUTS_BLOCK] ?? null;
  fillEmptyBlocks(entry.block, out);
  return out;
}

/** Checks the guarantee {@link StateOf} gives handlers: a prior state has its string `id`
 *  (Terraform passes back what create or import returned; a hand-edited state may not). */
export function hasId(
  entry: { block: BlockSchema; def: { typeName: string } },
  prior: Obj,
  diags: Diagnostics,
): boolean {
  if (entry.block.attributes.id?.type !== 'string' || typeof prior.id === 'string') return true;
  diags.error(
    'Missing Resource Id',
    `The state of this ${entry.def.typeName} has no id, so the provider cannot find its object. Remove it from the state (terraform state rm) and import it again.`,
    path('id'),
  );
  return false;
}

/** ApplyResourceChange. */
export async function applyResourceChange(
  ctx: ServerContext,
  req: ProviderRequest<'ApplyResourceChange'>,
): Promise<ProviderResponse<'ApplyResourceChange'>> {
  const diags = new Diagnostics();
  const entry = ctx.resource(String(req.type_name), diags);
  if (!entry || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  const prior = objectFromDynamic(req.prior_state, entry.type);
  const planned = objectFromDynamic(req.planned_state, entry.type);
  // Null only when deleting, where no handler reads it.
  const config = objectFromDynamic(req.config, entry.type) ?? {};
  if (prior && !hasId(entry, prior, diags)) return { new_state: req.prior_state, diagnostics: diagMessages(diags) };
  const priv = new JsonPrivateState(req.planned_private);
  const base = {
    client: ctx.client,
    diags,
    log: ctx.log.with({ tf_resource_type: entry.def.typeName }),
    private: priv,
  };
  let result: Obj | null;
  if (planned === null) {
    if (prior !== null) {
      const signal = ctx.operationSignal(entry.def, 'delete', prior, diags);
      await guarded('Delete', diags, () => entry.def.delete({ ...base, state: prior, signal }));
    }
    result = diags.hasError() ? prior : null;
  } else if (prior === null) {
    const signal = ctx.operationSignal(entry.def, 'create', planned, diags);
    result =
      (await guarded('Create', diags, () => entry.def.create({ ...base, config, plan: planned, signal }))) ?? null;
    if (result === null && !diags.hasError()) {
      diags.error(
        'Missing Resource State After Create',
        `The create handler of ${entry.def.typeName} returned no state and no error. This is a bug in the provider.`,
      );
    }
  } else if (!entry.def.update) {
    diags.error(
      'Update Not Supported',
      `${entry.def.typeName} cannot be updated in place; this change should have required replacement. This is a bug in the provider.`,
    );
    result = prior;
  } else {
    const signal = ctx.operationSignal(entry.def, 'update', planned, diags);
    const updated = await guarded('Update', diags, () =>
      entry.def.update!({ ...base, config, plan: planned, state: prior, signal }),
    );
    result = updated ?? (diags.hasError() ? prior : null);
  }
  if (result !== null) result = nullUnknownAttributes(completeState(result, planned, entry), diags, 'apply');
  return { new_state: toDynamic(result, entry.type), private: priv.bytes(), diagnostics: diagMessages(diags) };
}

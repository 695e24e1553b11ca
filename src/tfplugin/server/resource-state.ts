/**
 * ReadResource, ImportResourceState and UpgradeResourceState: everything that produces a
 * resource's state without a plan.
 */
import { fromWire, type WireForm } from '../cty/convert';
import { parseLosslessJson } from '../cty/json';
import { parseType } from '../cty/type';
import { isRecord } from '../cty/value';
import { Diagnostics } from '../diagnostics';
import type { ProviderRequest, ProviderResponse, ServerContext } from './context';
import { completeState, hasId } from './resource-change';
import { fillEmptyBlocks } from './schema-model';
import {
  JsonPrivateState,
  diagMessages,
  guarded,
  nullUnknownAttributes,
  objectFromDynamic,
  toDynamic,
} from './support';

/** ReadResource: refresh. Null from the handler means the object is gone; private is passed
 *  through (Terraform stores whatever comes back). */
export async function readResource(
  ctx: ServerContext,
  req: ProviderRequest<'ReadResource'>,
): Promise<ProviderResponse<'ReadResource'>> {
  const diags = new Diagnostics();
  const entry = ctx.resource(String(req.type_name), diags);
  if (!entry || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags), private: req.private };
  const state = objectFromDynamic(req.current_state, entry.type);
  const priv = new JsonPrivateState(req.private);
  if (state === null) return { new_state: toDynamic(null, entry.type), private: req.private, diagnostics: [] };
  if (!hasId(entry, state, diags))
    return { new_state: req.current_state, private: req.private, diagnostics: diagMessages(diags) };
  const signal = ctx.operationSignal(entry.def, 'read', state, diags);
  const result = await guarded('Read', diags, () =>
    entry.def.read({
      client: ctx.client,
      diags,
      signal,
      log: ctx.log.with({ tf_resource_type: entry.def.typeName }),
      state,
      private: priv,
    }),
  );
  if (diags.hasError())
    return { new_state: toDynamic(state, entry.type), private: req.private, diagnostics: diagMessages(diags) };
  const next = result ? nullUnknownAttributes(completeState(result, state, entry), diags, 'read') : null;
  return { new_state: toDynamic(next, entry.type), private: priv.bytes(), diagnostics: diagMessages(diags) };
}

/** ImportResourceState: the handler turns an id into enough state for read. */
export async function importResourceState(
  ctx: ServerContext,
  req: ProviderRequest<'ImportResourceState'>,
): Promise<ProviderResponse<'ImportResourceState'>> {
  const diags = new Diagnostics();
  const entry = ctx.resource(String(req.type_name), diags);
  if (!entry || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  if (!entry.def.importState) {
    diags.error('Resource Import Not Implemented', `${entry.def.typeName} does not support import.`);
    return { diagnostics: diagMessages(diags) };
  }
  const priv = new JsonPrivateState();
  const id = String(req.id ?? '');
  const partial = await guarded('Import', diags, () =>
    entry.def.importState!({
      id,
      client: ctx.client,
      diags,
      signal: ctx.stop.signal,
      log: ctx.log,
      private: priv,
    }),
  );
  if (diags.hasError() || !partial) {
    if (!diags.hasError()) diags.error('Cannot Import', `No ${entry.def.typeName} with id "${id}" was found.`);
    return { diagnostics: diagMessages(diags) };
  }
  const state = completeState(partial, null, entry);
  return {
    imported_resources: [{ type_name: entry.def.typeName, state: toDynamic(state, entry.type), private: priv.bytes() }],
    diagnostics: diagMessages(diags),
  };
}

const jsonForm: WireForm = {
  unknown: () => undefined,
  dynamic(raw) {
    if (!isRecord(raw)) throw new Error('a dynamic value in state JSON must be an object with type and value');
    return { type: parseType(JSON.stringify(raw.type)), value: raw.value };
  },
};

/** UpgradeResourceState: runs upgraders from the stored version to the current one, then reads
 *  the JSON against the current schema (new attributes become null, removed ones are dropped). */
export async function upgradeResourceState(
  ctx: ServerContext,
  req: ProviderRequest<'UpgradeResourceState'>,
): Promise<ProviderResponse<'UpgradeResourceState'>> {
  const diags = new Diagnostics();
  const entry = ctx.resource(String(req.type_name), diags);
  if (!entry) return { diagnostics: diagMessages(diags) };
  const json = req.raw_state?.json;
  if (!json || json.length === 0) {
    if (req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length) {
      diags.error(
        'Unsupported State Format',
        'This state was written in the legacy flatmap format, which this provider cannot read.',
      );
    }
    return { upgraded_state: toDynamic(null, entry.type), diagnostics: diagMessages(diags) };
  }
  const upgraded = await guarded('UpgradeResourceState', diags, () => {
    const parsed = parseLosslessJson(Buffer.from(json).toString('utf8'));
    if (!isRecord(parsed)) throw new Error(`the stored state of ${entry.def.typeName} is not a JSON object`);
    let raw = parsed;
    const current = entry.def.version ?? 0;
    for (let v = Number(req.version ?? 0); v < current; v++) {
      const up = entry.def.upgraders?.[v];
      if (!up) throw new Error(`no upgrader from schema version ${v} of ${entry.def.typeName}`);
      raw = up(raw);
    }
    const state = fromWire(raw, entry.type, jsonForm);
    fillEmptyBlocks(entry.block, state);
    return state;
  });
  if (diags.hasError()) return { diagnostics: diagMessages(diags) };
  return { upgraded_state: toDynamic(upgraded, entry.type), diagnostics: diagMessages(diags) };
}

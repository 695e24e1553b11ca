/** ReadDataSource. */
import { Diagnostics } from '../diagnostics';
import type { Msg } from '../protocol/wire';
import type { ServerContext } from './context';
import { diagMessages, fromDynamic, guarded, nullUnknowns, toDynamic } from './support';

/** ReadDataSource: the handler returns the full object, which must be wholly known. */
export async function readDataSource(ctx: ServerContext, req: Msg): Promise<Msg> {
  const diags = new Diagnostics();
  const e = ctx.dataSource(String(req.type_name), diags);
  if (!e || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  const config = fromDynamic(req.config, e.type) as Record<string, unknown>;
  const result = await guarded('ReadDataSource', diags, () =>
    e.def.read({
      config: config as never,
      client: ctx.client,
      diags,
      signal: ctx.stop.signal,
      log: ctx.log.with({ tf_data_source_type: e.def.typeName }),
    }),
  );
  if (diags.hasError() || !result) {
    if (!diags.hasError())
      diags.error('Missing Data Source State', `${e.def.typeName} returned nothing. This is a bug in the provider.`);
    return { diagnostics: diagMessages(diags) };
  }
  const attrs = (e.type as ['object', Record<string, unknown>])[1];
  const full: Record<string, unknown> = {};
  for (const k of Object.keys(attrs)) full[k] = (result as Record<string, unknown>)[k] ?? null;
  return { state: toDynamic(nullUnknowns(full, diags, 'read'), e.type), diagnostics: diagMessages(diags) };
}

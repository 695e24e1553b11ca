/** ReadDataSource. */
import { Diagnostics } from '../diagnostics';
import type { ProviderRequest, ProviderResponse, ServerContext } from './context';
import { diagMessages, guarded, nullUnknownAttributes, objectFromDynamic, toDynamic } from './support';

/** ReadDataSource: the handler returns the full object, which must be wholly known. */
export async function readDataSource(
  ctx: ServerContext,
  req: ProviderRequest<'ReadDataSource'>,
): Promise<ProviderResponse<'ReadDataSource'>> {
  const diags = new Diagnostics();
  const e = ctx.dataSource(String(req.type_name), diags);
  if (!e || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  const config = objectFromDynamic(req.config, e.type) ?? {};
  const result = await guarded('ReadDataSource', diags, () =>
    e.def.read({
      config,
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
  const full: Record<string, unknown> = {};
  for (const name of Object.keys(e.type[1])) full[name] = result[name] ?? null;
  return { state: toDynamic(nullUnknownAttributes(full, diags, 'read'), e.type), diagnostics: diagMessages(diags) };
}

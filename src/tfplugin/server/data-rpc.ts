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
  const entry = ctx.dataSource(String(req.type_name), diags);
  if (!entry || !ctx.requireConfigured(diags)) return { diagnostics: diagMessages(diags) };
  const config = objectFromDynamic(req.config, entry.type) ?? {};
  const result = await guarded('ReadDataSource', diags, () =>
    entry.def.read({
      config,
      client: ctx.client,
      diags,
      signal: ctx.stop.signal,
      log: ctx.log.with({ tf_data_source_type: entry.def.typeName }),
    }),
  );
  if (diags.hasError() || !result) {
    if (!diags.hasError())
      diags.error(
        'Missing Data Source State',
        `${entry.def.typeName} returned nothing. This is a bug in the provider.`,
      );
    return { diagnostics: diagMessages(diags) };
  }
  const full: Record<string, unknown> = {};
  for (const name of Object.keys(entry.type[1])) full[name] = result[name] ?? null;
  return { state: toDynamic(nullUnknownAttributes(full, diags, 'read'), entry.type), diagnostics: diagMessages(diags) };
}

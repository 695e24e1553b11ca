/**
 * Provider-level RPCs: GetProviderSchema, GetMetadata, ValidateProviderConfig,
 * ConfigureProvider, ValidateResourceConfig, ValidateDataResourceConfig, StopProvider.
 */
import { isRecord } from '../cty/value';
import { Diagnostics, path } from '../diagnostics';
import type { Msg } from '../protocol/wire';
import type { Entry, ProviderRequest, ProviderResponse, ServerContext } from './context';
import type { AnyDataSource, AnyResource } from '../schema/define';
import { schemaMessage, TIMEOUTS_BLOCK } from './schema-model';
import { parseDuration } from '../duration';
import { diagMessages, errorMessage, guarded, objectFromDynamic } from './support';
import { validateBlock } from './validate';

const CAPABILITIES = { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: false };

/** GetProviderSchema: every schema plus the server capabilities (field 6, where 1.11 reads them). */
export function getProviderSchema(ctx: ServerContext): ProviderResponse<'GetProviderSchema'> {
  const definition = ctx.provider;
  const kind = definition.descriptionKind ?? 'plain';
  const resourceSchemas: Record<string, Msg<'tfplugin6.Schema'>> = {};
  for (const [name, e] of ctx.resources) resourceSchemas[name] = schemaMessage(e.def, kind);
  const dataSourceSchemas: Record<string, Msg<'tfplugin6.Schema'>> = {};
  for (const [name, e] of ctx.dataSources) dataSourceSchemas[name] = schemaMessage(e.def, kind);
  const provider = schemaMessage(
    {
      schema: definition.schema,
      description: definition.description,
      markdownDescription: definition.markdownDescription,
    },
    kind,
  );
  return {
    provider,
    resource_schemas: resourceSchemas,
    data_source_schemas: dataSourceSchemas,
    diagnostics: [],
    server_capabilities: CAPABILITIES,
  };
}

/** GetMetadata: type names only (Terraform 1.11 does not call it; later versions may). */
export function getMetadata(ctx: ServerContext): ProviderResponse<'GetMetadata'> {
  return {
    server_capabilities: CAPABILITIES,
    resources: [...ctx.resources.keys()].map((typeName) => ({ type_name: typeName })),
    data_sources: [...ctx.dataSources.keys()].map((typeName) => ({ type_name: typeName })),
  };
}

/** ValidateProviderConfig (note: diagnostics are field 2 in this response). */
export async function validateProviderConfig(
  ctx: ServerContext,
  req: ProviderRequest<'ValidateProviderConfig'>,
): Promise<ProviderResponse<'ValidateProviderConfig'>> {
  const diags = new Diagnostics();
  await guarded('ValidateProviderConfig', diags, () => {
    const config = objectFromDynamic(req.config, ctx.providerType);
    validateBlock(ctx.provider.schema, config, diags);
    if (config && ctx.provider.validate) ctx.provider.validate({ config, diags });
  });
  return { diagnostics: diagMessages(diags) };
}

/** ConfigureProvider: builds the client. May be called several times (reattach mode). */
export async function configureProvider(
  ctx: ServerContext,
  req: ProviderRequest<'ConfigureProvider'>,
): Promise<ProviderResponse<'ConfigureProvider'>> {
  const diags = new Diagnostics();
  const config = await guarded('ConfigureProvider', diags, () => objectFromDynamic(req.config, ctx.providerType));
  if (!diags.hasError()) {
    const client = await guarded('ConfigureProvider', diags, () =>
      ctx.provider.configure({
        config: config ?? {},
        terraformVersion: String(req.terraform_version ?? ''),
        diags,
        log: ctx.log,
      }),
    );
    if (!diags.hasError()) {
      ctx.client = client;
      ctx.configured = true;
    }
  }
  return { diagnostics: diagMessages(diags) };
}

/** Checks the SDK-managed `timeouts` block at plan time, not only when an operation starts. */
function validateTimeouts(config: Record<string, unknown> | null, diags: Diagnostics): void {
  const timeouts = config?.[TIMEOUTS_BLOCK];
  if (!isRecord(timeouts)) return;
  for (const [op, text] of Object.entries(timeouts)) {
    if (typeof text !== 'string') continue; // null or not yet known
    try {
      parseDuration(text);
    } catch (err) {
      diags.error('Invalid Timeout', errorMessage(err), path(TIMEOUTS_BLOCK, op));
    }
  }
}

/** Validates one resource or data source config: attribute validators, then its `validate`. */
async function validateEntry(
  entry: Entry<AnyResource | AnyDataSource> | undefined,
  req: { config?: Msg<'tfplugin6.DynamicValue'> },
  diags: Diagnostics,
  rpc: string,
): Promise<{ diagnostics: Msg<'tfplugin6.Diagnostic'>[] }> {
  if (entry) {
    await guarded(rpc, diags, () => {
      const config = objectFromDynamic(req.config, entry.type);
      validateBlock(entry.block, config, diags);
      validateTimeouts(config, diags);
      if (config && entry.def.validate && !diags.hasError()) entry.def.validate({ config, diags });
    });
  }
  return { diagnostics: diagMessages(diags) };
}

/** ValidateResourceConfig. */
export function validateResourceConfig(
  ctx: ServerContext,
  req: ProviderRequest<'ValidateResourceConfig'>,
): Promise<ProviderResponse<'ValidateResourceConfig'>> {
  const diags = new Diagnostics();
  return validateEntry(ctx.resource(String(req.type_name), diags), req, diags, 'ValidateResourceConfig');
}

/** ValidateDataResourceConfig. */
export function validateDataResourceConfig(
  ctx: ServerContext,
  req: ProviderRequest<'ValidateDataResourceConfig'>,
): Promise<ProviderResponse<'ValidateDataResourceConfig'>> {
  const diags = new Diagnostics();
  return validateEntry(ctx.dataSource(String(req.type_name), diags), req, diags, 'ValidateDataResourceConfig');
}

/**
 * StopProvider: aborts every in-flight operation's signal and answers at once. The stop stays: Terraform sends it
 * once, on Ctrl-C, and an apply it had already dispatched can reach the provider after it; that one must stop too.
 */
export function stopProvider(ctx: ServerContext): ProviderResponse<'StopProvider'> {
  ctx.log.info('StopProvider: cancelling in-flight operations and any that arrive later');
  ctx.stop.abort(new Error('Terraform asked the provider to stop'));
  return { Error: '' };
}

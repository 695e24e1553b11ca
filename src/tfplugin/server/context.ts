/**
 * The state one provider process keeps across RPCs: the provider definition, its configured
 * client, the stop signal, and per-type lookups.
 */
import type { ObjectType } from '../cty/type';
import { isRecord } from '../cty/value';
import { Diagnostics } from '../diagnostics';
import type { Logger } from '../log';
import type { RpcRequest, RpcResponse, Services } from '../protocol/wire';
import type { AnyDataSource, AnyProvider, AnyResource } from '../schema/define';
import type { BlockSchema } from '../schema/types';
import { effectiveBlock, impliedType, TIMEOUTS_BLOCK } from './schema-model';
import { parseDuration } from '../duration';
import { errorMessage } from './support';

/** The request message of a tfplugin6.Provider RPC, e.g. `ProviderRequest<'ReadResource'>`. */
export type ProviderRequest<M extends keyof Services['tfplugin6.Provider']> = RpcRequest<'tfplugin6.Provider', M>;
/** The response message of a tfplugin6.Provider RPC. */
export type ProviderResponse<M extends keyof Services['tfplugin6.Provider']> = RpcResponse<'tfplugin6.Provider', M>;

/** A resource or data source with its effective schema and implied type precomputed. */
export interface Entry<D> {
  def: D;
  block: BlockSchema;
  type: ObjectType;
}

/**
 * Like `AbortSignal.timeout`, but its TimeoutError reason says which timeout applied, so errors
 * further down (HTTP clients, waiters) can report it. The timer never keeps the process alive.
 */
function timeoutSignal(ms: number, message: string): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException(message, 'TimeoutError')), ms).unref();
  return controller.signal;
}

/** Per-process server state shared by the RPC implementations. */
export class ServerContext {
  readonly resources = new Map<string, Entry<AnyResource>>();
  readonly dataSources = new Map<string, Entry<AnyDataSource>>();
  readonly providerType: ObjectType;
  /** The value `configure` returned; undefined until ConfigureProvider. */
  client: unknown;
  configured = false;
  /** Aborted by StopProvider, for good: the process is winding down. */
  readonly stop = new AbortController();

  constructor(
    readonly provider: AnyProvider,
    readonly log: Logger,
  ) {
    this.providerType = impliedType(provider.schema);
    for (const r of provider.resources) {
      const block = effectiveBlock(r);
      this.resources.set(r.typeName, { def: r, block, type: impliedType(block) });
    }
    for (const d of provider.dataSources ?? []) {
      this.dataSources.set(d.typeName, { def: d, block: d.schema, type: impliedType(d.schema) });
    }
  }

  /** Looks up a resource; adds an error naming the type when it is not known. */
  resource(typeName: string, diags: Diagnostics): Entry<AnyResource> | undefined {
    const entry = this.resources.get(typeName);
    if (!entry)
      diags.error(
        'Unknown Resource Type',
        `The provider "${this.provider.typeName}" has no resource type "${typeName}".`,
      );
    return entry;
  }

  /** Looks up a data source; adds an error naming the type when it is not known. */
  dataSource(typeName: string, diags: Diagnostics): Entry<AnyDataSource> | undefined {
    const entry = this.dataSources.get(typeName);
    if (!entry)
      diags.error(
        'Unknown Data Source Type',
        `The provider "${this.provider.typeName}" has no data source type "${typeName}".`,
      );
    return entry;
  }

  /** Checks the provider was configured (resource RPCs need the client). */
  requireConfigured(diags: Diagnostics): boolean {
    if (!this.configured)
      diags.error('Provider Not Configured', 'ConfigureProvider must succeed before resources can be managed.');
    return this.configured;
  }

  /** An abort signal for one operation: stop, plus the operation's timeout when one applies. */
  operationSignal(
    def: AnyResource | undefined,
    op: 'create' | 'read' | 'update' | 'delete',
    state: Record<string, unknown> | null,
    diags: Diagnostics,
  ): AbortSignal {
    const timeouts = state?.[TIMEOUTS_BLOCK];
    const configured = isRecord(timeouts) ? timeouts[op] : undefined;
    const fromProvider = this.configured ? this.provider.defaultTimeouts?.(this.client)?.[op] : undefined;
    const text = typeof configured === 'string' ? configured : (fromProvider ?? def?.timeouts?.[op]);
    if (!text) return this.stop.signal;
    try {
      return AbortSignal.any([
        this.stop.signal,
        timeoutSignal(parseDuration(text), `the ${op} timeout of ${text} passed`),
      ]);
    } catch (err) {
      diags.error('Invalid Timeout', errorMessage(err), [{ attribute: TIMEOUTS_BLOCK }, { attribute: op }]);
      return this.stop.signal;
    }
  }
}

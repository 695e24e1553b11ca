/**
 * A test harness that drives a provider in-process, through the same RPC code (and the real
 * protobuf and msgpack codecs) that Terraform uses, without launching terraform. Also
 * {@link startReattach}: serve a provider from the test process and let a real terraform attach
 * to it through TF_REATTACH_PROVIDERS (no init, no lock file; fast).
 */
import type { ObjectType } from './cty/type';
import { isRecord, isUnknown } from './cty/value';
import type { Diagnostic } from './diagnostics';
import { createLogger, type Logger } from './log';
import { roundTrip, type Msg, type Services } from './protocol/wire';
import { SERVICES } from './protocol/descriptors.generated';
import type { ProviderDefinition } from './schema/define';
import type { BlockSchema } from './schema/types';
import { createProviderServer, type ProviderRpcs } from './server';
import type { ProviderRequest, ProviderResponse, ServerContext } from './server/context';
import { objectFromDynamic, toDynamic } from './server/support';
import { startServer } from './grpc/serve';

type Obj = Record<string, unknown>;

/** Result of a planning step. */
export interface PlanResult {
  planned: Obj | null;
  requiresReplace: string[];
  diagnostics: Diagnostic[];
  plannedPrivate?: Buffer;
}
/** Result of an apply, read or import. */
export interface StateResult {
  state: Obj | null;
  diagnostics: Diagnostic[];
  private?: Buffer;
}

function diagsOf(res: { diagnostics?: Msg<'tfplugin6.Diagnostic'>[] }): Diagnostic[] {
  return (res.diagnostics ?? []).map((diagnostic) => ({
    severity: diagnostic.severity === 1 ? 'error' : 'warning',
    summary: diagnostic.summary ?? '',
    detail: diagnostic.detail ?? '',
    ...(diagnostic.attribute
      ? {
          path: (diagnostic.attribute.steps ?? []).map((step) =>
            step.attribute_name !== undefined
              ? { attribute: step.attribute_name }
              : step.element_key_string !== undefined
                ? { key: step.element_key_string }
                : { index: step.element_key_int ?? 0 },
          ),
        }
      : {}),
  }));
}

const objectOrNull = (value: unknown): Obj | null => (isRecord(value) ? value : null);

/** Terraform's ProposedNew, simplified: computed attributes unset in config keep the prior value. */
function proposedNew(block: BlockSchema, prior: Obj | null, config: Obj | null): Obj | null {
  if (!config) return null;
  const out: Obj = { ...config };
  for (const [name, a] of Object.entries(block.attributes)) {
    if (a.options.computed && (config[name] === null || config[name] === undefined)) out[name] = prior?.[name] ?? null;
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const configBlock = config[name];
    const priorBlock = prior?.[name];
    if (nb.nesting === 'single') out[name] = proposedNew(nb.block, objectOrNull(priorBlock), objectOrNull(configBlock));
    else if (nb.nesting === 'list' && Array.isArray(configBlock)) {
      out[name] = configBlock.map((element, index) =>
        proposedNew(
          nb.block,
          Array.isArray(priorBlock) ? objectOrNull(priorBlock[index]) : null,
          objectOrNull(element),
        ),
      );
    } else out[name] = configBlock ?? (nb.nesting === 'map' ? {} : []);
  }
  return out;
}

/** Drives one provider in-process. Values are plain cty values ({@link isUnknown} for unknowns). */
export class ProviderHarness {
  readonly ctx: ServerContext;
  private readonly rpcs: ProviderRpcs;

  constructor(provider: ProviderDefinition<BlockSchema, any>, log: Logger = createLogger(() => undefined)) {
    const server = createProviderServer(provider, log);
    this.ctx = server.ctx;
    this.rpcs = server.rpcs;
  }

  /** Calls an RPC with protobuf encoding both ways, as over the wire. */
  async call<R extends keyof Services['tfplugin6.Provider']>(
    rpc: R,
    req: ProviderRequest<R>,
  ): Promise<ProviderResponse<R>> {
    const method = SERVICES['tfplugin6.Provider'].find((candidate) => candidate.name === rpc);
    if (!method) throw new Error(`unknown RPC ${rpc}`);
    const res = await this.rpcs[rpc](roundTrip(method.input, req));
    return roundTrip(method.output, res);
  }

  private type(typeName: string): { type: ObjectType; block: BlockSchema } {
    const entry = this.ctx.resources.get(typeName) ?? this.ctx.dataSources.get(typeName);
    if (!entry) throw new Error(`unknown type ${typeName}`);
    return entry;
  }

  /** The whole object a config needs: missing attributes and blocks filled with null / []. */
  fullConfig(typeName: string, config: Obj): Obj {
    const entry = this.type(typeName);
    return objectFromDynamic(toDynamic(config, entry.type), entry.type) ?? {};
  }

  /** ValidateProviderConfig + ConfigureProvider. */
  async configure(config: Obj, terraformVersion = '1.11.4'): Promise<Diagnostic[]> {
    const dv = toDynamic(config, this.ctx.providerType);
    const validation = diagsOf(await this.call('ValidateProviderConfig', { config: dv }));
    if (validation.some((d) => d.severity === 'error')) return validation;
    return [
      ...validation,
      ...diagsOf(await this.call('ConfigureProvider', { config: dv, terraform_version: terraformVersion })),
    ];
  }

  /** ValidateResourceConfig. */
  async validate(typeName: string, config: Obj): Promise<Diagnostic[]> {
    return diagsOf(
      await this.call('ValidateResourceConfig', {
        type_name: typeName,
        config: toDynamic(config, this.type(typeName).type),
      }),
    );
  }

  /** PlanResourceChange with Terraform's proposed new state computed from prior and config. */
  async plan(typeName: string, prior: Obj | null, config: Obj | null, priorPrivate?: Buffer): Promise<PlanResult> {
    const { type, block } = this.type(typeName);
    const full = config ? this.fullConfig(typeName, config) : null;
    const res = await this.call('PlanResourceChange', {
      type_name: typeName,
      prior_state: toDynamic(prior, type),
      proposed_new_state: toDynamic(proposedNew(block, prior, full), type),
      config: toDynamic(full, type),
      prior_private: priorPrivate,
    });
    return {
      planned: res.planned_state ? objectFromDynamic(res.planned_state, type) : null,
      requiresReplace: (res.requires_replace ?? []).map((p) =>
        (p.steps ?? []).map((s) => s.attribute_name ?? s.element_key_string ?? s.element_key_int).join('.'),
      ),
      diagnostics: diagsOf(res),
      plannedPrivate: res.planned_private,
    };
  }

  /** ApplyResourceChange. */
  async apply(
    typeName: string,
    prior: Obj | null,
    planned: Obj | null,
    config: Obj | null,
    plannedPrivate?: Buffer,
  ): Promise<StateResult> {
    const { type } = this.type(typeName);
    const res = await this.call('ApplyResourceChange', {
      type_name: typeName,
      prior_state: toDynamic(prior, type),
      planned_state: toDynamic(planned, type),
      config: toDynamic(config ? this.fullConfig(typeName, config) : null, type),
      planned_private: plannedPrivate,
    });
    return { state: objectFromDynamic(res.new_state, type), diagnostics: diagsOf(res), private: res.private };
  }

  /** Plan then apply (create when prior is null, update otherwise, delete when config is null). */
  async planApply(
    typeName: string,
    prior: Obj | null,
    config: Obj | null,
  ): Promise<StateResult & { plan: PlanResult }> {
    const plan = await this.plan(typeName, prior, config);
    if (plan.diagnostics.some((d) => d.severity === 'error'))
      return { state: prior, diagnostics: plan.diagnostics, plan };
    return { ...(await this.apply(typeName, prior, plan.planned, config, plan.plannedPrivate)), plan };
  }

  /** ReadResource. */
  async read(typeName: string, state: Obj, priv?: Buffer): Promise<StateResult> {
    const { type } = this.type(typeName);
    const res = await this.call('ReadResource', {
      type_name: typeName,
      current_state: toDynamic(state, type),
      private: priv,
    });
    return { state: objectFromDynamic(res.new_state, type), diagnostics: diagsOf(res), private: res.private };
  }

  /** ImportResourceState. */
  async import(typeName: string, id: string): Promise<StateResult> {
    const { type } = this.type(typeName);
    const res = await this.call('ImportResourceState', { type_name: typeName, id });
    const first = res.imported_resources?.[0];
    return {
      state: first ? objectFromDynamic(first.state, type) : null,
      diagnostics: diagsOf(res),
      private: first?.private,
    };
  }

  /** UpgradeResourceState from raw state JSON text stored at `version`. */
  async upgrade(typeName: string, version: number, json: string): Promise<StateResult> {
    const { type } = this.type(typeName);
    const res = await this.call('UpgradeResourceState', {
      type_name: typeName,
      version,
      raw_state: { json: Buffer.from(json) },
    });
    return { state: objectFromDynamic(res.upgraded_state, type), diagnostics: diagsOf(res) };
  }

  /** StopProvider. */
  async stop(): Promise<void> {
    await this.call('StopProvider', {});
  }
}

/** A provider served from this process for TF_REATTACH_PROVIDERS. */
export interface ReattachServer {
  /** Environment to give terraform: { TF_REATTACH_PROVIDERS: ... }. */
  env: Record<string, string>;
  stop(): void;
}

/** Serves `provider` without TLS (as reattach requires) and returns the env for terraform. */
export async function startReattach(
  provider: ProviderDefinition<BlockSchema, any>,
  source: string,
  log?: Logger,
): Promise<ReattachServer> {
  const server = await startServer(provider, {
    insecure: true,
    onShutdown: () => undefined,
    log: log ?? createLogger(() => undefined),
  });
  const value = {
    [source]: {
      Protocol: 'grpc',
      ProtocolVersion: 6,
      Pid: process.pid,
      Test: true,
      Addr: { Network: server.network, String: server.address },
    },
  };
  return { env: { TF_REATTACH_PROVIDERS: JSON.stringify(value) }, stop: server.stop };
}

export { isUnknown };

/**
 * Definitions of providers, resources and data sources: the schema plus typed handlers. Every
 * handler receives one request object with `diags` for problems, `signal` (aborted when
 * Terraform stops the provider or the operation's timeout passes) and `log`.
 */
import type { Diagnostics } from '../diagnostics';
import type { Logger } from '../log';
import type { ApplyPlanOf, BlockSchema, ModelOf, PlanOf, StateOf } from './types';

/** Opaque per-resource data Terraform stores beside the state (the protocol's `private`). */
export interface PrivateState {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Fields every handler request has. */
export interface BaseRequest<C> {
  /** The value returned by the provider's `configure` (e.g. an API client). */
  client: C;
  diags: Diagnostics;
  /** Aborted on StopProvider (Ctrl-C) or when the operation's timeout passes. */
  signal: AbortSignal;
  log: Logger;
}

/** Operation timeouts as Go-style durations ("20m", "90s", "1h30m"). Declaring any adds an
 *  optional `timeouts` block to the resource so users can override them. */
export interface Timeouts {
  create?: string;
  read?: string;
  update?: string;
  delete?: string;
}

/**
 * Request of `create`. Terraform applies only wholly known configs: `config` is known, and so is
 * every attribute of `plan` the config sets (a required string is a `string`); only computed
 * attributes may still be unknown. Return the new state (all values known, `id` set), or null
 * when nothing was created (after reporting why on `diags`).
 *
 * @example
 * async create({ plan, client }) {
 *   const tag = await client.tags.create({ name: plan.name }); // required: a string, never null
 *   return { id: tag.id, name: tag.name, description: tag.description ?? null };
 * }
 */
export interface CreateRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  config: ModelOf<S>;
  /** The plan: computed attributes the user left unset are unknown. */
  plan: ApplyPlanOf<S>;
  private: PrivateState;
}

/**
 * Request of `read`. `state` is what create, update, import or the last read returned, so its
 * `id` is a string (see {@link StateOf}). Return the current state, or null when the object is gone.
 *
 * @example
 * async read({ state, client }) {
 *   const tag = await client.tags.find(state.id); // state.id: string, no cast
 *   return tag ? { ...state, name: tag.name } : null;
 * }
 */
export interface ReadRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  state: StateOf<S>;
  private: PrivateState;
}

/** Request of `update`: `config` and `plan` as in {@link CreateRequest}, `state` (id known) as in
 *  {@link ReadRequest}. Return the new state. */
export interface UpdateRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  config: ModelOf<S>;
  plan: ApplyPlanOf<S>;
  state: StateOf<S>;
  private: PrivateState;
}

/** Request of `delete`; `state.id` is known as in {@link ReadRequest}. */
export interface DeleteRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  state: StateOf<S>;
  private: PrivateState;
}

/** What `importState` returns: any attributes it knows, and always the id. */
export type ImportResult<S extends BlockSchema> = Partial<ModelOf<S>> & Pick<StateOf<S>, 'id' & keyof StateOf<S>>;

/** Request of `importState`: `terraform import ADDR ID`. Return enough state for `read` (at
 *  least the id); Terraform calls `read` next. */
export interface ImportRequest<C> extends BaseRequest<C> {
  id: string;
  private: PrivateState;
}

/** Request of a resource's `modifyPlan`: custom plan checks and changes after the SDK's own. */
export interface ModifyPlanRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  config: PlanOf<S>;
  /** The plan so far; change it in place. */
  plan: PlanOf<S>;
  /** Prior state; null on create. */
  state: StateOf<S> | null;
  /** Marks an attribute path as forcing replacement. */
  requireReplace(attribute: string): void;
}

/** Request of a `validate` hook: whole-config checks beyond per-attribute validators. */
export interface ValidateRequest<S extends BlockSchema> {
  config: PlanOf<S>;
  diags: Diagnostics;
}

/** Upgrades raw JSON state from version `from` to `from + 1`. */
export type StateUpgrader = (state: Record<string, unknown>) => Record<string, unknown>;

/** How Terraform should render a description. */
export type DescriptionKind = 'plain' | 'markdown';

/** A managed resource. */
export interface ResourceDefinition<S extends BlockSchema, C> {
  /** Terraform type name, `<provider>_<thing>`. */
  typeName: string;
  schema: S;
  description?: string;
  markdownDescription?: string;
  deprecated?: string;
  /** Schema version (default 0). Bump it and add an upgrader when stored state must change. */
  version?: number;
  /** Upgraders keyed by the version they upgrade FROM. Missing attributes become null. */
  upgraders?: Record<number, StateUpgrader>;
  timeouts?: Timeouts;
  create(req: CreateRequest<S, C>): Promise<StateOf<S> | null>;
  read(req: ReadRequest<S, C>): Promise<StateOf<S> | null>;
  /** Absent when every attribute is force-new or computed. */
  update?(req: UpdateRequest<S, C>): Promise<StateOf<S>>;
  delete(req: DeleteRequest<S, C>): Promise<void>;
  importState?(req: ImportRequest<C>): Promise<ImportResult<S> | null>;
  modifyPlan?(req: ModifyPlanRequest<S, C>): void | Promise<void>;
  validate?(req: ValidateRequest<S>): void;
}

/**
 * Request of a data source's `read`. Terraform reads a data source once its config is wholly
 * known, so `config` holds known values. Return the full object (all values known), or null
 * after reporting on `diags` why it could not be read.
 *
 * @example
 * async read({ config, client, diags }) {
 *   const cluster = await client.clusters.find(config.name);
 *   if (!cluster) {
 *     diags.error('Cluster Not Found', `No cluster is named "${config.name}".`);
 *     return null;
 *   }
 *   return { ...config, id: cluster.id };
 * }
 */
export interface DataReadRequest<S extends BlockSchema, C> extends BaseRequest<C> {
  config: ModelOf<S>;
}

/** A data source. */
export interface DataSourceDefinition<S extends BlockSchema, C> {
  typeName: string;
  schema: S;
  description?: string;
  markdownDescription?: string;
  deprecated?: string;
  read(req: DataReadRequest<S, C>): Promise<ModelOf<S> | null>;
  validate?(req: ValidateRequest<S>): void;
}

/** Request of the provider's `configure`. */
export interface ConfigureRequest<S extends BlockSchema> {
  config: ModelOf<S>;
  terraformVersion: string;
  diags: Diagnostics;
  log: Logger;
}

/** A provider: its own config schema, `configure` building the client, and its resources. */
export interface ProviderDefinition<S extends BlockSchema, C> {
  /** Provider type name, e.g. "ovirt". */
  typeName: string;
  /** Provider version (shown in logs). */
  version: string;
  schema: S;
  description?: string;
  markdownDescription?: string;
  /** What every plain `description` in this provider is written in (default 'plain'); with
   *  'markdown', Terraform and the docs render all of them as Markdown. */
  descriptionKind?: DescriptionKind;
  configure(req: ConfigureRequest<S>): Promise<C>;
  /** Provider-wide timeouts (e.g. from a `default_timeouts` block): used when a resource's own
   *  `timeouts` block leaves an operation unset, before the resource's built-in defaults. */
  defaultTimeouts?(client: C): Timeouts | undefined;
  validate?(req: ValidateRequest<S>): void;
  resources: readonly ResourceDefinition<any, C>[];
  dataSources?: readonly DataSourceDefinition<any, C>[];
}

/** Any resource or data source, with handler types erased (what the server works with). */
export type AnyResource = ResourceDefinition<BlockSchema, unknown>;
/** See {@link AnyResource}. */
export type AnyDataSource = DataSourceDefinition<BlockSchema, unknown>;
/** See {@link AnyResource}. */
export type AnyProvider = ProviderDefinition<BlockSchema, unknown>;

/** Returns define functions whose handlers receive a `client` of type C. Use once per provider:
 *  `export const { defineResource, defineDataSource } = withClient<OvirtClient>();` */
export function withClient<C>() {
  return {
    defineResource: <const S extends BlockSchema>(def: ResourceDefinition<S, C>): ResourceDefinition<S, C> => def,
    defineDataSource: <const S extends BlockSchema>(def: DataSourceDefinition<S, C>): DataSourceDefinition<S, C> => def,
  };
}

/** Declares a resource whose handlers get an untyped client; see {@link withClient}. */
export const defineResource = withClient<unknown>().defineResource;
/** Declares a data source whose handlers get an untyped client; see {@link withClient}. */
export const defineDataSource = withClient<unknown>().defineDataSource;

/** Declares a provider. */
export function defineProvider<const S extends BlockSchema, C>(
  def: ProviderDefinition<S, C>,
): ProviderDefinition<S, C> {
  return def;
}

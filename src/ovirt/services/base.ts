/** The building blocks every service uses: get, list, search by name, create, update, remove, action. */
import type { z } from 'zod';
import { decodeEntity, decodeList } from '../codec';
import { AMBIGUOUS_CODES, OvirtError, withCorrelationId } from '../errors';
import { actionResultSchema, type ActionResult } from '../models/misc';
import type { Spec } from '../models/spec';
import type { RequestOptions } from '../request-options';
import { nameQuery } from '../search';
import type { ApiAnswer, ApiCall, Transport } from '../transport';

type Query = ApiCall['query'];

/** Options of a list call. */
export interface ListOptions extends RequestOptions {
  /** Engine search query, e.g. `name=web*`, sent as `?search=` (URL-encoded by the client). */
  search?: string;
  /** At most this many results. */
  max?: number;
}

/** Where a collection lives and how its XML is named. */
export interface CollectionShape<S extends z.ZodType> {
  /** Path below the API base, e.g. `/vms` or `/clusters/ID/affinitygroups`. */
  path: string;
  /** Collection element: `vms`. */
  plural: string;
  /** Entity element: `vm`. */
  element: string;
  schema: S;
  /** Whether the engine accepts `?search=` on this collection. */
  searchable: boolean;
}

/** Decodes an answer; a model error carries the request's correlation id like every other error. */
export function decoded<T>(answer: ApiAnswer, decode: (tree: unknown) => T): T {
  try {
    return decode(answer.tree);
  } catch (e) {
    throw OvirtError.is(e) ? withCorrelationId(e, answer.correlationId) : e;
  }
}

/** How many times a create posts after ambiguous failures (each later post preceded by a look-up). */
const MAX_AMBIGUOUS_POSTS = 4;

/** A signal that follows `signal` only when it aborts because a timeout passed (reason `TimeoutError`). */
function timeoutsOf(signal: AbortSignal): AbortSignal {
  const only = new AbortController();
  const follow = (): void => {
    if ((signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') only.abort(signal.reason);
  };
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return only.signal;
}

/** Low-level helpers bound to one transport. */
export class Api {
  constructor(readonly transport: Transport) {}

  /** GET one entity. */
  async get<S extends z.ZodType>(
    shape: CollectionShape<S>,
    path: string,
    opts?: RequestOptions,
    query?: Query,
  ): Promise<z.output<S>> {
    const answer = await this.transport.call({ method: 'GET', path, query, retry: 'safe', opts });
    return decoded(answer, (t) => decodeEntity(t ?? {}, answer.format, shape.element, shape.schema, answer.endpoint));
  }

  /** GET a collection. */
  async list<S extends z.ZodType>(
    shape: CollectionShape<S>,
    opts?: ListOptions,
    query?: Query,
  ): Promise<z.output<S>[]> {
    const listQuery = { ...query, search: opts?.search, max: opts?.max };
    const answer = await this.transport.call({
      method: 'GET',
      path: shape.path,
      query: listQuery,
      retry: 'safe',
      opts,
    });
    const empty = answer.format === 'xml' ? { [shape.plural]: '' } : {};
    return decoded(answer, (t) =>
      decodeList(t ?? empty, answer.format, shape.plural, shape.element, shape.schema, answer.endpoint),
    );
  }

  /** All entities whose name is exactly `name` (search when possible, then an exact client-side filter). */
  async listByName<S extends z.ZodType>(
    shape: CollectionShape<S>,
    name: string,
    opts?: RequestOptions,
  ): Promise<z.output<S>[]> {
    const search = shape.searchable ? nameQuery(name) : undefined;
    const all = await this.list(shape, { ...opts, search });
    // The engine's search is case-insensitive and treats * as a wildcard: keep exact matches only.
    return all.filter((e) => (e as { name?: string }).name === name);
  }

  /** The one entity named `name`, or undefined; `multiple` error when several match. */
  async findByName<S extends z.ZodType>(
    shape: CollectionShape<S>,
    name: string,
    opts?: RequestOptions,
  ): Promise<z.output<S> | undefined> {
    const found = await this.listByName(shape, name, opts);
    if (found.length > 1) {
      throw new OvirtError({
        code: 'multiple',
        endpoint: `GET ${shape.path}`,
        message: `${found.length} ${shape.plural} are named "${name}"`,
      });
    }
    return found[0];
  }

  /**
   * POST a new entity. Retries only failures that prove nothing was created (locked, in progress,
   * 503). After an ambiguous failure (timeout, connection, 5xx) it calls `lookup` first: the POST
   * may have succeeded, and a blind retry would create a twin.
   */
  async create<S extends z.ZodType>(
    shape: CollectionShape<S>,
    value: object,
    opts?: RequestOptions,
    query?: Query,
    lookup?: () => Promise<z.output<S> | undefined>,
  ): Promise<z.output<S>> {
    // Once sent, a POST is not cut off by a stop (Ctrl-C): the engine would create the object
    // anyway and its id would be lost, leaving an orphan. Timeouts still bound it (the request's
    // own, the caller's deadline, and a caller's signal that aborts as a TimeoutError: an operation
    // timeout must not wait for an engine that never answers); an already aborted caller sends nothing.
    const sendOpts: RequestOptions | undefined = opts && { ...opts, signal: opts.signal && timeoutsOf(opts.signal) };
    const post = async () => {
      if (opts?.signal?.aborted) {
        throw new OvirtError({
          code: 'aborted',
          endpoint: `POST ${shape.path}`,
          message: `POST ${shape.path}: cancelled before it was sent`,
        });
      }
      const answer = await this.transport.call({
        method: 'POST',
        path: shape.path,
        query,
        body: { element: shape.element, value },
        retry: 'unexecuted',
        opts: sendOpts,
      });
      return decoded(answer, (t) => decodeEntity(t ?? {}, answer.format, shape.element, shape.schema, answer.endpoint));
    };
    // Each ambiguous failure is followed by a look-up before the next post, a bounded number of
    // times: with a flaky link two failures in a row are common enough over many creates.
    for (let tries = 1; ; tries++) {
      try {
        return await post();
      } catch (err) {
        if (!lookup || !OvirtError.is(err) || !AMBIGUOUS_CODES.has(err.code) || tries >= MAX_AMBIGUOUS_POSTS) throw err;
        if (opts?.signal?.aborted || (opts?.deadline !== undefined && Date.now() >= opts.deadline)) throw err;
        const existing = await lookup();
        if (existing !== undefined) return existing;
      }
    }
  }

  /** PUT a partial entity; returns the engine's updated entity. */
  async update<S extends z.ZodType>(
    shape: CollectionShape<S>,
    path: string,
    value: object,
    opts?: RequestOptions,
    query?: Query,
  ): Promise<z.output<S>> {
    const answer = await this.transport.call({
      method: 'PUT',
      path,
      query,
      body: { element: shape.element, value },
      retry: 'safe',
      opts,
    });
    return decoded(answer, (t) => decodeEntity(t ?? {}, answer.format, shape.element, shape.schema, answer.endpoint));
  }

  /** DELETE an entity (or detach a membership). */
  async remove(path: string, opts?: RequestOptions, query?: Query): Promise<void> {
    await this.transport.call({ method: 'DELETE', path, query, retry: 'safe', opts });
  }

  /** POST an action (`/vms/ID/start`); a `failed` action status becomes an error. */
  async action(
    path: string,
    value: object,
    retry: 'safe' | 'unexecuted',
    opts?: RequestOptions,
  ): Promise<ActionResult> {
    const answer = await this.transport.call({ method: 'POST', path, body: { element: 'action', value }, retry, opts });
    if (answer.tree === undefined) return {};
    const result = decoded(answer, (t) =>
      decodeEntity(t, answer.format, 'action', actionResultSchema, answer.endpoint),
    );
    if (result.status === 'failed') {
      throw new OvirtError({
        code: 'conflict',
        endpoint: answer.endpoint,
        correlationId: answer.correlationId,
        httpStatus: answer.status,
        reason: result.fault?.reason,
        detail: result.fault?.detail,
        message: `${answer.endpoint} failed: ${result.fault?.reason ?? 'action failed'} ${result.fault?.detail ?? ''} (correlation id ${answer.correlationId})`,
      });
    }
    return result;
  }
}

/** Read-only access to one collection: get by id, list, find by name. */
export class Collection<S extends z.ZodType, I extends string> {
  constructor(
    protected readonly api: Api,
    protected readonly shape: CollectionShape<S>,
  ) {}

  /** The entity with this id; `not_found` error when absent. */
  get(id: I, opts?: RequestOptions): Promise<z.output<S>> {
    return this.api.get(this.shape, `${this.shape.path}/${encodeURIComponent(id)}`, opts);
  }

  /** The entity with this id, or undefined when the engine answers 404. */
  async tryGet(id: I, opts?: RequestOptions): Promise<z.output<S> | undefined> {
    try {
      return await this.get(id, opts);
    } catch (err) {
      if (OvirtError.is(err, 'not_found')) return undefined;
      throw err;
    }
  }

  /** All entities (optionally filtered by an engine search query). */
  list(opts?: ListOptions): Promise<z.output<S>[]> {
    return this.api.list(this.shape, opts);
  }

  /** The one entity named exactly `name`, or undefined (`multiple` error when ambiguous). */
  findByName(name: string, opts?: RequestOptions): Promise<z.output<S> | undefined> {
    return this.api.findByName(this.shape, name, opts);
  }

  /** Like findByName, but a missing entity is a `not_found` error. */
  async getByName(name: string, opts?: RequestOptions): Promise<z.output<S>> {
    const entity = await this.findByName(name, opts);
    if (entity === undefined) {
      throw new OvirtError({
        code: 'not_found',
        endpoint: `GET ${this.shape.path}`,
        message: `no ${this.shape.element} named "${name}"`,
      });
    }
    return entity;
  }
}

/** A collection below a parent object (`/vms/{id}/nics`, `/clusters/{id}/affinitygroups`): list, get, update, remove. */
export class ChildCollection<S extends z.ZodType, P extends string, I extends string> {
  constructor(
    protected readonly api: Api,
    private readonly shapeOf: (parent: P) => CollectionShape<S>,
  ) {}

  protected shape(parent: P): CollectionShape<S> {
    return this.shapeOf(parent);
  }

  protected itemPath(parent: P, id: I): string {
    return `${this.shapeOf(parent).path}/${encodeURIComponent(id)}`;
  }

  /** All children of the parent. */
  list(parent: P, opts?: RequestOptions): Promise<z.output<S>[]> {
    return this.api.list(this.shapeOf(parent), opts);
  }

  /** One child; `not_found` when absent. */
  get(parent: P, id: I, opts?: RequestOptions): Promise<z.output<S>> {
    return this.api.get(this.shapeOf(parent), this.itemPath(parent, id), opts);
  }

  /** `PUT` the child with the given fields. */
  update(parent: P, id: I, spec: Spec<z.output<S>>, opts?: RequestOptions): Promise<z.output<S>> {
    return this.api.update(this.shapeOf(parent), this.itemPath(parent, id), spec as object, opts);
  }

  /** `DELETE` the child. */
  remove(parent: P, id: I, opts?: RequestOptions): Promise<void> {
    return this.api.remove(this.itemPath(parent, id), opts);
  }
}

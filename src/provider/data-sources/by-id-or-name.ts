/** Data sources that select one object by `id` or by `name` (exactly one of the two). */
import { asId, type Id } from '../../ovirt/ids';
import { path, type Diagnostics } from '../../tfplugin';
import { lookup, reqOpts, withExistingNames } from '../ops';

/** A collection that can get by id and find by name. */
interface Findable<T, I extends Id<string>> {
  get(id: I, opts?: { signal?: AbortSignal }): Promise<T>;
  findByName(name: string, opts?: { signal?: AbortSignal }): Promise<T | undefined>;
  list(opts?: { signal?: AbortSignal }): Promise<{ name?: string }[]>;
}

/** The `validate` of such a data source: `what` names the object, e.g. "cluster". */
export function exactlyOneOfIdAndName(what: string) {
  return ({ config, diags }: { config: { id: unknown; name: unknown }; diags: Diagnostics }): void => {
    if ((config.id === null) === (config.name === null))
      diags.error(
        'Give Exactly One of id and name',
        `Set \`id\` or \`name\` (not both) to select the ${what}.`,
        path('name'),
      );
  };
}

/** Finds the object by id or name; undefined after reporting a failure on the attribute used. */
export function findByIdOrName<T, I extends Id<string>>(
  diags: Diagnostics,
  signal: AbortSignal,
  what: string,
  config: { id: string | null; name: string | null },
  from: Findable<T, I>,
): Promise<T | undefined> {
  const ctx = {
    action: `looking up ${what} ${config.id ?? `"${config.name}"`}`,
    path: path(config.id ? 'id' : 'name'),
    signal,
  };
  const notFound = async () =>
    withExistingNames(
      `No ${what} is named "${config.name}".`,
      (await from.list(reqOpts(signal))).map((o) => o.name),
    );
  return lookup(diags, ctx, notFound, () =>
    config.id ? from.get(asId<I>(config.id), reqOpts(signal)) : from.findByName(config.name ?? '', reqOpts(signal)),
  );
}

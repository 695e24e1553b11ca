/** The provider's define functions: handlers receive a {@link ProviderClient} as `client`. */
import { withClient, type BlockSchema, type ResourceDefinition } from '../tfplugin';
import type { ProviderClient } from './client';

const typed = withClient<ProviderClient>();

export const defineDataSource = typed.defineDataSource;

function clearingFirst<R extends { client: ProviderClient }, T>(handler: (req: R) => Promise<T>) {
  return (req: R): Promise<T> => {
    req.client.refreshReads.clear();
    return handler(req);
  };
}

/**
 * Declares a resource. Its create, update and delete first drop the refresh reads' cache
 * (`refresh-reads.ts`): nothing this process changes is answered from an earlier read.
 */
export function defineResource<const S extends BlockSchema>(
  def: ResourceDefinition<S, ProviderClient>,
): ResourceDefinition<S, ProviderClient> {
  const update = def.update;
  return {
    ...def,
    create: clearingFirst((req) => def.create(req)),
    ...(update && { update: clearingFirst((req) => update.call(def, req)) }),
    delete: clearingFirst((req) => def.delete(req)),
  };
}

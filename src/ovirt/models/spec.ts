/**
 * Write-side types: request bodies use the same snake_case field names and nesting as the read
 * models, every field optional. Lists are plain arrays (the codec adds the XML wrappers).
 */
import type { Ref } from './zod-helpers';

/** A deep-partial copy of a read model, for create/update bodies. */
export type Spec<T> = T extends (infer U)[] ? Spec<U>[] : T extends object ? { [K in keyof T]?: Spec<T[K]> } : T;

/** A reference by id or by name: `{ id }` or `{ name }`. */
export type RefSpec = Pick<Ref, 'id' | 'name'>;

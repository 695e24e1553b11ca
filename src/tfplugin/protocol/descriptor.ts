/**
 * The shape of the descriptor tables: what descriptors.generated.ts holds and the wire codec reads.
 * Its own module, so that the generated tables need not import the codec that imports them.
 */
import type { MessageName } from './messages.generated';

/** Kinds of single values on the wire. */
export type ValueKind = 'string' | 'bytes' | 'bool' | 'int64' | 'enum' | 'message';

/** One field of a message. */
export interface FieldDesc {
  no: number;
  name: string;
  kind: ValueKind | 'map';
  msg?: MessageName;
  repeated?: boolean;
  /** Kind of the values of a map<string, V> field. */
  value?: 'string' | 'message';
}
/** A message: its fields. */
export type MessageDesc = FieldDesc[];
/** One RPC of a service. */
export interface MethodDesc {
  name: string;
  input: MessageName;
  output: MessageName;
  stream: boolean;
}

/**
 * Shared pieces of the RPC implementations: DynamicValue and diagnostic conversion, private
 * state, timeouts, and running handler code so that a throw becomes an error diagnostic.
 */
import { decodeJson } from '../cty/json';
import { decodeMsgpack, encodeMsgpack } from '../cty/msgpack';
import type { CtyType, ObjectType } from '../cty/type';
import { containsUnknown, isRecord, isUnknown } from '../cty/value';
import { Diagnostics, formatPath, type AttributePath } from '../diagnostics';
import type { PrivateState } from '../schema/define';
import type { Msg } from '../protocol/wire';

type DynamicValue = Msg<'tfplugin6.DynamicValue'>;

/** Decodes a DynamicValue message (msgpack preferred, JSON accepted); absent means null. */
export function fromDynamic(value: DynamicValue | undefined, type: CtyType): unknown {
  if (!value) return null;
  if (value.msgpack?.length) return decodeMsgpack(value.msgpack, type);
  if (value.json?.length) return decodeJson(Buffer.from(value.json).toString('utf8'), type);
  return null;
}

/** Encodes a value as a DynamicValue message (always msgpack). */
export function toDynamic(value: unknown, type: CtyType): DynamicValue {
  return { msgpack: Buffer.from(encodeMsgpack(value, type)) };
}

/** Converts an SDK attribute path to the protocol's AttributePath message. */
export function pathMessage(attributePath: AttributePath): Msg<'tfplugin6.AttributePath'> {
  return {
    steps: attributePath.map((step) =>
      'attribute' in step
        ? { attribute_name: step.attribute }
        : 'key' in step
          ? { element_key_string: step.key }
          : { element_key_int: step.index },
    ),
  };
}

/** Converts diagnostics to protocol messages. */
export function diagMessages(diags: Diagnostics): Msg<'tfplugin6.Diagnostic'>[] {
  return diags.items.map((item) => ({
    severity: item.severity === 'error' ? 1 : 2,
    summary: item.summary,
    detail: item.detail,
    ...(item.path && item.path.length ? { attribute: pathMessage(item.path) } : {}),
  }));
}

/** Private state backed by a JSON object; `bytes()` gives what goes back to Terraform. */
export class JsonPrivateState implements PrivateState {
  private data: Record<string, unknown>;
  constructor(raw?: Uint8Array) {
    let parsed: unknown = {};
    try {
      parsed = raw && raw.length ? JSON.parse(Buffer.from(raw).toString('utf8')) : {};
    } catch {
      parsed = {};
    }
    this.data = isRecord(parsed) ? parsed : {};
  }
  get<T>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }
  set(key: string, value: unknown): void {
    this.data[key] = value;
  }
  delete(key: string): void {
    delete this.data[key];
  }
  bytes(): Buffer {
    return Object.keys(this.data).length ? Buffer.from(JSON.stringify(this.data)) : Buffer.alloc(0);
  }
}

/** The message of a thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes a DynamicValue of an object type: the object, or null. */
export function objectFromDynamic(value: DynamicValue | undefined, type: ObjectType): Record<string, unknown> | null {
  const decoded = fromDynamic(value, type);
  if (decoded !== null && !isRecord(decoded)) throw new Error('expected an object value');
  return decoded;
}

/** Runs handler code, turning a throw into an error diagnostic (the SDK never lets user code
 *  crash an RPC). Returns undefined when it threw. */
export async function guarded<T>(what: string, diags: Diagnostics, fn: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    diags.error(
      `Unexpected Error in ${what}`,
      `The provider failed unexpectedly: ${errorMessage(err)}. This is a bug in the provider unless the message says otherwise.`,
    );
    return undefined;
  }
}

/** Reports unknown values left in a state (not allowed after apply/read) and replaces them with null. */
export function nullUnknowns(value: unknown, diags: Diagnostics, where: string, path: AttributePath = []): unknown {
  if (isUnknown(value)) {
    diags.error(
      'Provider Returned Unknown Value',
      `${where} returned an unknown value for ${formatPath(path) || 'the object'}; every value must be known after ${where}.`,
      path,
    );
    return null;
  }
  if (!containsUnknown(value)) return value;
  if (Array.isArray(value)) return value.map((e, i) => nullUnknowns(e, diags, where, [...path, { index: i }]));
  return isRecord(value) ? nullUnknownAttributes(value, diags, where, path) : value;
}

/** {@link nullUnknowns} for an object (a whole state): a new object, the same attributes. */
export function nullUnknownAttributes(
  object: Record<string, unknown>,
  diags: Diagnostics,
  where: string,
  at: AttributePath = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    out[name] = nullUnknowns(value, diags, where, [...at, { attribute: name }]);
  }
  return out;
}

/**
 * Shared pieces of the RPC implementations: DynamicValue and diagnostic conversion, private
 * state, timeouts, and running handler code so that a throw becomes an error diagnostic.
 */
import { decodeJson } from '../cty/json';
import { decodeMsgpack, encodeMsgpack } from '../cty/msgpack';
import type { CtyType } from '../cty/type';
import { containsUnknown, isUnknown } from '../cty/value';
import { Diagnostics, formatPath, type AttributePath } from '../diagnostics';
import type { PrivateState } from '../schema/define';
import type { Msg } from '../protocol/wire';

/** Decodes a DynamicValue message (msgpack preferred, JSON accepted); absent means null. */
export function fromDynamic(dv: Msg | undefined, ty: CtyType): unknown {
  if (!dv) return null;
  if (dv.msgpack?.length) return decodeMsgpack(dv.msgpack as Uint8Array, ty);
  if (dv.json?.length) return decodeJson(Buffer.from(dv.json as Uint8Array).toString('utf8'), ty);
  return null;
}

/** Encodes a value as a DynamicValue message (always msgpack). */
export function toDynamic(v: unknown, ty: CtyType): Msg {
  return { msgpack: Buffer.from(encodeMsgpack(v, ty)) };
}

/** Converts an SDK attribute path to the protocol's AttributePath message. */
export function pathMessage(p: AttributePath): Msg {
  return {
    steps: p.map((s) =>
      'attribute' in s
        ? { attribute_name: s.attribute }
        : 'key' in s
          ? { element_key_string: s.key }
          : { element_key_int: s.index },
    ),
  };
}

/** Converts diagnostics to protocol messages. */
export function diagMessages(d: Diagnostics): Msg[] {
  return d.items.map((x) => ({
    severity: x.severity === 'error' ? 1 : 2,
    summary: x.summary,
    detail: x.detail,
    ...(x.path && x.path.length ? { attribute: pathMessage(x.path) } : {}),
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
    this.data = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
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

/** Runs handler code, turning a throw into an error diagnostic (the SDK never lets user code
 *  crash an RPC). Returns undefined when it threw. */
export async function guarded<T>(what: string, diags: Diagnostics, fn: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    diags.error(
      `Unexpected Error in ${what}`,
      `The provider failed unexpectedly: ${msg}. This is a bug in the provider unless the message says otherwise.`,
    );
    return undefined;
  }
}

/** Reports unknown values left in a state (not allowed after apply/read) and replaces them with null. */
export function nullUnknowns(v: unknown, diags: Diagnostics, where: string, p: AttributePath = []): unknown {
  if (isUnknown(v)) {
    diags.error(
      'Provider Returned Unknown Value',
      `${where} returned an unknown value for ${formatPath(p) || 'the object'}; every value must be known after ${where}.`,
      p,
    );
    return null;
  }
  if (!containsUnknown(v)) return v;
  if (Array.isArray(v)) return v.map((e, i) => nullUnknowns(e, diags, where, [...p, { index: i }]));
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v as Record<string, unknown>))
    out[k] = nullUnknowns(e, diags, where, [...p, { attribute: k }]);
  return out;
}

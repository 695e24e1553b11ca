/**
 * The wire codec: engine XML or JSON text <-> plain trees that the zod models read, and request
 * bodies from plain objects. XML is parsed with entity expansion off (any DOCTYPE is refused, so no
 * billion-laughs) and is validated first, so a truncated document is an error, not half a model.
 */
import type * as FastXmlParser from 'fast-xml-parser';
import type { z } from 'zod';
import { OvirtError } from './errors';
import { unwrapList } from './models/zod-helpers';

/** The two representations the engine speaks. */
export type WireFormat = 'xml' | 'json';

const XML_OPTIONS: FastXmlParser.X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  // Leaf text is kept verbatim (a cloud-init script's indentation and final newline matter);
  // the indentation between elements is dropped by `dropLayout` below.
  trimValues: false,
  // Entities are decoded by `decodeEntities` in one pass over the text: faster than the parser's own
  // handling, and with no DOCTYPE allowed only the five XML entities and character references exist.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
};

/** The XML parser and validator, loaded on first use: a client that speaks JSON (the provider) never needs them. */
let xml: { parser: FastXmlParser.XMLParser; validator: typeof FastXmlParser.XMLValidator } | undefined;

function xmlCodec(): NonNullable<typeof xml> {
  if (xml) return xml;
  const { XMLParser, XMLValidator } = require('fast-xml-parser') as typeof FastXmlParser;
  xml = { parser: new XMLParser(XML_OPTIONS), validator: XMLValidator };
  return xml;
}

function parseError(endpoint: string, what: string, cause?: unknown): OvirtError {
  return new OvirtError({ code: 'parse', endpoint, cause, message: `${endpoint}: ${what}` });
}

/** Parses an engine body into a plain tree. Throws a `parse` OvirtError naming the endpoint. */
export function parseBody(text: string, format: WireFormat, endpoint: string): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw parseError(endpoint, `malformed JSON response (${(e as Error).message})`, e);
    }
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw parseError(endpoint, 'XML response with a DOCTYPE/ENTITY declaration refused (entity expansion is off)');
  }
  const { parser, validator } = xmlCodec();
  const valid = validator.validate(text);
  if (valid !== true) {
    throw parseError(endpoint, `malformed or truncated XML response: ${valid.err.msg} (line ${valid.err.line})`);
  }
  try {
    return dropLayout(parser.parse(text));
  } catch (e) {
    throw parseError(endpoint, `malformed XML response (${(e as Error).message})`, e);
  }
}

/**
 * zod's default compiles a parser per object model on its first parse (`new Function`): ~5 ms of CPU
 * for a VM in every provider process, for the few objects a plan reads. The interpreted path accepts
 * and refuses the same input; once warm it is slower per VM (~30 against ~18 us), so the compiled
 * one pays back only after ~100 VMs in one process (bench/RESULTS.md, issue 13, fourth pass).
 */
export const PARSE = { jitless: true } as const;

function validate<T extends z.ZodType>(schema: T, value: unknown, endpoint: string): z.output<T> {
  const result = schema.safeParse(value, PARSE);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = issue?.path.length ? issue.path.join('.') : '(root)';
  throw parseError(
    endpoint,
    `response field "${field}" is invalid: ${issue?.message ?? result.error.message}`,
    result.error,
  );
}

function asObject(tree: unknown, endpoint: string, what: string): Record<string, unknown> {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw parseError(endpoint, `expected ${what} in the response`);
  }
  return tree as Record<string, unknown>;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references (a single pass: no double decoding). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (reference, entity: string) => {
    if (entity[0] !== '#') return XML_ENTITIES[entity] ?? reference;
    const cp = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : reference;
  });
}

/** Removes the whitespace text that indentation leaves between elements (and in empty ones); decodes entities. */
function dropLayout(node: unknown): unknown {
  if (typeof node === 'string') return node.trim() === '' ? '' : node.includes('&') ? decodeEntities(node) : node;
  if (Array.isArray(node)) return node.map(dropLayout);
  if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (k === '#text' && typeof obj[k] === 'string' && (obj[k] as string).trim() === '') delete obj[k];
      else obj[k] = dropLayout(obj[k]);
    }
  }
  return node;
}

/** Reads one entity: XML `<vm>...</vm>`, JSON `{...}` (no wrapper). */
export function decodeEntity<T extends z.ZodType>(
  tree: unknown,
  format: WireFormat,
  element: string,
  schema: T,
  endpoint: string,
): z.output<T> {
  const obj = asObject(tree, endpoint, `a <${element}> document`);
  if (format === 'xml') {
    if (!(element in obj))
      throw parseError(endpoint, `expected a <${element}> element, got <${Object.keys(obj)[0] ?? 'nothing'}>`);
    const inner = obj[element];
    return validate(schema, inner === '' ? {} : inner, endpoint);
  }
  return validate(schema, obj, endpoint);
}

/** Reads a collection: XML `<vms><vm/>...</vms>` (or `<vms/>`), JSON `{"vm": [...]}` (or `{}`). */
export function decodeList<T extends z.ZodType>(
  tree: unknown,
  format: WireFormat,
  plural: string,
  element: string,
  schema: T,
  endpoint: string,
): z.output<T>[] {
  const obj = asObject(tree, endpoint, `a <${plural}> collection`);
  let items: unknown;
  if (format === 'xml') {
    if (!(plural in obj))
      throw parseError(endpoint, `expected a <${plural}> element, got <${Object.keys(obj)[0] ?? 'nothing'}>`);
    items = unwrapList(obj[plural], element);
  } else {
    items = unwrapList(obj, element);
  }
  if (!Array.isArray(items)) throw parseError(endpoint, `expected a list of <${element}>`);
  return items.map((item, index) => {
    try {
      return validate(schema, item, endpoint);
    } catch (err) {
      if (OvirtError.is(err))
        throw parseError(endpoint, `${element}[${index}]: ${err.message.slice(endpoint.length + 2)}`, err.cause);
      throw err;
    }
  });
}

const IRREGULAR_SINGULAR: Record<string, string> = {
  custom_properties: 'custom_property',
  properties: 'property',
  ips: 'ip',
  usages: 'usage',
  addresses: 'address',
};

/** The element name of one item of a list field: `disk_attachments` -> `disk_attachment`. */
export function singular(plural: string): string {
  const irregular = IRREGULAR_SINGULAR[plural];
  if (irregular !== undefined) return irregular;
  if (plural.endsWith('ies')) return plural.slice(0, -3) + 'y';
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

function xmlElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const item = singular(name);
    return `<${name}>${value.map((v) => xmlElement(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    let attrs = '';
    let body = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // `id` and `href` are the only attributes in the engine's XML; everything else is an element.
      if ((k === 'id' || k === 'href') && typeof v === 'string') attrs += ` ${k}="${escapeXml(v)}"`;
      else body += xmlElement(k, v);
    }
    return body ? `<${name}${attrs}>${body}</${name}>` : `<${name}${attrs}/>`;
  }
  return `<${name}>${escapeXml(scalarText(value))}</${name}>`;
}

function jsonValue(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return { [singular(name)]: value.map((v) => jsonValue(v, singular(name))) };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k] = jsonValue(v, k);
    }
    return out;
  }
  // The engine's own JSON carries booleans and integers as strings; send them the same way.
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : value;
}

/** Encodes a request body: `<element>...</element>` or the JSON object itself (no wrapper). */
export function encodeBody(element: string, value: object, format: WireFormat): string {
  if (format === 'json') return JSON.stringify(jsonValue(value, element));
  return xmlElement(element, value);
}

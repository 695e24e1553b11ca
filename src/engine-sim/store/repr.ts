/**
 * Representations. Objects are held in the engine's JSON layout (lists as arrays under the singular
 * element name, `id`/`href` as plain keys) and rendered as XML or JSON like the engine does.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A value in an object tree. */
export type Node = string | number | boolean | Tree | Node[];
/** An object tree in the engine's JSON layout. */
export interface Tree {
  [key: string]: Node | undefined;
}

/** Keys written as XML attributes: `id` and `href` everywhere, `rel` on links. */
const ATTRS = ['href', 'id', 'rel'];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function xmlElement(name: string, value: Node | undefined, pad: string, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) xmlElement(name, v, pad, out);
    return;
  }
  if (!isTree(value)) {
    out.push(`${pad}<${name}>${esc(String(value))}</${name}>`);
    return;
  }
  const attrNames = ATTRS.filter((a) => typeof value[a] === 'string' && (a !== 'rel' || name === 'link'));
  const attrs = attrNames.map((a) => ` ${a}="${esc(String(value[a]))}"`).join('');
  const keys = Object.keys(value).filter(
    (key) =>
      !attrNames.includes(key) &&
      value[key] !== undefined &&
      !(Array.isArray(value[key]) && (value[key] as Node[]).length === 0),
  );
  if (keys.length === 0) {
    out.push(`${pad}<${name}${attrs}/>`);
    return;
  }
  out.push(`${pad}<${name}${attrs}>`);
  for (const k of keys) xmlElement(k, value[k], pad + '    ', out);
  out.push(`${pad}</${name}>`);
}

/** Renders `value` as an XML document whose root element is `root`. */
export function toXml(root: string, value: Tree): string {
  const out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'];
  xmlElement(root, value, '', out);
  return out.join('\n') + '\n';
}

/** Date elements: XML dateTime in XML, epoch milliseconds (a JSON number) in JSON. */
const DATE_KEYS = new Set(['creation_time', 'start_time', 'stop_time', 'last_updated', 'end_time', 'time', 'date']);

function jsonValue(node: Node, key = ''): unknown {
  if (Array.isArray(node)) return node.map((x) => jsonValue(x, key));
  if (isTree(node)) {
    const obj: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(node)) {
      if (x === undefined || (Array.isArray(x) && x.length === 0)) continue;
      obj[k] = jsonValue(x, k);
    }
    return obj;
  }
  if (DATE_KEYS.has(key) && typeof node === 'string' && !Number.isNaN(Date.parse(node))) return Date.parse(node);
  // The engine's JSON writes booleans and integers as strings.
  return String(node);
}

/** Renders `value` as the engine's JSON. */
export function toJson(value: Tree): string {
  return JSON.stringify(jsonValue(value), null, 2) + '\n';
}

function singularOf(plural: string): string[] {
  const text = [plural.replace(/s$/, '')];
  if (plural.endsWith('ies')) text.push(plural.slice(0, -3) + 'y');
  return text;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  // Text is kept verbatim (a cloud-init script's trailing newline matters); indentation between
  // elements is dropped by `dropIndentation`.
  trimValues: false,
  isArray: (name, jpath) => {
    const parts = String(jpath).split('.');
    const parent = parts[parts.length - 2];
    return parent !== undefined && singularOf(parent).includes(name);
  },
});

/** Removes whitespace-only text nodes that sit between child elements. */
function dropIndentation(node: Node): Node {
  if (Array.isArray(node)) return node.map(dropIndentation);
  if (!isTree(node)) return node;
  const out: Tree = {};
  for (const [k, x] of Object.entries(node)) {
    if (x === undefined) continue;
    if (k === '#text' && typeof x === 'string' && x.trim() === '') continue;
    out[k] = dropIndentation(x);
  }
  return out;
}

/** A parsed request body: its root element name (XML) and the tree. */
export interface Parsed {
  root?: string;
  tree: Tree;
}

/** Deeper than any engine document: deeper bodies are refused before any recursive walk. */
const MAX_DEPTH = 64;

/** True when `v` nests deeper than `max` (checked without recursion, so any depth is safe). */
function nestsDeeper(value: unknown, max: number): boolean {
  const todo: Array<[unknown, number]> = [[value, 1]];
  for (let item = todo.pop(); item; item = todo.pop()) {
    const [node, depth] = item;
    if (depth > max) return true;
    if (typeof node === 'object' && node !== null)
      for (const child of Object.values(node)) todo.push([child, depth + 1]);
  }
  return false;
}

/** Parses an XML or JSON request body; throws a plain Error when it does not parse. */
export function parseBody(text: string, json: boolean): Parsed {
  if (json) {
    const value: unknown = JSON.parse(text);
    if (!isTree(value)) throw new Error('JSON body is not an object');
    if (nestsDeeper(value, MAX_DEPTH)) throw new Error(`JSON body nests deeper than ${MAX_DEPTH} levels`);
    return { tree: value };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(valid.err.msg);
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  if (!root) throw new Error('empty XML document');
  const body = dropIndentation(doc[root] as Node);
  return { root, tree: isTree(body) ? body : {} };
}

/** Reads a path like `cpu.topology.cores` from a tree. */
export function get(tree: Tree | undefined, path: string): Node | undefined {
  let cur: Node | undefined = tree;
  for (const p of path.split('.')) {
    if (!isTree(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Reads a string at `path`, or undefined. */
export function str(tree: Tree | undefined, path: string): string | undefined {
  const node = get(tree, path);
  return node === undefined || isTree(node) || Array.isArray(node) ? undefined : String(node);
}

/** Reads an engine boolean (`true|1|yes|t|y`, any case) at `path`. */
export function bool(tree: Tree | undefined, path: string): boolean | undefined {
  const value = str(tree, path);
  return value === undefined ? undefined : parseBoolean(value);
}

/** The engine's lenient boolean parsing for parameters and values. */
export function parseBoolean(value: string): boolean {
  return ['true', 't', 'y', 'yes', '1', ''].includes(value.toLowerCase());
}

/** Reads an integer at `path` (bytes and counts), or undefined. */
export function num(tree: Tree | undefined, path: string): number | undefined {
  const value = str(tree, path);
  if (value === undefined || value === '') return undefined;
  const count = Number(value);
  return Number.isFinite(count) ? count : undefined;
}

/** Reads a sub-tree at `path`, or undefined. */
export function sub(tree: Tree | undefined, path: string): Tree | undefined {
  const node = get(tree, path);
  return isTree(node) ? node : undefined;
}

/** Reads the list `path.item` (e.g. `disk_attachments.disk_attachment`) as an array of trees. */
export function list(tree: Tree | undefined, path: string): Tree[] {
  const node = get(tree, path);
  if (Array.isArray(node)) return node.filter(isTree);
  return isTree(node) ? [node] : [];
}

/** Reads the list `path.item` of plain text items (e.g. `os.boot.devices.device`) as strings. */
export function strings(tree: Tree | undefined, path: string): string[] {
  const node = get(tree, path);
  const items = Array.isArray(node) ? node : node === undefined ? [] : [node];
  return items.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
}

/** Deep-merges `patch` into `base` (lists and primitives replace), returning a new tree. */
export function merge(base: Tree, patch: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const node = out[k];
    out[k] = isTree(v) && isTree(node) && !('id' in v) ? merge(node, v) : clone(v);
  }
  return out;
}

/** A deep copy of a node. */
export function clone<T extends Node>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export { isTree };

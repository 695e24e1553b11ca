/**
 * Build-time generator: reads this project's .proto files (a small proto3 subset: messages,
 * nested messages and enums, repeated, map<string,T>, oneof, services) and writes
 * descriptors.generated.ts, the field tables the wire codec interprets. Run with
 * `npx ts-node src/tfplugin/protocol/gen-descriptors.ts`; a test checks the output is current.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface RawField {
  name: string;
  no: number;
  type: string;
  repeated: boolean;
  mapValue?: string;
}
interface RawMessage {
  full: string;
  scope: string;
  fields: RawField[];
}
interface RawMethod {
  name: string;
  input: string;
  output: string;
  stream: boolean;
}
interface RawService {
  full: string;
  methods: RawMethod[];
}

const SCALARS = new Set(['string', 'bytes', 'bool', 'int64', 'int32']);

function tokenize(src: string): string[] {
  return src.replace(/\/\/.*$/gm, '').match(/[A-Za-z_][\w.]*|\d+|"[^"]*"|[{}=;<>,()]/g) ?? [];
}

class Parser {
  private i = 0;
  readonly messages: RawMessage[] = [];
  readonly enums = new Set<string>();
  readonly services: RawService[] = [];
  private pkg = '';
  constructor(private readonly tok: string[]) {}

  private next(): string {
    return this.tok[this.i++];
  }
  private peek(): string {
    return this.tok[this.i];
  }
  private expect(s: string): void {
    const got = this.next();
    if (got !== s) throw new Error(`proto: expected "${s}", got "${got}"`);
  }

  parseFile(): void {
    while (this.i < this.tok.length) {
      const w = this.next();
      if (w === 'syntax') {
        while (this.next() !== ';');
      } else if (w === 'package') {
        this.pkg = this.next();
        this.expect(';');
      } else if (w === 'message') this.message(this.pkg);
      else if (w === 'enum') this.enumDecl(this.pkg);
      else if (w === 'service') this.service();
      else throw new Error(`proto: unexpected "${w}"`);
    }
  }

  private message(scope: string): void {
    const full = `${scope}.${this.next()}`;
    const msg: RawMessage = { full, scope: full, fields: [] };
    this.messages.push(msg);
    this.expect('{');
    while (this.peek() !== '}') this.member(msg);
    this.expect('}');
  }

  private member(msg: RawMessage): void {
    const w = this.next();
    if (w === 'message') return this.message(msg.full);
    if (w === 'enum') return this.enumDecl(msg.full);
    if (w === 'oneof') {
      this.next();
      this.expect('{');
      while (this.peek() !== '}') this.member(msg);
      this.expect('}');
      return;
    }
    let type = w;
    let repeated = false;
    let mapValue: string | undefined;
    if (w === 'repeated' || w === 'optional') {
      repeated = w === 'repeated';
      type = this.next();
    }
    if (type === 'map') {
      this.expect('<');
      this.next();
      this.expect(',');
      mapValue = this.next();
      this.expect('>');
    }
    const name = this.next();
    this.expect('=');
    const no = Number(this.next());
    this.expect(';');
    msg.fields.push({ name, no, type, repeated, ...(mapValue ? { mapValue } : {}) });
  }

  private enumDecl(scope: string): void {
    this.enums.add(`${scope}.${this.next()}`);
    this.expect('{');
    while (this.next() !== '}');
  }

  private service(): void {
    const svc: RawService = { full: `${this.pkg}.${this.next()}`, methods: [] };
    this.expect('{');
    while (this.peek() !== '}') {
      this.expect('rpc');
      const name = this.next();
      this.expect('(');
      const input = this.next();
      this.expect(')');
      this.expect('returns');
      this.expect('(');
      let output = this.next();
      const stream = output === 'stream';
      if (stream) output = this.next();
      this.expect(')');
      this.expect(';');
      svc.methods.push({ name, input: this.resolve(input, this.pkg), output: this.resolve(output, this.pkg), stream });
    }
    this.expect('}');
    this.services.push(svc);
  }

  /** Resolves a type name the proto way: innermost scope first. */
  resolve(name: string, scope: string): string {
    for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
      const cand = s ? `${s}.${name}` : name;
      if (this.enums.has(cand) || this.messages.some((m) => m.full === cand)) return cand;
      if (!s) throw new Error(`proto: unknown type ${name} in ${scope}`);
    }
  }
}

function fieldDesc(p: Parser, m: RawMessage, f: RawField): string {
  const kindOf = (type: string): [string, string?] => {
    if (SCALARS.has(type)) return [type === 'int32' ? 'int64' : type];
    const full = p.resolve(type, m.scope);
    return p.enums.has(full) ? ['enum'] : ['message', full];
  };
  const parts = [`no: ${f.no}`, `name: '${f.name}'`];
  if (f.mapValue) {
    const [vk, vm] = kindOf(f.mapValue);
    parts.push(`kind: 'map'`, `value: '${vk}'`, ...(vm ? [`msg: '${vm}'`] : []));
  } else {
    const [k, msg] = kindOf(f.type);
    parts.push(`kind: '${k}'`, ...(msg ? [`msg: '${msg}'`] : []), ...(f.repeated ? ['repeated: true'] : []));
  }
  return `{ ${parts.join(', ')} }`;
}

/** Returns the text of descriptors.generated.ts for the given .proto sources. */
export function generate(sources: string[]): string {
  const parsers = sources.map((s) => {
    const p = new Parser(tokenize(s));
    p.parseFile();
    return p;
  });
  const out = [
    '// GENERATED by src/tfplugin/protocol/gen-descriptors.ts from proto/*.proto. Do not edit.',
    "import type { MessageDesc, MethodDesc } from './descriptor';",
    '',
    '/** Field tables of every message, keyed by full name. */',
    'export const MESSAGES: Record<string, MessageDesc> = {',
  ];
  for (const p of parsers) {
    for (const m of p.messages) out.push(`  '${m.full}': [${m.fields.map((f) => fieldDesc(p, m, f)).join(', ')}],`);
  }
  out.push(
    '};',
    '',
    '/** Methods of every service, keyed by full service name. */',
    'export const SERVICES: Record<string, MethodDesc[]> = {',
  );
  for (const p of parsers) {
    for (const s of p.services) {
      out.push(`  '${s.full}': [`);
      for (const r of s.methods)
        out.push(`    { name: '${r.name}', input: '${r.input}', output: '${r.output}', stream: ${r.stream} },`);
      out.push('  ],');
    }
  }
  out.push('};', '');
  return out.join('\n');
}

/** The .proto files, in a fixed order. */
export const PROTO_DIR = path.join(__dirname, 'proto');
export const PROTO_FILES = ['tfplugin6.proto', 'plugin.proto'];
/** Where the generated file goes. */
export const GENERATED_FILE = path.join(__dirname, 'descriptors.generated.ts');

/** Reads the .proto files and returns the generated text. */
export function generateFromDisk(): string {
  return generate(PROTO_FILES.map((f) => fs.readFileSync(path.join(PROTO_DIR, f), 'utf8')));
}

if (require.main === module) fs.writeFileSync(GENERATED_FILE, generateFromDisk());

/**
 * The build-time reader of this project's .proto files: a small proto3 subset (messages, nested
 * messages and enums, repeated, map<string,T>, oneof, services). Used by gen-descriptors.ts only;
 * nothing parses .proto text at run time.
 */

/** One field as written in the .proto file. */
export interface RawField {
  name: string;
  no: number;
  type: string;
  repeated: boolean;
  mapValue?: string;
}
/** One message, with the scope its type names resolve in. */
export interface RawMessage {
  full: string;
  scope: string;
  fields: RawField[];
}
/** One RPC; input and output are resolved full names. */
export interface RawMethod {
  name: string;
  input: string;
  output: string;
  stream: boolean;
}
/** One service. */
export interface RawService {
  full: string;
  methods: RawMethod[];
}

function tokenize(src: string): string[] {
  return src.replace(/\/\/.*$/gm, '').match(/[A-Za-z_][\w.]*|\d+|"[^"]*"|[{}=;<>,()]/g) ?? [];
}

/** Parses one .proto file; the results are in `messages`, `enums` and `services`. */
export class ProtoFile {
  private index = 0;
  private readonly tokens: string[];
  readonly messages: RawMessage[] = [];
  /** Enums by full name, each with its values by number. */
  readonly enums = new Map<string, Map<number, string>>();
  readonly services: RawService[] = [];
  private pkg = '';

  constructor(source: string) {
    this.tokens = tokenize(source);
    while (this.index < this.tokens.length) this.topLevel(this.next());
  }

  private next(): string {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new Error('proto: unexpected end of file');
    return token;
  }
  private peek(): string | undefined {
    return this.tokens[this.index];
  }
  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`proto: expected "${token}", got "${got}"`);
  }

  private topLevel(word: string): void {
    if (word === 'syntax') {
      while (this.next() !== ';');
    } else if (word === 'package') {
      this.pkg = this.next();
      this.expect(';');
    } else if (word === 'message') this.message(this.pkg);
    else if (word === 'enum') this.enumDecl(this.pkg);
    else if (word === 'service') this.service();
    else throw new Error(`proto: unexpected "${word}"`);
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
    const word = this.next();
    if (word === 'message') return this.message(msg.full);
    if (word === 'enum') return this.enumDecl(msg.full);
    if (word === 'oneof') {
      this.next();
      this.expect('{');
      while (this.peek() !== '}') this.member(msg);
      this.expect('}');
      return;
    }
    let type = word;
    let repeated = false;
    let mapValue: string | undefined;
    if (word === 'repeated' || word === 'optional') {
      repeated = word === 'repeated';
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
    const values = new Map<number, string>();
    this.enums.set(`${scope}.${this.next()}`, values);
    this.expect('{');
    while (this.peek() !== '}') {
      const name = this.next();
      this.expect('=');
      values.set(Number(this.next()), name);
      this.expect(';');
    }
    this.expect('}');
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
      const candidate = s ? `${s}.${name}` : name;
      if (this.enums.has(candidate) || this.messages.some((m) => m.full === candidate)) return candidate;
      if (!s) throw new Error(`proto: unknown type ${name} in ${scope}`);
    }
  }
}

/**
 * API reference of the construct library, read from its TypeScript sources with the compiler API:
 * every export of `constructs/index.ts` (classes with their constructor, properties and methods;
 * props interfaces with types, doc comments and `@default`s; functions; constants), in export order.
 * Members inherited from the generated L1 classes are left to the L1 bindings.
 */
import * as path from 'node:path';
import ts from 'typescript';

function doc(checker: ts.TypeChecker, sym: ts.Symbol): { text: string; tags: Map<string, string> } {
  const text = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
  const tags = new Map(sym.getJsDocTags(checker).map((t) => [t.name, ts.displayPartsToString(t.text).trim()]));
  return { text, tags };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function isPublic(member: ts.ClassElement): boolean {
  const flags = ts.getCombinedModifierFlags(member);
  return (
    !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) &&
    !(member.name && ts.isPrivateIdentifier(member.name))
  );
}

/** The props table of an interface: one row per field with its type, default and description. */
function interfaceSection(
  checker: ts.TypeChecker,
  name: string,
  sym: ts.Symbol,
  decl: ts.InterfaceDeclaration,
): string[] {
  const documented = doc(checker, sym);
  const rows = checker
    .getDeclaredTypeOfSymbol(sym)
    .getProperties()
    .map((property) => {
      const pd = doc(checker, property);
      const decl0 = property.valueDeclaration ?? property.declarations?.[0];
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const full = decl0
        ? checker.typeToString(
            checker.getTypeOfSymbolAtLocation(property, decl0),
            undefined,
            ts.TypeFormatFlags.NoTruncation,
          )
        : '?';
      const type = optional ? full.replace(/ \| undefined$/, '') : full;
      const def = pd.tags.get('default');
      return `| \`${property.name}${optional ? '?' : ''}\` | \`${oneLine(type)}\` | ${def ? oneLine(def) : optional ? '' : '(required)'} | ${oneLine(pd.text)} |`;
    });
  const ext = decl.heritageClauses?.map((h) => h.getText()).join(' ');
  return [
    `### interface \`${name}\``,
    '',
    documented.text || '(undocumented)',
    ...(ext ? ['', `\`${ext}\``] : []),
    '',
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ];
}

function memberLine(checker: ts.TypeChecker, member: ts.ClassElement): string | undefined {
  if (
    !member.name ||
    !isPublic(member) ||
    ts.isConstructorDeclaration(member) ||
    ts.isComputedPropertyName(member.name)
  )
    return undefined;
  const sym = checker.getSymbolAtLocation(member.name);
  if (!sym) return undefined;
  const description = doc(checker, sym).text;
  const isStatic = (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0 ? 'static ' : '';
  if (ts.isMethodDeclaration(member)) {
    const sig = checker.getSignatureFromDeclaration(member);
    return `- \`${isStatic}${member.name.getText()}${sig ? checker.signatureToString(sig) : '()'}\`${description ? `: ${oneLine(description)}` : ''}`;
  }
  if (ts.isPropertyDeclaration(member) || ts.isGetAccessorDeclaration(member)) {
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(sym, member));
    return `- \`${isStatic}${member.name.getText()}: ${type}\`${description ? `: ${oneLine(description)}` : ''}`;
  }
  return undefined;
}

function classSection(checker: ts.TypeChecker, name: string, sym: ts.Symbol, decl: ts.ClassDeclaration): string[] {
  const documented = doc(checker, sym);
  const ctor = decl.members.find(ts.isConstructorDeclaration);
  const params = ctor
    ? ctor.parameters.map((p) => p.getText().replace(/^(private|public|protected|readonly)\s+/g, '')).join(', ')
    : '';
  const ext = decl.heritageClauses?.map((h) => h.getText()).join(' ');
  const members = decl.members.map((m) => memberLine(checker, m)).filter((x): x is string => Boolean(x));
  return [
    `### class \`${name}\``,
    '',
    documented.text || '(undocumented)',
    ...(ext ? ['', `\`${ext}\``] : []),
    '',
    '```ts',
    `new ${name}(${oneLine(params)})`,
    '```',
    ...(members.length ? ['', ...members] : []),
    '',
  ];
}

function otherSection(checker: ts.TypeChecker, name: string, sym: ts.Symbol, decl: ts.Declaration): string[] {
  const description = doc(checker, sym).text || '(undocumented)';
  if (ts.isFunctionDeclaration(decl)) {
    const sig = checker.getSignatureFromDeclaration(decl);
    return [
      `### function \`${name}\``,
      '',
      '```ts',
      `${name}${sig ? checker.signatureToString(sig) : '()'}`,
      '```',
      '',
      description,
      '',
    ];
  }
  if (ts.isTypeAliasDeclaration(decl)) {
    const text = ts
      .createPrinter({ removeComments: true })
      .printNode(ts.EmitHint.Unspecified, decl.type, decl.getSourceFile());
    return [`### type \`${name}\``, '', '```ts', text.replace(/\s*\n\s*/g, ' '), '```', '', description, ''];
  }
  const type = checker.typeToString(
    checker.getTypeOfSymbolAtLocation(sym, decl),
    undefined,
    ts.TypeFormatFlags.NoTruncation,
  );
  return [`### const \`${name}\``, '', '```ts', `${name}: ${type}`, '```', '', description, ''];
}

/** The Markdown API reference of the module `entry` (a .ts file), title and intro included. */
export function constructApiPage(entry: string, header: string[]): string {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSym = source && checker.getSymbolAtLocation(source);
  if (!moduleSym) throw new Error(`cannot read ${entry}`);
  const body: string[] = [];
  const classes: string[] = [];
  for (const exp of checker.getExportsOfModule(moduleSym)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const decl = sym.declarations?.[0];
    if (!decl || ts.isSourceFile(decl) || ts.isModuleDeclaration(decl)) continue;
    if (ts.isClassDeclaration(decl)) {
      classes.push(`[\`${exp.name}\`](#class-${exp.name.toLowerCase()})`);
      body.push(...classSection(checker, exp.name, sym, decl));
    } else if (ts.isInterfaceDeclaration(decl)) body.push(...interfaceSection(checker, exp.name, sym, decl));
    else body.push(...otherSection(checker, exp.name, sym, decl));
  }
  const out = [...header, `Classes: ${classes.join(', ')}.`, '', ...body];
  return `${out.join('\n').replace(new RegExp(escape(path.dirname(path.dirname(entry))), 'g'), '.')}\n`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

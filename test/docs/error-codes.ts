/**
 * Finds every error registry of the project and its codes with the TypeScript compiler: in each
 * `errors.ts` under src/ and constructs/, every exported type alias named `…Code` that is a union
 * of string literals. Reading the types (not the text) means a code added anywhere is found.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** One registry: the type's name, its file (relative to the repo) and its codes. */
export interface ErrorRegistry {
  typeName: string;
  file: string;
  codes: string[];
}

function errorFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'generated') out.push(...errorFiles(entryPath));
    else if (e.name === 'errors.ts') out.push(entryPath);
  }
  return out;
}

/** Every registry under `root`/src and `root`/constructs, sorted by file. */
export function errorRegistries(root: string): ErrorRegistry[] {
  const files = [...errorFiles(path.join(root, 'src')), ...errorFiles(path.join(root, 'constructs'))].sort();
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const found: ErrorRegistry[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    for (const st of sf.statements) {
      if (!ts.isTypeAliasDeclaration(st) || !/Code$/.test(st.name.text)) continue;
      if (!(ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Export)) continue;
      const type = checker.getTypeAtLocation(st.name);
      const members = type.isUnion() ? type.types : [type];
      const codes = members.filter((m) => m.isStringLiteral()).map((m) => (m as ts.StringLiteralType).value);
      if (codes.length) found.push({ typeName: st.name.text, file: path.relative(root, file), codes });
    }
  }
  return found;
}

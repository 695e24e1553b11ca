/**
 * Every error code of every registry is documented in docs/errors.md, in its registry's section,
 * and docs/errors.md lists no code that no longer exists (fastify's registry test, for our codes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorRegistries } from './error-codes';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');
const registries = errorRegistries(ROOT);

/** The codes in the first column of the tables of the `## <typeName>` section. */
function documented(typeName: string): string[] | undefined {
  const sections = DOC.split(/^## /m).slice(1);
  const section = sections.find((s) => s.split('\n')[0]!.trim() === typeName);
  if (!section) return undefined;
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

describe('docs/errors.md', () => {
  it('finds the registries of the packages', () => {
    const names = registries.map((r) => r.typeName);
    expect(names).toEqual(
      expect.arrayContaining([
        'OvirtErrorCode',
        'BootErrorCode',
        'SimErrorCode',
        'ConstructErrorCode',
        'DemoErrorCode',
      ]),
    );
  });

  it.each(registries.map((r) => [r.typeName, r] as const))(
    'documents every code of %s, and only those',
    (_, registry) => {
      const listed = documented(registry.typeName);
      expect(listed).toBeDefined();
      expect([...listed!].sort()).toEqual([...registry.codes].sort());
    },
  );

  it('has no section for a registry that does not exist', () => {
    const headings = [...DOC.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
    expect(headings.sort()).toEqual(registries.map((r) => r.typeName).sort());
  });
});

/**
 * A markdown link check without the network: every relative link in docs/ (and the READMEs that
 * point into it, CONTRIBUTING.md and CHANGELOG.md) names a file that exists, every `#anchor` a
 * heading or `<a id>` of its target, and every absolute link is a well-formed http(s) URL (their
 * targets are not fetched).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? markdownFiles(file) : name.endsWith('.md') ? [file] : [];
  });
}

/** The text outside fenced code blocks. */
function unfenced(md: string): string {
  return md.replace(/^( *)```[\s\S]*?^\1```/gm, '');
}

/** The text outside fenced and inline code, where links are links. */
function prose(md: string): string {
  return unfenced(md).replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const md = readFileSync(file, 'utf8');
  const ids = [...md.matchAll(/<a id="([^"]+)"/g)].map((m) => m[1]!);
  const headings = [...unfenced(md).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!.replace(/`/g, '')));
  return new Set([...ids, ...headings]);
}

/** Every link target of a file: `[text](target)` and `<a href="target">`. */
function links(md: string): string[] {
  const text = prose(md);
  return [
    ...[...text.matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!),
  ];
}

/** What is wrong with one link of `file`, or undefined. */
function problem(file: string, target: string): string | undefined {
  if (/^[a-z]+:/i.test(target)) {
    try {
      const url = new URL(target);
      return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:'
        ? undefined
        : `unexpected scheme ${url.protocol}`;
    } catch {
      return 'malformed URL';
    }
  }
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const dest = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(dest)) return `no such file ${relative(ROOT, dest)}`;
  if (anchor !== undefined && dest.endsWith('.md') && !anchors(dest).has(anchor))
    return `no anchor #${anchor} in ${relative(ROOT, dest)}`;
  return undefined;
}

describe('markdown links (no network)', () => {
  const files = [
    ...markdownFiles(join(ROOT, 'docs')),
    join(ROOT, 'README.md'),
    join(ROOT, 'examples', 'README.md'),
    join(ROOT, 'CONTRIBUTING.md'),
    join(ROOT, 'CHANGELOG.md'),
  ];

  it('every link in docs/ and the READMEs resolves', () => {
    const broken = files.flatMap((file) =>
      links(readFileSync(file, 'utf8'))
        .map((t) => ({ t, why: problem(file, t) }))
        .filter((x) => x.why)
        .map((x) => `${relative(ROOT, file)}: ${x.t} (${x.why})`),
    );
    expect(broken).toEqual([]);
  });

  it('finds broken links: a missing file, a missing anchor, a malformed URL', () => {
    const indexFile = join(ROOT, 'docs', 'index.md');
    expect(problem(indexFile, 'resources/no-such.md')).toBe('no such file docs/resources/no-such.md');
    expect(problem(indexFile, 'resources/vm.md#no-such-heading')).toBe(
      'no anchor #no-such-heading in docs/resources/vm.md',
    );
    expect(problem(indexFile, 'resources/vm.md#nestedblock--timeouts')).toBeUndefined();
    expect(problem(indexFile, 'https://')).toBe('malformed URL');
    expect(slug('Nested Schema for `timeouts`'.replace(/`/g, ''))).toBe('nested-schema-for-timeouts');
  });

  it('checks a real number of links', () => {
    expect(files.flatMap((f) => links(readFileSync(f, 'utf8'))).length).toBeGreaterThan(50);
  });
});

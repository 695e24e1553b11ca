/** The staleness check of end-to-end tests: a source newer than the build is reported. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distProblem } from './dist';

describe('dist/ staleness check', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-check-'));
    fs.mkdirSync(path.join(root, 'src', 'ovirt'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dist', 'src', 'provider'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const touch = (rel: string, secondsAgo: number) => {
    const file = path.join(root, rel);
    fs.writeFileSync(file, '');
    const mtime = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, mtime, mtime);
  };

  it('accepts a build newer than every source, and reports a missing one', () => {
    expect(distProblem(root)).toBe('dist/src/provider/main.js is missing: run npm run build');
    touch('src/ovirt/http.ts', 60);
    touch('dist/src/provider/main.js', 10);
    expect(distProblem(root)).toBeUndefined();
  });

  it('names the source edited after the build', () => {
    touch('dist/src/provider/main.js', 60);
    touch('src/ovirt/http.ts', 10);
    expect(distProblem(root)).toBe(
      'dist/ is older than src/ovirt/http.ts: run npm run build (end-to-end tests run the built provider and CLI)',
    );
  });
});

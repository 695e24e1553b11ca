/** bundleProvider: one CommonJS file, with the modules named by `emptyModules` left out. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleProvider } from '../../src/tfplugin/bundle';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  fs.mkdirSync(path.join(tmp, 'lib', 'locales'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'lib', 'locales', 'index.js'), "module.exports = { fr: 'Trop petit' };\n");
  fs.writeFileSync(path.join(tmp, 'lib', 'index.js'), "exports.locales = require('./locales/index.js');\n");
  fs.writeFileSync(
    path.join(tmp, 'main.js'),
    "process.stdout.write(JSON.stringify({ locales: require('./lib/index.js').locales, version: VERSION }));\n",
  );
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as unknown;

describe('bundleProvider', () => {
  it('bundles the entry and its modules into one file, with the defines applied', async () => {
    const out = path.join(tmp, 'out', 'all.js');
    expect(
      await bundleProvider(path.join(tmp, 'main.js'), out, { define: { VERSION: '"1.2.3"' }, sourcemap: false }),
    ).toBe(true);
    fs.rmSync(path.join(tmp, 'lib'), { recursive: true });
    expect(run(out)).toEqual({ locales: { fr: 'Trop petit' }, version: '1.2.3' });
  });

  it('replaces the modules matching emptyModules by an empty module, and leaves their text out', async () => {
    const out = path.join(tmp, 'out', 'lean.js');
    await bundleProvider(path.join(tmp, 'main.js'), out, {
      define: { VERSION: '"1.2.3"' },
      sourcemap: false,
      emptyModules: [/[\\/]locales[\\/]index\.js$/],
    });
    expect(fs.readFileSync(out, 'utf8')).not.toContain('Trop petit');
    expect(run(out)).toEqual({ locales: {}, version: '1.2.3' });
  });

  it('gives the same bytes from a clone whose node_modules is a symlink (a shared or cached install)', async () => {
    const clone = (name: string) => {
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'main.js'), "process.stdout.write(require('dep').text);\n");
      return dir;
    };
    const plain = clone('plain');
    fs.mkdirSync(path.join(plain, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(plain, 'node_modules', 'dep', 'index.js'), "exports.text = 'dep';\n");
    const linked = clone('linked');
    fs.symlinkSync(path.join(plain, 'node_modules'), path.join(linked, 'node_modules'));
    const bundle = async (dir: string) => {
      const out = path.join(tmp, `${path.basename(dir)}.js`);
      await bundleProvider(path.join(dir, 'main.js'), out, { sourcemap: false, root: dir });
      return fs.readFileSync(out, 'utf8');
    };
    const expected = await bundle(plain);
    expect(expected).toContain('node_modules/dep/index.js');
    expect(await bundle(linked)).toBe(expected);
  });
});

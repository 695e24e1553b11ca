/**
 * Terraform starts the provider three times per plan, and two of those processes only answer
 * schema and validation calls. They must not load the engine client's stack: zod models, the XML
 * parser and undici cost ~150 ms per process (bench/plan). This checks which modules a fresh
 * Node process has loaded after requiring a module, compiling the TypeScript the way jest does.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { startEngineSim } from '../../src/engine-sim';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { ovirtProvider } from '../../src/provider';
import { modelsBuilt } from '../../src/ovirt/models';

const ROOT = path.resolve(__dirname, '..', '..');

/** Files a fresh node process has loaded after requiring `modulePath` and running `then` (JS, with `mod` bound). */
function loadedFiles(modulePath: string, then = ''): string[] {
  const script = `
    const { transformSync } = require('esbuild');
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, file) => {
      const { code } = transformSync(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20' });
      module._compile(code, file);
    };
    const mod = require(${JSON.stringify(path.join(ROOT, modulePath))});
    ${then}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).map((file) => path.relative(ROOT, file));
}

// Anywhere in the path: a worktree's node_modules may be a link to another checkout's.
const heavy = (files: string[], names: string[]) =>
  files.filter((file) => names.some((name) => file.split(path.sep).join('/').includes(`node_modules/${name}/`)));

describe('module loading of the provider process', () => {
  it('the provider definition (schema and validate processes) loads no engine client, zod, XML parser or undici', () => {
    const files = loadedFiles('src/provider/index.ts');
    expect(files).toContain('src/provider/resources/vm.ts');
    expect(heavy(files, ['zod', 'fast-xml-parser', 'undici'])).toEqual([]);
    expect(files).not.toContain('src/ovirt/client.ts');
  });

  it("the SDK's index (what a provider's declarations import) loads neither the server, the installer nor the release builder", () => {
    const files = loadedFiles('src/tfplugin/index.ts');
    expect(files).toContain('src/tfplugin/schema/define.ts');
    expect(
      files.filter((file) => /^src\/tfplugin\/(grpc|release)\/|^src\/tfplugin\/(install|testing)\.ts$/.test(file)),
    ).toEqual([]);
  });

  it('the JSON engine client (plan processes) loads zod, but neither the XML parser nor undici (image uploads only)', () => {
    const files = loadedFiles(
      'src/ovirt/index.ts',
      "new mod.OvirtClient({ url: 'https://engine.example/ovirt-engine/api', username: 'u', password: 'p', format: 'json' });",
    );
    expect(heavy(files, ['zod'])).not.toEqual([]);
    expect(heavy(files, ['undici', 'fast-xml-parser'])).toEqual([]);
  });

  it("ConfigureProvider (the plan process) builds only the API root's model", async () => {
    // In this test file's own module registry: nothing has decoded an engine answer before.
    const sim = await startEngineSim({ delays: 'none' });
    try {
      const provider = new ProviderHarness(ovirtProvider);
      const config = { url: sim.url, username: sim.username, password: sim.password, ca_file: sim.caFile };
      expect(await provider.configure(config)).toEqual([]);
      expect(modelsBuilt()).toEqual(['api']);
    } finally {
      await sim.stop();
    }
  });
});

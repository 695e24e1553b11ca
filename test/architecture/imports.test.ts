/**
 * The import rules of the architecture: no import cycles anywhere, the one-way layers between the
 * top-level folders, and the simulator's inner layers (store <- engine <- entities <- http).
 */
import * as path from 'node:path';
import { cycles, importGraph, sourceFiles } from './import-graph';

const FILES = [...sourceFiles('src'), ...sourceFiles('constructs')];
const GRAPH = importGraph(FILES);

/** Imports from `from` into `to`, as `a.ts -> b.ts` lines. */
function edges(from: (file: string) => boolean, to: (file: string) => boolean): string[] {
  return [...GRAPH].flatMap(([file, targets]) =>
    from(file) ? targets.filter(to).map((target) => `${file} -> ${target}`) : [],
  );
}

const under = (dir: string) => (file: string) => file.startsWith(dir + path.sep);

describe('import cycles', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('src/ and constructs/ have none (type-only imports count)', () => {
    expect(GRAPH.size).toBeGreaterThan(100);
    expect(cycles(GRAPH)).toEqual([]);
  });
});

describe('layers', () => {
  it('src/tfplugin knows nothing of oVirt, the provider or the boot server', () => {
    const outside = (file: string) => !under('src/tfplugin')(file);
    expect(edges(under('src/tfplugin'), outside)).toEqual([]);
  });

  // The index holds what every provider process needs; the server, the installer and the test harness
  // are entry modules of their own so that a process loads them only when it uses them (src/tfplugin/README.md).
  const sdkEntries = ['index.ts', 'grpc/serve.ts', 'install.ts', 'testing.ts'].map((file) =>
    path.join('src/tfplugin', file),
  );
  it('src/provider uses the SDK through its public entry modules only (src/tfplugin/README.md)', () => {
    const internal = (file: string) => under('src/tfplugin')(file) && !sdkEntries.includes(file);
    expect(edges(under('src/provider'), internal)).toEqual([]);
  });

  it('src/ovirt knows nothing of Terraform, and src/boot nothing of oVirt or Terraform', () => {
    for (const dir of ['src/ovirt', 'src/boot']) expect(edges(under(dir), (file) => !under(dir)(file))).toEqual([]);
  });

  it('src/engine-sim shares no code with the rest of the project', () => {
    const outside = (file: string) => !under('src/engine-sim')(file);
    expect(edges(under('src/engine-sim'), outside)).toEqual([]);
    expect(edges(outside, (file) => under('src/engine-sim')(file) && !file.endsWith('engine-sim/index.ts'))).toEqual(
      [],
    );
  });

  it('inside the simulator, each layer imports only the layers below it', () => {
    const sim = (folder: string) => under(path.join('src/engine-sim', folder));
    const below: Array<[string, string[]]> = [
      ['store', []],
      ['engine', ['store']],
      ['entities', ['engine', 'store']],
      ['http', ['entities', 'engine', 'store']],
    ];
    for (const [layer, allowed] of below) {
      const forbidden = (file: string) =>
        under('src/engine-sim')(file) &&
        !sim(layer)(file) &&
        !allowed.some((folder) => sim(folder)(file)) &&
        file !== path.join('src/engine-sim', 'errors.ts');
      expect(edges(sim(layer), forbidden)).toEqual([]);
    }
  });
});

/**
 * docs/ is current: the generator's output for the provider schema and the construct sources is
 * byte-identical to the checked-in pages, and no page is left for a removed resource.
 */
import * as path from 'node:path';
import { ovirtProvider } from '../../src/provider';
import { generatedPages, stalePages } from '../../src/docs/generate';
import type { AnyProvider } from '../../src/tfplugin/schema/define';

const ROOT = path.resolve(__dirname, '..', '..');

describe('generated docs', () => {
  let pages: Map<string, string>;
  beforeAll(async () => {
    pages = await generatedPages(ovirtProvider as unknown as AnyProvider, ROOT);
  });

  it('are current (run `npm run generate:docs` when this fails)', () => {
    expect(stalePages(path.join(ROOT, 'docs'), pages)).toEqual([]);
  });

  it("have one page per resource and data source, plus the index, the construct API and the boot server's OpenAPI document", () => {
    const provider = ovirtProvider as unknown as AnyProvider;
    expect(pages.size).toBe(provider.resources.length + (provider.dataSources ?? []).length + 3);
    expect([...pages.keys()]).toEqual(
      expect.arrayContaining([
        'index.md',
        'constructs.md',
        'boot-server-openapi.json',
        'resources/vm.md',
        'data-sources/cluster.md',
      ]),
    );
  });

  it('document every construct exported from the package entry point', () => {
    const api = pages.get('constructs.md')!;
    for (const name of [
      'OvirtProvider',
      'OvirtVm',
      'OvirtDisk',
      'OvirtTemplate',
      'PxeBootEntry',
      'BootArtifactServer',
      'OpenShiftIpiCluster',
    ]) {
      expect(api).toContain(`### class \`${name}\``);
      expect(api).toContain(`### interface \`${name}Props\``);
    }
    expect(api).not.toContain(ROOT);
  });
});

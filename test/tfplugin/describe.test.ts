import { describeProvider } from '../../src/tfplugin';
import { testProvider } from './fixtures/test-provider';

describe('describeProvider (docs input)', () => {
  it('describes attributes with force-new, defaults, constraints, plan behaviour and timeouts', () => {
    const described = describeProvider(testProvider);
    const thing = described.resources[0]!;
    expect(thing).toMatchObject({
      typeName: 'tftest_thing',
      kind: 'resource',
      version: 1,
      importable: true,
      timeouts: { create: '5m' },
    });
    const by = Object.fromEntries(thing.attributes.map((a) => [a.name, a]));
    expect(by.name).toMatchObject({
      required: true,
      forceNew: true,
      constraints: ['Must be lower-case letters, digits and dashes.'],
    });
    expect(by.size).toMatchObject({
      optional: true,
      computed: true,
      default: 1,
      constraints: ['Must be between 1 and 100.'],
    });
    expect(by.password!.sensitive).toBe(true);
    expect(by.id!.planBehaviour[0]).toMatch(/will not change/);
    expect(thing.blocks[0]).toMatchObject({ name: 'nic', nesting: 'list', maxItems: 3 });
    expect(described.provider.attributes[0]!.name).toBe('store_dir');
  });
});

import { z } from 'zod';
import { attr, block, schema, Diagnostics, t, UNKNOWN } from '../../src/tfplugin';
import { validateBlock } from '../../src/tfplugin/server/validate';

const thingSchema = schema({
  attributes: {
    name: attr.string({ required: true, validators: [z.string().min(3, 'at least 3 characters')] }),
    ports: attr.list(t.number, { optional: true, validators: [z.array(z.number().int().max(65535))] }),
  },
  blocks: {
    disk: block.list({ attributes: { size: attr.number({ required: true, validators: [z.number().positive()] }) } }),
  },
});

describe('validateBlock', () => {
  it.each([
    [
      'zod message at the attribute',
      { name: 'ab', ports: null, disk: [] },
      [{ path: [{ attribute: 'name' }], detail: /at least 3 characters/ }],
    ],
    [
      'zod issue path below the attribute',
      { name: 'abc', ports: [80, 70000], disk: [] },
      [{ path: [{ attribute: 'ports' }, { index: 1 }], detail: /65535/ }],
    ],
    [
      'nested block element path',
      { name: 'abc', ports: null, disk: [{ size: 1 }, { size: -1 }] },
      [{ path: [{ attribute: 'disk' }, { index: 1 }, { attribute: 'size' }], detail: /.+/ }],
    ],
    ['unknown values are not validated', { name: UNKNOWN, ports: null, disk: [{ size: UNKNOWN }] }, []],
  ])('%s', (_name, config, expected) => {
    const diags = new Diagnostics();
    validateBlock(thingSchema, config as Record<string, unknown>, diags);
    expect(diags.items.map((d) => ({ path: d.path, detail: d.detail }))).toEqual(
      (expected as { path: unknown; detail: RegExp }[]).map((want) => ({
        path: want.path,
        detail: expect.stringMatching(want.detail),
      })),
    );
  });
});

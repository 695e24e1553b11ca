import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFromDisk } from '../../src/tfplugin/protocol/gen-descriptors';
import { decode, encode, type Msg } from '../../src/tfplugin/protocol/wire';

describe('protocol descriptors', () => {
  it('descriptors.generated.ts and messages.generated.ts are current with proto/*.proto (regenerate: npm run generate:protocol)', () => {
    const generated = generateFromDisk();
    expect(generated.map(({ file }) => path.basename(file))).toEqual([
      'descriptors.generated.ts',
      'messages.generated.ts',
    ]);
    for (const { file, text } of generated) expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('round-trips nested messages, maps, repeated fields, negative int64 and bytes', () => {
    const msg: Msg<'tfplugin6.GetProviderSchema.Response'> = {
      provider: { version: 1, block: { attributes: [{ name: 'a', type: Buffer.from('"string"'), required: true }] } },
      resource_schemas: {
        x_thing: { version: 2, block: { block_types: [{ type_name: 'nic', nesting: 2, max_items: 3, block: {} }] } },
      },
      diagnostics: [
        { severity: 1, summary: 'S', attribute: { steps: [{ attribute_name: 'a' }, { element_key_int: -1 }] } },
      ],
      server_capabilities: { plan_destroy: true, get_provider_schema_optional: true },
    };
    const back = decode('tfplugin6.GetProviderSchema.Response', encode('tfplugin6.GetProviderSchema.Response', msg));
    expect(back.provider?.block?.attributes?.[0]?.type?.toString()).toBe('"string"');
    expect(back.resource_schemas?.x_thing?.block?.block_types?.[0]?.max_items).toBe(3);
    expect(back.diagnostics?.[0]?.attribute?.steps?.[1]?.element_key_int).toBe(-1);
    expect(back.server_capabilities).toEqual({ plan_destroy: true, get_provider_schema_optional: true });
  });

  it('uses the protocol field numbers (StopProvider.Response.Error = 1, ValidateProviderConfig diagnostics = 2)', () => {
    expect([...encode('tfplugin6.StopProvider.Response', { Error: 'x' })]).toEqual([0x0a, 1, 0x78]);
    expect(encode('tfplugin6.ValidateProviderConfig.Response', { diagnostics: [{ severity: 2 }] })[0]).toBe(0x12);
  });
});

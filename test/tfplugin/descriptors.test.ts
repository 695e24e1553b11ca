import * as fs from 'node:fs';
import { GENERATED_FILE, generateFromDisk } from '../../src/tfplugin/protocol/gen-descriptors';
import { decode, encode } from '../../src/tfplugin/protocol/wire';

describe('protocol descriptors', () => {
  it('descriptors.generated.ts is current with proto/*.proto (regenerate: npx ts-node src/tfplugin/protocol/gen-descriptors.ts)', () => {
    expect(fs.readFileSync(GENERATED_FILE, 'utf8')).toBe(generateFromDisk());
  });

  it('round-trips nested messages, maps, repeated fields, negative int64 and bytes', () => {
    const msg = {
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
    expect(back.provider.block.attributes[0].type.toString()).toBe('"string"');
    expect(back.resource_schemas.x_thing.block.block_types[0].max_items).toBe(3);
    expect(back.diagnostics[0].attribute.steps[1].element_key_int).toBe(-1);
    expect(back.server_capabilities).toEqual({ plan_destroy: true, get_provider_schema_optional: true });
  });

  it('uses the protocol field numbers (StopProvider.Response.Error = 1, ValidateProviderConfig diagnostics = 2)', () => {
    expect([...encode('tfplugin6.StopProvider.Response', { Error: 'x' })]).toEqual([0x0a, 1, 0x78]);
    expect(encode('tfplugin6.ValidateProviderConfig.Response', { diagnostics: [{ severity: 2 }] })[0]).toBe(0x12);
  });
});

import { attr, block, schema } from '../../src/tfplugin/schema/builders';
import type { ModelOf, PlanOf } from '../../src/tfplugin/schema/types';
import type { Unknown } from '../../src/tfplugin/cty/value';
import { t } from '../../src/tfplugin/cty/type';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {
  return undefined;
}

const thingSchema = schema({
  attributes: {
    id: attr.string({ computed: true }),
    name: attr.string({ required: true, forceNew: true }),
    size: attr.number({ optional: true, computed: true, default: 5 }),
    tags: attr.map(t.string, { optional: true }),
  },
  blocks: { nic: block.list({ attributes: { net: attr.string({ required: true }) } }, { maxItems: 4 }) },
});

describe('schema DSL types', () => {
  it('derives model and plan types from the declaration', () => {
    type M = ModelOf<typeof thingSchema>;
    expectType<Equals<M['name'], string>>();
    expectType<Equals<M['id'], string | null>>();
    expectType<Equals<M['tags'], Record<string, string> | null>>();
    expectType<Equals<M['nic'], { net: string }[]>>();
    type P = PlanOf<typeof thingSchema>;
    expectType<Equals<P['size'], number | null | Unknown>>();
    const model: M = { id: 'x', name: 'n', size: null, tags: { a: 'b' }, nic: [{ net: 'n1' }] };
    expect(model.nic[0]?.net).toBe('n1');
    expect(thingSchema.attributes.name.options.forceNew).toBe(true);
  });
});

import { addressAllowed, normalizeMac, parseCidr, parseEntrySpec } from '../../src/boot/entry';
import { Catalog, compileEntry, type MachineQuery } from '../../src/boot/server/catalog';
import type { BootEntrySpec } from '../../src/boot/entry';

const at = '2026-01-01T00:00:00.000Z';
function catalog(specs: BootEntrySpec[]): Catalog {
  const built = new Catalog();
  for (const s of specs)
    built.set(compileEntry({ spec: parseEntrySpec(s), created_at: at, updated_at: at }, 'http://srv'));
  return built;
}
const query = (mac?: string, uuid?: string, labels: Record<string, string> = {}): MachineQuery => ({
  mac,
  uuid,
  labels: new Map(Object.entries(labels)),
});

describe('entry parsing', () => {
  it('normalises MACs and UUIDs', () => {
    const spec = parseEntrySpec({
      name: 'a',
      selectors: {
        macs: ['52-54-00-AA-BB-CC', '525400aabbcc', '52:54:00:aa:bb:cd'],
        uuid: 'ABCDEF00-0000-0000-0000-000000000001',
      },
    });
    expect(spec.selectors?.macs).toEqual(['52:54:00:aa:bb:cc', '52:54:00:aa:bb:cd']);
    expect(spec.selectors?.uuid).toBe('abcdef00-0000-0000-0000-000000000001');
    expect(normalizeMac('52-54:00-aa-bb-cc')).toBeUndefined();
  });

  it.each([
    [{ name: '../x' }, /^name: must match/],
    [{ name: 'a', selectors: { macs: ['zz'] } }, /^selectors\.macs\.0: is not a MAC/],
    [{ name: 'a', ipxe: { kernel: 'k', script: '#!ipxe' } }, /exactly one/],
    [{ name: 'a', ipxe: { script: 'echo' } }, /#!ipxe/],
    [{ name: 'a', extra: 1 }, /entry: .*extra/i],
    [{ name: 'a', allowed_sources: ['10.0.0.0/33'] }, /allowed_sources\.0/],
    [{ name: 'a', selectors: { labels: { mac: 'x' } } }, /not labels/],
  ])('rejects %j', (input, msg) => {
    expect(() => parseEntrySpec(input)).toThrow(msg);
  });

  it('matches addresses against CIDRs, IPv4-mapped included', () => {
    const ranges = ['10.1.0.0/16', 'fd00::/8'].map((s) => parseCidr(s)!);
    expect(addressAllowed('10.1.2.3', ranges)).toBe(true);
    expect(addressAllowed('::ffff:10.1.2.3', ranges)).toBe(true);
    expect(addressAllowed('10.2.0.1', ranges)).toBe(false);
    expect(addressAllowed('fd12::1', ranges)).toBe(true);
    expect(addressAllowed('fe80::1', ranges)).toBe(false);
  });
});

describe('selection', () => {
  const entries = catalog([
    { name: 'default-b' },
    { name: 'default-a' },
    { name: 'workers', selectors: { labels: { role: 'worker' } } },
    { name: 'workers-zone', selectors: { labels: { role: 'worker', zone: 'a' } } },
    { name: 'by-uuid', selectors: { uuid: '00000000-0000-0000-0000-000000000001' } },
    { name: 'by-mac', selectors: { macs: ['52:54:00:00:00:01'] } },
    { name: 'by-mac-and-label', selectors: { macs: ['52:54:00:00:00:01'], labels: { stage: 'installed' } } },
    { name: 'by-mac-uuid', selectors: { macs: ['52:54:00:00:00:02'], uuid: '00000000-0000-0000-0000-000000000002' } },
  ]);

  it.each([
    ['unknown machine gets the first default by name', query('52:54:00:ff:ff:ff'), 'default-a'],
    ['labels beat defaults', query(undefined, undefined, { role: 'worker' }), 'workers'],
    ['more labels beat fewer', query(undefined, undefined, { role: 'worker', zone: 'a' }), 'workers-zone'],
    ['uuid beats labels', query(undefined, '00000000-0000-0000-0000-000000000001', { role: 'worker' }), 'by-uuid'],
    ['mac beats uuid', query('52:54:00:00:00:01', '00000000-0000-0000-0000-000000000001'), 'by-mac'],
    ['mac plus label beats mac', query('52:54:00:00:00:01', undefined, { stage: 'installed' }), 'by-mac-and-label'],
    ['mac+uuid entry needs both', query('52:54:00:00:00:02'), 'default-a'],
    ['mac+uuid entry with both', query('52:54:00:00:00:02', '00000000-0000-0000-0000-000000000002'), 'by-mac-uuid'],
    ['mac+uuid entry with another uuid', query('52:54:00:00:00:02', '00000000-0000-0000-0000-000000000001'), 'by-uuid'],
    ['mac plus label with another label value', query('52:54:00:00:00:01', undefined, { stage: 'new' }), 'by-mac'],
    [
      'uuid entry with the uuid and a mac of no entry',
      query('52:54:00:00:00:09', '00000000-0000-0000-0000-000000000001'),
      'by-uuid',
    ],
  ])('%s', (_, query, want) => {
    expect(entries.select(query)?.name).toBe(want);
  });

  it('updates indexes on replace and remove', () => {
    const c2 = catalog([{ name: 'm', selectors: { macs: ['52:54:00:00:00:09'] } }]);
    expect(c2.select(query('52:54:00:00:00:09'))?.name).toBe('m');
    c2.set(
      compileEntry(
        {
          spec: parseEntrySpec({ name: 'm', selectors: { macs: ['52:54:00:00:00:0a'] } }),
          created_at: at,
          updated_at: at,
        },
        'http://srv',
      ),
    );
    expect(c2.select(query('52:54:00:00:00:09'))).toBeUndefined();
    expect(c2.select(query('52:54:00:00:00:0a'))?.name).toBe('m');
    c2.remove('m');
    expect(c2.select(query('52:54:00:00:00:0a'))).toBeUndefined();
    expect(c2.size).toBe(0);
  });
});

import { parseSize, formatSize } from '../../constructs/units';
import { ValidationError } from '../../constructs/errors';

describe('parseSize', () => {
  it.each([
    ['16GiB', 16 * 1024 ** 3],
    ['16 GiB', 16 * 1024 ** 3],
    ['512MiB', 512 * 1024 ** 2],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['120GB', 120e9],
    ['1TiB', 1024 ** 4],
    ['4096', 4096],
    [' 7B ', 7],
    [2048, 2048],
  ])('%p is %p bytes', (input, bytes) => {
    expect(parseSize(input, 'memory')).toBe(bytes);
  });

  it.each(['16Gb', 'sixteen', '', '-1GiB', '1.5B', '0', '16 GiB extra'])('rejects %p naming the prop', (input) => {
    let err: unknown;
    try {
      parseSize(input, 'workers.size.memory');
    } catch (e) {
      err = e;
    }
    expect(ValidationError.is(err)).toBe(true);
    expect((err as ValidationError).prop).toBe('workers.size.memory');
    expect((err as Error).message).toMatch(/^workers\.size\.memory: /);
  });

  it('rejects numbers that are no whole positive byte count', () => {
    expect(() => parseSize(0, 'memory')).toThrow(/memory: must be a positive whole number/);
    expect(() => parseSize(1.5, 'memory')).toThrow(ValidationError);
    expect(() => parseSize(2 ** 60, 'memory')).toThrow(ValidationError);
  });
});

describe('formatSize', () => {
  it('uses the largest binary unit that divides the size', () => {
    expect(formatSize(16 * 1024 ** 3)).toBe('16GiB');
    expect(formatSize(1536 * 1024 ** 2)).toBe('1536MiB');
    expect(formatSize(1000)).toBe('1000B');
  });
});

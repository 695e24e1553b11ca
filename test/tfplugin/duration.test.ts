import { parseDuration } from '../../src/tfplugin';

describe('parseDuration (Go-style durations, as in timeouts blocks)', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['20m', 1_200_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2m30s', 150_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', '5 m', '1d', 'm', '1h 30m', '-5s'])('refuses %p, naming it and the format', (text) => {
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}": use e.g. "30s", "20m", "1h30m"`);
  });
});

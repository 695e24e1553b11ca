/**
 * The SDK's stderr logger writes only the levels Terraform shows from a provider (TF_LOG_PROVIDER,
 * else TF_LOG), warnings and errors always; a logger given a sink writes every level.
 */
import { createLogger, terraformProviderLogLevel } from '../../src/tfplugin';

describe('terraformProviderLogLevel', () => {
  it('reads TF_LOG_PROVIDER, then TF_LOG, as Terraform does', () => {
    expect(terraformProviderLogLevel({})).toBeNull();
    expect(terraformProviderLogLevel({ TF_LOG: 'off' })).toBeNull();
    expect(terraformProviderLogLevel({ TF_LOG: 'DEBUG' })).toBe('debug');
    expect(terraformProviderLogLevel({ TF_LOG: 'error', TF_LOG_PROVIDER: 'info' })).toBe('info');
    // Terraform logs at trace for a value it does not know (TF_LOG=1, TF_LOG=JSON).
    expect(terraformProviderLogLevel({ TF_LOG: '1' })).toBe('trace');
    expect(terraformProviderLogLevel({ TF_LOG: 'json' })).toBe('trace');
  });
});

describe('createLogger', () => {
  const saved = { ...process.env };
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((line) => {
      written.push(String(line));
      return true;
    });
  });
  afterEach(() => {
    spy.mockRestore();
    process.env = { ...saved };
  });

  const levels = () => written.map((line) => (JSON.parse(line) as Record<string, string>)['@level']);
  const logAll = () => {
    const log = createLogger().with({ rpc: 'x' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
  };

  it('without TF_LOG writes only warnings and errors to stderr', () => {
    delete process.env.TF_LOG;
    delete process.env.TF_LOG_PROVIDER;
    logAll();
    expect(levels()).toEqual(['warn', 'error']);
  });

  it('with TF_LOG=debug writes debug and above', () => {
    delete process.env.TF_LOG_PROVIDER;
    process.env.TF_LOG = 'debug';
    logAll();
    expect(levels()).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it('a logger with its own sink writes every level', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.trace('t');
    log.debug('d');
    expect(lines.map((line) => (JSON.parse(line) as Record<string, string>)['@level'])).toEqual(['trace', 'debug']);
    expect(written).toEqual([]);
  });
});

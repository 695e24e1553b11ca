import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  checkDnsLabel,
  checkDnsName,
  checkMasterCount,
  checkVips,
  checkMac,
  checkUrl,
  ipFamily,
} from '../../constructs/validation';
import { ValidationError } from '../../constructs/errors';

function propOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (ValidationError.is(err)) return err.prop;
    throw err;
  }
  return undefined;
}

describe('DNS names', () => {
  it('accepts labels and names', () => {
    expect(propOf(() => checkDnsLabel('ocp4', 'clusterName'))).toBeUndefined();
    expect(propOf(() => checkDnsLabel('a-1', 'clusterName'))).toBeUndefined();
    expect(propOf(() => checkDnsName('example.com', 'baseDomain'))).toBeUndefined();
  });
  it.each(['Ocp', '-a', 'a-', 'a_b', '', 'x'.repeat(64), 'a.b'])('label %p is rejected', (v) => {
    expect(propOf(() => checkDnsLabel(v, 'clusterName'))).toBe('clusterName');
  });
  it.each(['example..com', 'example.com.', 'ex ample.com', `${'a'.repeat(63)}.`.repeat(4) + 'com'])(
    'name %p is rejected',
    (v) => {
      expect(propOf(() => checkDnsName(v, 'baseDomain'))).toBe('baseDomain');
    },
  );
  it('skips tokens, whose text is not the value', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const variable = new TerraformVariable(stack, 'name', { type: 'string' });
    expect(propOf(() => checkDnsLabel(variable.stringValue, 'clusterName'))).toBeUndefined();
  });
});

describe('VIPs', () => {
  it('accepts distinct addresses of one family', () => {
    expect(propOf(() => checkVips({ apiVips: ['10.0.0.5'], ingressVips: ['10.0.0.6'] }))).toBeUndefined();
    expect(propOf(() => checkVips({ apiVips: ['fd00::5'], ingressVips: ['fd00::6'] }))).toBeUndefined();
  });
  it('rejects an invalid address, naming its index', () => {
    expect(propOf(() => checkVips({ apiVips: ['10.0.0.5'], ingressVips: ['10.0.0.256'] }))).toBe('ingressVips.0');
  });
  it('rejects duplicates, also when written differently', () => {
    expect(propOf(() => checkVips({ apiVips: ['10.0.0.5'], ingressVips: ['10.0.0.5'] }))).toBe('ingressVips.0');
    expect(propOf(() => checkVips({ apiVips: ['fd00::5'], ingressVips: ['fd00:0:0::5'] }))).toBe('ingressVips.0');
  });
  it('rejects mixed families', () => {
    expect(() => checkVips({ apiVips: ['10.0.0.5'], ingressVips: ['fd00::6'] })).toThrow(
      /ingressVips\.0: fd00::6 is ipv6 but apiVips\.0 is ipv4/,
    );
  });
  it('needs at least one per prop', () => {
    expect(propOf(() => checkVips({ apiVips: [], ingressVips: ['10.0.0.6'] }))).toBe('apiVips');
  });
  it('knows families', () => {
    expect(ipFamily('192.168.1.1')).toBe('ipv4');
    expect(ipFamily('::1')).toBe('ipv6');
    expect(ipFamily('host')).toBeUndefined();
  });
});

describe('master count', () => {
  it.each([1, 3, 5, 7])('%p is allowed', (n) =>
    expect(propOf(() => checkMasterCount(n, 'masters.count'))).toBeUndefined(),
  );
  it.each([0, 2, 4, -1, 2.5])('%p is refused with the rule', (count) => {
    expect(() => checkMasterCount(count, 'masters.count')).toThrow(
      /masters\.count: must be 1 or an odd number of at least 3/,
    );
  });
});

describe('MACs and URLs', () => {
  it('checks MACs', () => {
    expect(propOf(() => checkMac('56:6f:1a:00:00:01', 'mac'))).toBeUndefined();
    expect(propOf(() => checkMac('56:6f:1a:00:00', 'mac'))).toBe('mac');
  });
  it('checks URLs and protocols', () => {
    expect(propOf(() => checkUrl('https://boot.example:8443', 'url'))).toBeUndefined();
    expect(propOf(() => checkUrl('ftp://x', 'url'))).toBe('url');
    expect(propOf(() => checkUrl('not a url', 'kernelUrl'))).toBe('kernelUrl');
  });
});

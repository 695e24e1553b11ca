import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineConfigUrl, pointerIgnition, pointerIgnitionObject } from '../../constructs/openshift/pointer';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const hasValidator = (() => {
  try {
    execFileSync('ignition-validate', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasValidator) console.warn('ignition-validate is not installed: the pointer config is not checked with it');
const withValidator = hasValidator ? it : it.skip;

describe('pointer Ignition', () => {
  it('merges the source and trusts the CA as a data URL', () => {
    const obj = pointerIgnitionObject({ source: machineConfigUrl('10.0.0.5', 'master'), caPem: CA }) as {
      ignition: {
        version: string;
        config: { merge: Array<{ source: string }> };
        security: { tls: { certificateAuthorities: Array<{ source: string }> } };
      };
    };
    expect(obj.ignition.version).toBe('3.2.0');
    expect(obj.ignition.config.merge).toEqual([{ source: 'https://10.0.0.5:22623/config/master' }]);
    const ca = obj.ignition.security.tls.certificateAuthorities[0]!.source;
    expect(ca.startsWith('data:text/plain;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(ca.split(',')[1]!, 'base64').toString()).toBe(CA);
  });
  it('brackets IPv6 VIPs in the URL', () => {
    expect(machineConfigUrl('fd00::5', 'worker')).toBe('https://[fd00::5]:22623/config/worker');
  });
  withValidator('passes the real ignition-validate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pointer-'));
    try {
      const file = join(dir, 'p.ign');
      writeFileSync(file, pointerIgnition({ source: 'https://10.0.0.5:22623/config/worker', caPem: CA }));
      expect(() => execFileSync('ignition-validate', [file], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

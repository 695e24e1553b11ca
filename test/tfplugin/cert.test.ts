import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as tls from 'node:tls';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';

describe('AutoMTLS server certificate', () => {
  it('is a valid self-signed CA certificate for localhost with client+server auth', () => {
    const c = generateServerCertificate();
    const x = new X509Certificate(c.certPem);
    expect(x.subjectAltName).toBe('DNS:localhost');
    expect(x.ca).toBe(true);
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(new Date(x.validFrom).getTime()).toBeLessThanOrEqual(Date.now() - 29_000);
    expect(Buffer.from(x.raw).equals(c.der)).toBe(true);
    expect(createPrivateKey(c.keyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('always encodes valid DER (random serials included): 300 certificates load into TLS', () => {
    for (let i = 0; i < 300; i++) {
      const c = generateServerCertificate();
      expect(() => tls.createSecureContext({ cert: c.certPem, key: c.keyPem })).not.toThrow();
    }
  });
});

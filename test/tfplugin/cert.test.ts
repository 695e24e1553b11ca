import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as tls from 'node:tls';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';

describe('AutoMTLS server certificate', () => {
  it('is a valid self-signed CA certificate for localhost with client+server auth', () => {
    const generated = generateServerCertificate();
    const cert = new X509Certificate(generated.certPem);
    expect(cert.subjectAltName).toBe('DNS:localhost');
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(Date.now() - 29_000);
    expect(Buffer.from(cert.raw).equals(generated.der)).toBe(true);
    expect(createPrivateKey(generated.keyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('always encodes valid DER (random serials included): 300 certificates load into TLS', () => {
    for (let i = 0; i < 300; i++) {
      const generated = generateServerCertificate();
      expect(() => tls.createSecureContext({ cert: generated.certPem, key: generated.keyPem })).not.toThrow();
    }
  });
});

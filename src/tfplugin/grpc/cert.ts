/**
 * The AutoMTLS server certificate: a fresh self-signed EC P-256 certificate for `localhost`,
 * built with node:crypto and a tiny DER encoder (no certificate library: start-up cost matters).
 * Mirrors go-plugin's: CA, key usage, client+server auth, SAN DNS:localhost, notBefore now-30s.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

function len(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let v = length; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...body: Buffer[]) => {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.from([tag]), len(content.length), content]);
};
const seq = (...b: Buffer[]) => tlv(0x30, ...b);
function oid(text: string): Buffer {
  const [first = 0, second = 0, ...rest] = text.split('.').map(Number);
  const out = [first * 40 + second];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) enc.unshift((v & 0x7f) | 0x80);
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
}
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'; // YYMMDDHHMMSSZ
  return tlv(0x17, Buffer.from(iso, 'ascii'));
}
const ext = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));

/** A PEM certificate and key, plus the certificate's DER bytes. */
export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  der: Buffer;
}

/** Generates the server certificate (valid from 30 s ago for 10 years). */
export function generateServerCertificate(now = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = randomBytes(16);
  serial.writeUInt8((serial.readUInt8(0) & 0x7f) | 0x40, 0); // positive, and no leading zero byte (DER wants minimal INTEGERs)
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(
    tlv(0x31, seq(oid('2.5.4.10'), utf8('ovirt-cdktf'))),
    tlv(0x31, seq(oid('2.5.4.3'), utf8('localhost'))),
  );
  const notAfter = new Date(now.getTime() + 10 * 365 * 86400e3);
  const extensions = seq(
    ext('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff])))), // basicConstraints CA:TRUE
    ext('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0xac]))), // keyUsage: digSig, keyEnc, keyAgree, certSign
    ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'), oid('1.3.6.1.5.5.7.3.1'))), // clientAuth, serverAuth
    ext('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost')))), // SAN DNS:localhost
  );
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now.getTime() - 30e3)), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    der,
  };
}

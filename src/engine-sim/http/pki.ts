/**
 * The engine's certificate downloads: `/ovirt-engine/services/pki-resource?resource=&format=` and
 * `/ovirt-engine/ca.crt` (the CA, as PEM), both unauthenticated like the engine's.
 */

/** An answer of the PKI servlet. */
export interface PkiAnswer {
  status: number;
  type: string;
  body: string;
}

const RESOURCES = ['ca-certificate', 'qemu-ca-certificate', 'engine-certificate'];
const CA_FORMAT = 'application/x-x509-ca-cert';
const FORMATS: Record<string, string> = {
  'X509-PEM': 'application/x-x509-cert',
  'X509-PEM-CA': CA_FORMAT,
};

/** `/ca.crt`, or pki-resource with its `resource` and `format` checked as the engine does. */
export function pki(path: string, query: URLSearchParams, caPem: string): PkiAnswer {
  if (path.endsWith('/ca.crt')) return { status: 200, type: CA_FORMAT, body: caPem };
  const resource = query.get('resource') ?? '';
  const format = query.get('format') ?? 'X509-PEM-CA';
  if (!RESOURCES.includes(resource))
    return { status: 400, type: 'text/plain', body: `Resource '${resource}' is invalid\n` };
  if (!FORMATS[format]) return { status: 400, type: 'text/plain', body: `Format '${format}' is invalid\n` };
  // The simulator's one CA signs everything, so each resource is that CA's certificate.
  return { status: 200, type: FORMATS[format], body: caPem };
}

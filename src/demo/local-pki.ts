/**
 * A local certificate authority and server certificates, for brokers that stand in
 * for flespi on this machine (the `npm start` demo and the tests). Never used to
 * talk to flespi itself, whose certificate chains to a public root.
 */
import { generate } from 'selfsigned';

export interface KeyPair {
  cert: string;
  key: string;
}

export interface ServerCertificateOptions {
  hosts?: string[];
  notBefore?: Date;
  notAfter?: Date;
  commonName?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function createCertificateAuthority(name = 'Local test CA'): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    notAfterDate: new Date(Date.now() + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A server certificate signed by `ca`, for `localhost` and 127.0.0.1 unless told otherwise. */
export async function createServerCertificate(ca: KeyPair, options: ServerCertificateOptions = {}): Promise<KeyPair> {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
  const pems = await generate([{ name: 'commonName', value: options.commonName ?? hosts[0] }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.key, cert: ca.cert },
    notBeforeDate: options.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfterDate: options.notAfter ?? new Date(Date.now() + 825 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) => (/^[\d.]+$|:/.test(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

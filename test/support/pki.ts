/** The certificates the broker tests use, made once per test run. */
import { createCertificateAuthority, createServerCertificate, KeyPair } from '../../src/demo/local-pki';

export interface TestPki {
  ca: KeyPair;
  /** Signed by `ca`, for localhost and 127.0.0.1. */
  server: KeyPair;
  /** Signed by `ca`, expired yesterday. */
  expired: KeyPair;
  /** Signed by `ca`, for another host name. */
  otherName: KeyPair;
  /** A CA nobody trusts. */
  otherCa: KeyPair;
}

let made: Promise<TestPki> | undefined;

export function testPki(): Promise<TestPki> {
  made ??= (async () => {
    const ca = await createCertificateAuthority('flespi test CA');
    const day = 24 * 60 * 60 * 1000;
    return {
      ca,
      server: await createServerCertificate(ca),
      expired: await createServerCertificate(ca, {
        notBefore: new Date(Date.now() - 30 * day),
        notAfter: new Date(Date.now() - day),
      }),
      otherName: await createServerCertificate(ca, { hosts: ['broker.example.net'] }),
      otherCa: await createCertificateAuthority('untrusted CA'),
    };
  })();
  return made;
}

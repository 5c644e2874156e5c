/**
 * TLS for the broker connection: always verified against Node's trusted roots plus
 * any CA certificates the user adds, with an optional pin on one certificate of the
 * served chain.
 */
import * as tls from 'tls';
import { X509Certificate } from 'crypto';

/** The longest CA bundle accepted from the editor: a few dozen certificates at most. */
const MAX_CA_TEXT = 256 * 1024;

export const PIN_MISMATCH = 'FLESPI_PIN_MISMATCH';

/** Splits pasted PEM text into certificates, checking that each one parses. */
export function parseCaCertificates(pem: string | undefined): string[] {
  const text = (pem ?? '').trim();
  if (text === '') return [];
  if (text.length > MAX_CA_TEXT) throw new Error('the extra CA certificates are larger than 256 KiB');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new Error('the extra CA text holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  return blocks.map((block, index) => {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new Error(`extra CA certificate ${index + 1} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    return block;
  });
}

/** Normalises a SHA-256 fingerprint to the `AB:CD:…` form Node reports, or throws. */
export function normalisePin(pin: string | undefined): string | undefined {
  const hex = (pin ?? '')
    .replace(/^sha256\//i, '')
    .replace(/[\s:]/g, '')
    .toUpperCase();
  if (hex === '') return undefined;
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new Error('the certificate pin must be a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed');
  }
  return hex.match(/../g)!.join(':');
}

export interface TlsSettings {
  servername: string;
  extraCa?: string;
  pin?: string;
}

/**
 * Options for tls.connect: verification is always on. Extra CAs are appended to
 * Node's own roots, because a `ca` option on its own replaces them.
 */
export interface VerifiedTlsOptions {
  rejectUnauthorized: true;
  checkServerIdentity: (host: string, cert: tls.PeerCertificate) => Error | undefined;
  ca?: string[];
}

export function buildTlsOptions(settings: TlsSettings): VerifiedTlsOptions {
  const extra = parseCaCertificates(settings.extraCa);
  const pin = normalisePin(settings.pin);
  const options: VerifiedTlsOptions = {
    rejectUnauthorized: true,
    checkServerIdentity: (host, cert) => {
      const identityError = tls.checkServerIdentity(host, cert);
      if (identityError) return identityError;
      if (pin && !chainFingerprints(cert).includes(pin)) {
        const error = new Error(`no certificate served by ${host} matches the pinned fingerprint`);
        (error as NodeJS.ErrnoException).code = PIN_MISMATCH;
        return error;
      }
      return undefined;
    },
  };
  if (extra.length > 0) options.ca = [...tls.rootCertificates, ...extra];
  return options;
}

function chainFingerprints(leaf: tls.PeerCertificate): string[] {
  const fingerprints: string[] = [];
  let current: tls.DetailedPeerCertificate | tls.PeerCertificate | undefined = leaf;
  while (current && current.fingerprint256 && !fingerprints.includes(current.fingerprint256)) {
    fingerprints.push(current.fingerprint256);
    current = (current as tls.DetailedPeerCertificate).issuerCertificate;
  }
  return fingerprints;
}

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the broker certificate has expired',
  CERT_NOT_YET_VALID: 'the broker certificate is not valid yet (check the clock)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the broker certificate is self-signed: add it under extra CA certificates',
  SELF_SIGNED_CERT_IN_CHAIN: 'the broker certificate chain ends in an untrusted self-signed CA: add that CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the broker certificate is signed by an unknown CA: add that CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the broker certificate is signed by an unknown CA: add that CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the broker certificate is signed by an unknown CA: add that CA',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the broker certificate is for another host name',
  [PIN_MISMATCH]: 'the broker certificate does not match the pinned fingerprint',
};

/** A short, specific reason for a TLS failure, or undefined when the error is not about TLS. */
export function describeTlsError(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && TLS_REASONS[code]) return TLS_REASONS[code];
  const message = (error as Error | undefined)?.message ?? '';
  if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
    return 'the broker does not speak TLS on this port';
  }
  return undefined;
}

import { strict as assert } from 'assert';
import * as tls from 'tls';
import { buildTlsOptions, describeTlsError, normalisePin, parseCaCertificates } from '../../../src/flespi/tls';
import { testPki } from '../../support/pki';

describe('flespi TLS options', () => {
  it('always verifies, and appends extra CAs to the trusted roots instead of replacing them', async () => {
    const pki = await testPki();
    assert.equal(buildTlsOptions({ servername: 'mqtt.flespi.io' }).rejectUnauthorized, true);
    assert.equal(buildTlsOptions({ servername: 'mqtt.flespi.io' }).ca, undefined);
    const withExtra = buildTlsOptions({ servername: 'x', extraCa: pki.ca.cert });
    assert.equal(withExtra.ca?.length, tls.rootCertificates.length + 1);
    assert.ok(withExtra.ca?.includes(pki.ca.cert));
  });

  it('reads several pasted certificates and refuses text that holds none or a broken one', async () => {
    const pki = await testPki();
    assert.equal(parseCaCertificates(`junk\n${pki.ca.cert}\n\n${pki.otherCa.cert}`).length, 2);
    assert.deepEqual(parseCaCertificates('  '), []);
    assert.throws(() => parseCaCertificates('hello'), /no PEM certificate/);
    assert.throws(
      () => parseCaCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'),
      /certificate 1 cannot be read/,
    );
    assert.throws(() => parseCaCertificates('x'.repeat(300_000)), /larger than 256 KiB/);
  });

  it('accepts a SHA-256 pin in the usual spellings and refuses anything else', () => {
    const hex = 'ab'.repeat(32);
    const expected = Array(32).fill('AB').join(':');
    assert.equal(normalisePin(hex), expected);
    assert.equal(normalisePin(expected.toLowerCase()), expected);
    assert.equal(normalisePin(`sha256/${hex}`), expected);
    assert.equal(normalisePin(''), undefined);
    assert.throws(() => normalisePin('ab'.repeat(20)), /64 hexadecimal digits/);
  });

  it('names TLS failures in words a user can act on', () => {
    assert.match(describeTlsError({ code: 'CERT_HAS_EXPIRED' }) ?? '', /expired/);
    assert.match(describeTlsError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }) ?? '', /another host name/);
    assert.match(describeTlsError(new Error('SSL routines:ssl3_get_record:wrong version number')) ?? '', /does not speak TLS/);
    assert.equal(describeTlsError({ code: 'ECONNREFUSED' }), undefined);
  });
});

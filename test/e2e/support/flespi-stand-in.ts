// A broker with TLS on 127.0.0.1 that stands in for mqtt.flespi.io, and the broker dialog filled to
// reach it the way a user would (host, port, protocol, CA certificate, token).
import { Page } from 'playwright-core';
import { KeyPair, createCertificateAuthority, createServerCertificate } from '../../../src/demo/local-pki';
import { TlsBroker, startTlsBroker } from '../../../src/demo/tls-broker';
import { setField } from './editor';

export interface FlespiStandIn {
  broker: TlsBroker;
  ca: KeyPair;
  token: string;
}

export async function startFlespiStandIn(token: string): Promise<FlespiStandIn> {
  const ca = await createCertificateAuthority('e2e flespi stand-in CA');
  const broker = await startTlsBroker({ server: await createServerCertificate(ca), token });
  return { broker, ca, token };
}

/** Fills the open flespi-broker dialog to reach the stand-in; `token` defaults to the accepted one. */
export async function fillBrokerDialog(page: Page, standIn: FlespiStandIn, token = standIn.token): Promise<void> {
  await setField(page, '#node-config-input-host', '127.0.0.1');
  await setField(page, '#node-config-input-port', String(standIn.broker.port));
  // The stand-in (aedes) speaks MQTT 3.1.1; flespi itself speaks 5.
  await setField(page, '#node-config-input-protocolVersion', '4');
  await setField(page, '#node-config-input-ca', standIn.ca.cert);
  await setField(page, '#node-config-input-token', token);
}

/**
 * How much Test connection tells about a failure. For flespi's hosts and for the host and port the named
 * broker config was deployed with, the cause (refused, reset, not TLS, certificate, DNS, timeout). For any
 * other target, one answer whatever stopped the connection before a broker spoke MQTT: the distinct texts
 * would let an editor map which ports of the server's network are open, closed or speak TLS. An MQTT
 * broker's own answer (accepted, token refused) is told everywhere.
 */
import type { Node } from 'node-red';
import { isFlespiHost } from '../../src/flespi/probe';
import { DeployedBroker, Endpoint } from './stored-credentials';

export function explainsNetworkFailures(target: Endpoint, named: Node | null): boolean {
  if (isFlespiHost(target.host)) return true;
  const deployed = named?.type === 'flespi-broker' ? (named as unknown as DeployedBroker).deployedEndpoint : undefined;
  return deployed !== undefined && deployed.host === target.host && deployed.port === target.port;
}

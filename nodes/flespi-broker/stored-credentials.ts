/**
 * Which stored credentials the editor's Test connection may use: only those of the broker config
 * the request names, and only to reach that config's own broker as deployed. A request for any other
 * transport, WebSocket path, host, port, CA or pin brings its own token, so an editor cannot send a deployed token elsewhere.
 */
import type { Node } from 'node-red';
import type { FlespiBrokerCredentials, FlespiBrokerDef } from './broker-api';
import { brokerAddress, Transport } from '../../src/flespi/transport';

/** What decides where a token goes and whom TLS trusts. */
export interface Endpoint {
  transport: Transport;
  /** The WebSocket URL path; '' over plain TLS, where there is none. */
  wsPath: string;
  host: string;
  port: number;
  pin: string;
  ca: string;
}

export function endpointOf(config: Partial<FlespiBrokerDef>, ca: string | undefined): Endpoint {
  const address = brokerAddress(config);
  return {
    ...address,
    host: address.host.toLowerCase(),
    pin: String(config.pin ?? '')
      .trim()
      .toLowerCase(),
    ca: (ca ?? '').trim(),
  };
}

/** A deployed broker config node remembers the endpoint it was deployed with. */
export interface DeployedBroker {
  deployedEndpoint?: Endpoint;
}

/**
 * The credentials of `node` if it is a deployed broker config and the request's endpoint, with its CA
 * taken from the store when the request leaves it out, is the deployed one; otherwise none.
 */
export function storedCredentialsFor(
  node: Node | null,
  request: Partial<FlespiBrokerDef> & FlespiBrokerCredentials,
  stored: FlespiBrokerCredentials | undefined,
): FlespiBrokerCredentials | undefined {
  const deployed: Endpoint | undefined = (node as unknown as DeployedBroker | null)?.deployedEndpoint;
  if (!node || node.type !== 'flespi-broker' || !deployed || !stored) return undefined;
  const wanted = endpointOf(request, request.ca === undefined ? stored.ca : request.ca);
  const same = (Object.keys(deployed) as Array<keyof Endpoint>).every((key) => deployed[key] === wanted[key]);
  return same ? stored : undefined;
}

/**
 * The main example flow, pointed at what `npm start` runs locally: the virtual board
 * instead of a USB port, and the local TLS broker instead of mqtt.flespi.io.
 */
export const DEMO_BOARD = 'demo';
export const DEMO_TOKEN = 'demo-token';
/** Readings every few seconds, so the demo shows something soon after it starts. */
const DEMO_READ_INTERVAL_MS = 5000;
const DEMO_TAB = { id: 'demo-tab', type: 'tab', label: 'ESP8266 DS18B20 to flespi (demo)', disabled: false, info: '' };

type FlowNode = Record<string, unknown>;

export function demoFlow(example: readonly FlowNode[], broker: { brokerPort: number; ca: string }): FlowNode[] {
  const types = new Set(example.map((node) => node.type));
  for (const needed of ['esp8266-device', 'flespi-broker', 'ds18b20-read', 'flespi-mqtts-out']) {
    if (!types.has(needed)) throw new Error(`the main example has no ${needed} node`);
  }
  // An imported example lands on the editor's current tab; deployed through the API, its
  // nodes need a tab of their own. Config nodes (no position) stay global.
  const placed = example.map((node) => ('x' in node && !node.z ? { ...node, z: DEMO_TAB.id } : node));
  return [
    DEMO_TAB,
    ...placed.map((node) => {
      switch (node.type) {
        case 'esp8266-device':
          return { ...node, name: 'Virtual ESP8266 (demo)', port: `sim:${DEMO_BOARD}` };
        case 'flespi-broker':
          // The local broker speaks MQTT 3.1.1 only; flespi itself speaks MQTT 5.
          return {
            ...node,
            name: 'Local broker (stands in for flespi)',
            host: 'localhost',
            port: broker.brokerPort,
            protocolVersion: 4,
            credentials: { token: DEMO_TOKEN, ca: broker.ca },
          };
        case 'ds18b20-read':
          return { ...node, interval: DEMO_READ_INTERVAL_MS };
        default:
          return { ...node };
      }
    }),
  ];
}

// Plugs the built-in virtual ESP8266 into the serial layer as the provider of `sim:<name>` ports.
// Importing this module costs nothing: the simulator is required only when a `sim:` path is used.
import { registerPortProvider } from './serial/port-providers';
import { SIM_PREFIX } from './sim/host/prefix';

registerPortProvider({
  prefix: SIM_PREFIX,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, so a Node-RED without sim: ports never loads the simulator; import() would make creating a link asynchronous
  load: () => (require('./sim/host/port-provider') as typeof import('./sim/host/port-provider')).virtualPortProvider,
});

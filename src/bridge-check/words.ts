// Every word esp8266-bridge-check prints: the usage, the report's labels, progress lines and the one-line
// reasons a check fails with. The command is not a Node-RED node, so these live here rather than in locales/.

export const COMMAND = 'esp8266-bridge-check';

export const USAGE = `usage: ${COMMAND} <port> [--cycles N] [--flash [--reset auto|none] [--flash-baud BAUD] [--backup FILE]]

Checks an ESP8266 running the ds18b20-bridge firmware and its DS18B20 sensors, then prints a report
to paste into a bug report. Exit code 0 when the board answered and every sensor read cleanly at
least once, 1 when the check failed (the last line says why), 2 for bad arguments.

  <port>            the board's serial port: /dev/ttyUSB0 or /dev/ttyACM0 (Linux),
                    /dev/cu.usbserial-* (macOS), COM3 (Windows), or sim:<name> for a virtual board
  --cycles N        read cycles to run, 1-1000 (default 5)
  --flash           first write the bundled bridge firmware, and report chip, MAC and flash id
  --reset auto      with --flash: reset the board through DTR/RTS, as esptool does (default)
  --reset none      with --flash: for boards without auto-reset; hold FLASH/BOOT while pressing RESET
                    before starting, and press RESET when asked after the write
  --flash-baud BAUD with --flash: baud rate of the write, 115200-921600 (default 460800)
  --backup FILE     with --flash: first save what the write replaces in FILE (read from the board
                    before anything is erased; nothing is written if FILE cannot be created)
  -h, --help        show this text`;

export const argumentErrors = {
  missingPort: 'a serial port is required, e.g. /dev/ttyUSB0',
  extraPort: (port: string) => `only one port may be given (also got "${port}")`,
  unknownOption: (option: string) => `unknown option ${option}`,
  needsValue: (option: string) => `${option} needs a value`,
  cycles: '--cycles must be a whole number from 1 to 1000',
  reset: '--reset must be "auto" or "none"',
  flashBaud: '--flash-baud must be a whole number from 115200 to 921600',
  flashOnly: (option: string) => `${option} only applies together with --flash`,
  /** How bad arguments end: the reason, then a pointer to the usage. */
  seeHelp: `run "${COMMAND} --help" for the usage`,
};

export const progress = {
  flashPhase: (phase: string, percent: number) => `flashing the bridge firmware: ${phase} (${percent}%)`,
  pressReset: 'the bridge is written: press RESET on the board now (waiting for it to start)',
  waitingForHello: (path: string) => `asking the board on ${path} who it is`,
  reading: (cycle: number, cycles: number) => `read cycle ${cycle} of ${cycles}`,
};

export const failures = {
  noAnswer: (path: string) =>
    `no answer from the board at 115200 baud on ${path}: check that it is the right port and that the board is powered, or write the bridge with --flash`,
  silentAfterReset: (path: string) =>
    `the board on ${path} did not start the bridge after the write: press RESET (or unplug and replug it) and run the check again without --flash`,
  otherText: (path: string, lines: number) =>
    `the board on ${path} prints text at 115200 baud (${lines} line${lines === 1 ? '' : 's'}) but not as the bridge firmware: it runs other firmware; write the bridge with --flash`,
  otherFirmware: (firmware: string, protocol: number) =>
    `the board runs "${firmware}" (protocol ${protocol}), not the ds18b20-bridge firmware this package speaks: write the bridge with --flash`,
  otherProtocol: (version: string, protocol: number) =>
    `the board runs ds18b20-bridge ${version} speaking protocol ${protocol}, and this package speaks protocol 1: write the bundled bridge with --flash, or update the package`,
  noSensors: (pin: number | undefined) =>
    `the bridge found no DS18B20 on GPIO${pin ?? 4}: check the wiring (data to D2, 4.7 kΩ pull-up to 3.3 V, ground)`,
  neverClean: (idents: string[]) => `no clean reading from ${idents.join(', ')}: see the per-sensor counts and errors above`,
  noControlLines: (path: string) =>
    `${path} has no DTR/RTS control lines: hold FLASH/BOOT while pressing RESET on the board, then run again with --flash --reset none`,
  portLost: (path: string) => `the port ${path} went away during the check (unplugged?)`,
  command: (message: string) => `the check stopped: ${message}`,
};

export const report = {
  title: `${COMMAND} report`,
  package: 'package',
  node: 'node',
  port: 'port',
  chip: 'chip',
  mac: 'mac',
  flashId: 'flash id',
  flashed: 'flashed',
  backup: 'backup',
  firmware: 'firmware',
  sensors: 'sensors',
  cycles: 'cycles',
  cycleTimes: 'cycle time',
  perSensor: 'per sensor',
  noise: 'serial noise',
  errors: 'errors seen',
  result: 'result',
  notFlashed: 'not flashed (run with --flash to write the bridge and report chip, MAC and flash id)',
  flashedSummary: (bytes: number, seconds: string, baud: number, restarted: boolean) =>
    `wrote ${bytes} bytes in ${seconds} s at ${baud} baud, ${restarted ? 'restarted by DTR/RTS' : 'restarted by hand'}`,
  flashIdSummary: (id: string, size: string) => `${id} (${size})`,
  noFirmware: 'no bridge answered',
  firmwareSummary: (name: string, version: string, protocol: number, pin: number | undefined) =>
    `${name} ${version} (protocol ${protocol}${pin === undefined ? '' : `, 1-Wire on GPIO${pin}`})`,
  sensorCount: (count: number) => (count === 0 ? 'none found' : `${count} found`),
  sensorLine: (ident: string, model: string, family: string, power: string, resolution: number) =>
    `${ident}  ${model} (family 0x${family}), ${power} power, ${resolution} bit`,
  cyclesRun: (done: number, asked: number) => `${done} of ${asked} run`,
  cycleTimeSummary: (min: number, median: number, max: number) => `min ${min} ms, median ${median} ms, max ${max} ms`,
  noCycleTimes: 'no cycle completed',
  perSensorHeader: 'ident            clean  crc  power-on  other  last',
  perSensorLine: (ident: string, clean: string, crc: string, powerOn: string, other: string, last: string) =>
    `${ident}  ${clean}  ${crc}  ${powerOn}  ${other}  ${last}`,
  celsius: (value: number) => `${value} °C`,
  noReading: '-',
  noiseSummary: (noise: number, malformed: number) =>
    `${noise} line${noise === 1 ? '' : 's'} of non-JSON text skipped (boot ROM output is normal), ${malformed} malformed or unknown line${malformed === 1 ? '' : 's'}`,
  busError: (code: string) => `the bridge reported "${code}" on the 1-Wire bus (firmware/PROTOCOL.md, section 3.6)`,
  errorLine: (count: number, message: string) => `${count}× ${message}`,
  noErrors: 'none',
  pass: 'PASS: the board answered and every sensor read cleanly at least once',
  fail: (reason: string) => `FAIL: ${reason}`,
};

import { Esp8266Chip } from '../../../../src/sim/board/esp8266-chip';
import { NorFlash } from '../../../../src/sim/board/nor-flash';
import { Efuse } from '../../../../src/sim/peripherals/efuse';
import { baudRatesMatch } from '../../../../src/sim/board/serial-line';
import { SensorBus, type SensorBusOptions } from '../../../../src/sim/onewire/sensor-bus';

/**
 * A chip booted from an image with sensors on its line, run in virtual time as fast as the host
 * can (no wall clock): what a host listening at `hostBaud` receives, line by line (bytes sent at
 * another rate, such as the ROM's 74880-baud text, are noise it does not keep).
 */
export class ChipHarness {
  readonly sensors: SensorBus;
  readonly chip: Esp8266Chip;
  readonly log: string[] = [];
  private text = '';

  constructor(
    image: Uint8Array,
    sensors: SensorBusOptions,
    private readonly hostBaud = 115200,
    mac = Uint8Array.of(0x18, 0xfe, 0x34, 0x12, 0x34, 0x56),
  ) {
    const flash = new NorFlash(4 * 1024 * 1024);
    flash.program(0, image);
    this.sensors = new SensorBus(sensors);
    this.chip = new Esp8266Chip({
      flash,
      oneWire: this.sensors.line,
      efuse: new Efuse(mac),
      busStartUs: 0,
      transmit: (chunk) => {
        if (baudRatesMatch(chunk.baud, hostBaud)) this.text += Buffer.from(chunk.bytes).toString('latin1');
      },
      log: (message) => this.log.push(message),
    });
    if (!this.chip.boot(1).started) throw new Error('the ROM did not start the image');
  }

  get seconds(): number {
    return this.chip.cpu.cycles / this.chip.cpuHz;
  }

  /** Complete lines received so far, without their line ends. */
  get lines(): string[] {
    return this.text
      .split('\n')
      .slice(0, -1)
      .map((l) => l.replace(/\r$/, ''));
  }

  send(text: string): void {
    this.chip.receive({ bytes: Buffer.from(text, 'latin1'), baud: this.hostBaud });
  }

  /** Runs until `done` holds (checked every virtual millisecond) or `maxSeconds` of virtual time passed. */
  runUntil(done: (lines: string[]) => boolean, maxSeconds: number, what: string): string[] {
    const end = this.chip.cpu.cycles + maxSeconds * this.chip.cpuHz;
    const step = this.chip.cpuHz / 1000;
    while (!done(this.lines)) {
      if (this.chip.cpu.cycles >= end)
        throw new Error(`no ${what} after ${maxSeconds} s of virtual time; got:\n${this.lines.join('\n')}\nlog: ${this.log.join('; ')}`);
      if (!this.chip.run(this.chip.cpu.cycles + step)) throw new Error(`the CPU stopped: ${this.log.join('; ')}`);
    }
    return this.lines;
  }

  /** Sends a command and runs until `count` more lines arrived; returns them parsed. */
  command(text: string, count: number, maxSeconds = 5): unknown[] {
    const from = this.lines.length;
    this.send(text);
    const lines = this.runUntil((l) => l.length >= from + count, maxSeconds, `${count} lines after "${text.trim()}"`);
    return lines.slice(from, from + count).map((l) => JSON.parse(l) as unknown);
  }
}

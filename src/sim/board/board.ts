// One virtual ESP8266 board: the chip (ROM loader and flasher stubs as protocol models, the image in
// flash run on the emulated CPU), its SPI NOR flash, the 1-Wire line with its sensors on GPIO4, the UART
// wire in both directions and the USB-UART's DTR/RTS reset circuit.
import { createHash } from 'node:crypto';
import { BOOT_ROM_BAUD, BootMode, ResetCause, bootBanner } from '../loader/boot-messages';
import { Esp8266Chip } from './esp8266-chip';
import { RealtimeRunner } from './realtime-runner';
import { FlasherStub } from '../loader/flasher-stub';
import type { Loader, LoaderHost } from '../loader/loader';
import { DEFAULT_FLASH_SIZE, NorFlash } from './nor-flash';
import { Efuse } from '../peripherals/efuse';
import { ChipRegisters } from '../loader/chip-registers';
import { pinsFromControlLines, type ChipPins, type ControlLines } from './reset-lines';
import { RomLoader } from '../loader/rom-loader';
import { SerialLine, sampleAtBaud, type WireChunk } from './serial-line';
import { SlipDecoder, slipEncode } from '../loader/slip';
import { defaultSensors, SensorBus, type SensorBusOptions } from '../onewire/sensor-bus';
import { recogniseStub } from '../loader/stubs';

export type BoardMode = 'off' | 'download' | 'running';

export interface VirtualBoardOptions {
  /** Flash chip size in bytes (a power of two); default 4 MiB. */
  flashSize?: number;
  /** An image written at flash offset 0 before the board first powers up. */
  firmware?: Uint8Array;
  /** The sensors on the board's 1-Wire line; default: those set by setDefaultSensors. */
  sensors?: SensorBusOptions;
  /**
   * The only rate the ROM loader hears, as behind a USB-UART or level shifter that cannot carry faster
   * rates: SYNCs at any other rate arrive as garbage. By default its auto-baud locks onto any rate.
   */
  romBaudOnly?: number;
}

/** The host end of the serial cable. */
export interface HostLink {
  /** The rate the host's UART uses (behind a pseudo-terminal, the rate its termios holds). */
  readonly baud: number;
  receive(bytes: Uint8Array): void;
  /** The cable was pulled: the port is gone. */
  lost(error: Error): void;
}

export interface BoardConnection {
  /** Sends bytes to the board at the host's rate; resolves once they crossed the wire. */
  write(bytes: Uint8Array): Promise<void>;
  setControlLines(lines: ControlLines): void;
  /** Closes the port; with `hangUp` (a tty's HUPCL, on by default) DTR and RTS drop as it closes. */
  disconnect(hangUp?: boolean): void;
}

const LINES_RELEASED: ControlLines = { dtr: false, rts: false };
/** Opening a tty on Linux raises DTR and RTS together. */
const LINES_ON_OPEN: ControlLines = { dtr: true, rts: true };
/** The board log keeps this many messages, the newest. */
const LOG_LIMIT = 200;

export class VirtualBoard {
  readonly flash: NorFlash;
  readonly macAddress: string;
  /** The eFuse words holding the MAC, which the ROM loader and the running firmware both read. */
  private readonly efuse: Efuse;
  /** The thermometers on GPIO4's line. */
  readonly sensors: SensorBus;
  private readonly registers: ChipRegisters;
  private readonly toHost = new SerialLine((chunk) => this.deliverToHost(chunk));
  private readonly toDevice = new SerialLine((chunk) => this.deliverToDevice(chunk));
  private readonly decoder = new SlipDecoder((packet) => this.enqueuePacket(packet));
  private link: HostLink | undefined;
  private lines: ControlLines = LINES_RELEASED;
  private pins: ChipPins = pinsFromControlLines(LINES_RELEASED);
  private isPlugged = true;
  private runMode: Exclude<BoardMode, 'off'> = 'running';
  private uartBaud = BOOT_ROM_BAUD;
  /** The ROM loader locks onto whatever rate the host uses (its auto-baud on the SYNC pattern). */
  private autoBaud = false;
  private loader: Loader | undefined;
  /** The CPU running the image from flash, and what keeps it in step with wall time. */
  private chip: Esp8266Chip | undefined;
  private runner: RealtimeRunner | undefined;
  /** The 1-Wire line's time (µs since power-up) when the last chip stopped: a new chip goes on from there. */
  private lineUs = 0;
  private readonly messages: string[] = [];
  private readonly romBaudOnly: number | undefined;
  /** GPIO0 as the last external reset or power-on latched it: the boot mode a software reset follows. */
  private latchedIo0 = true;
  /** What the ROM reports as the reset cause; a software reset leaves it as it was. */
  private resetCause: ResetCause = ResetCause.POWER_ON;
  /** Bumped on every reset so work queued before it cannot act afterwards. */
  private epoch = 0;
  private work: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    options: VirtualBoardOptions = {},
  ) {
    this.flash = new NorFlash(options.flashSize ?? DEFAULT_FLASH_SIZE);
    if (options.firmware) this.flash.program(0, options.firmware);
    this.sensors = new SensorBus(options.sensors ?? defaultSensors());
    this.romBaudOnly = options.romBaudOnly;
    this.efuse = new Efuse(macForName(name));
    this.macAddress = this.efuse.macAddress;
    this.registers = new ChipRegisters(this.flash, this.efuse, () => this.uartBaud);
    this.boot(ResetCause.POWER_ON);
  }

  /** Seconds the bytes sent so far occupy on each wire, 10 bits each at the rate they were sent. */
  get wireSeconds(): { toDevice: number; toHost: number } {
    return { toDevice: this.toDevice.wireSeconds, toHost: this.toHost.wireSeconds };
  }

  get mode(): BoardMode {
    return this.isPlugged && this.pins.en ? this.runMode : 'off';
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  get connected(): boolean {
    return this.link !== undefined;
  }

  /** Whether the CPU runs a program booted from flash (it loaded, and has not stopped on a fault). */
  get firmwareRunning(): boolean {
    return this.mode === 'running' && this.runner !== undefined && this.chip?.cpu.stopped === undefined;
  }

  /** Milliseconds of virtual time since the running chip's reset (undefined unless booted from flash). */
  get uptimeMs(): number | undefined {
    return this.chip && (this.chip.cpu.cycles / this.chip.cpuHz) * 1000;
  }

  /** Bytes the running program wrote into a full UART0 TX FIFO (lost, as on the chip). */
  get droppedUartBytes(): number | undefined {
    return this.chip?.peripherals.uart.droppedTx;
  }

  /** What the board noticed: unmodelled registers the program touched, faults, watchdog resets. */
  get log(): readonly string[] {
    return this.messages;
  }

  /** The current UART0 rate of the chip. */
  get baud(): number {
    return this.uartBaud;
  }

  connect(link: HostLink): BoardConnection {
    if (!this.isPlugged) throw portError('ENOENT', `no such file or directory, cannot open sim:${this.name}`);
    if (this.link) throw portError('EBUSY', `sim:${this.name} is already open (Cannot lock port)`);
    this.link = link;
    this.setLines(LINES_ON_OPEN);
    let open = true;
    return {
      write: (bytes) => {
        if (!open || this.link !== link) return Promise.reject(portError('EIO', `i/o error, write to sim:${this.name}`));
        return this.toDevice.send(bytes, link.baud);
      },
      setControlLines: (lines) => {
        if (open && this.link === link) this.setLines(lines);
      },
      disconnect: (hangUp = true) => {
        if (!open) return;
        open = false;
        if (this.link !== link) return;
        this.link = undefined;
        this.toDevice.clear();
        if (hangUp) this.setLines(LINES_RELEASED);
      },
    };
  }

  /** Pulls the USB cable: the port vanishes and the board loses power. */
  unplug(): void {
    if (!this.isPlugged) return;
    this.isPlugged = false;
    this.halt();
    const link = this.link;
    this.link = undefined;
    this.lines = LINES_RELEASED;
    this.pins = pinsFromControlLines(LINES_RELEASED);
    link?.lost(portError('EIO', `i/o error: sim:${this.name} was unplugged`));
  }

  plug(): void {
    if (this.isPlugged) return;
    this.isPlugged = true;
    this.boot(ResetCause.POWER_ON);
  }

  /** Resolves once everything the board has sent so far has left its UART (or was dropped by a reset). */
  transmitIdle(): Promise<void> {
    return this.toHost.whenIdle();
  }

  /** The board's RST button, optionally with FLASH/BOOT (GPIO0) held: how boards without DTR/RTS are reset. */
  pressReset(holdBoot = false): void {
    if (!this.isPlugged) return;
    this.boot(ResetCause.EXTERNAL, !holdBoot);
  }

  private setLines(lines: ControlLines): void {
    const before = this.pins;
    this.lines = { dtr: lines.dtr, rts: lines.rts };
    this.pins = pinsFromControlLines(this.lines);
    if (!this.isPlugged) return;
    if (before.en && !this.pins.en) this.halt();
    // EN rising ends the reset; the ROM samples GPIO0 at that moment.
    if (!before.en && this.pins.en) this.boot(ResetCause.EXTERNAL, this.pins.io0);
  }

  /** Everything the chip was doing stops (reset held, or power lost). */
  private halt(): void {
    this.epoch++;
    this.loader?.stop();
    this.loader = undefined;
    this.runner?.stop();
    this.runner = undefined;
    if (this.chip) this.lineUs = this.chip.busUs;
    this.chip = undefined;
    this.decoder.reset();
    this.toHost.clear();
    this.toDevice.clear();
    this.work = Promise.resolve();
  }

  /** An external reset or power-on: the straps are latched, then the ROM starts. */
  private boot(cause: ResetCause, io0 = this.pins.io0): void {
    this.latchedIo0 = io0;
    this.resetCause = cause;
    this.startRom();
  }

  /** The CPU at the ROM's reset vector: banner, then the UART loader or the flash boot, by the latched straps. */
  private startRom(): void {
    this.halt();
    this.uartBaud = BOOT_ROM_BAUD;
    this.autoBaud = false;
    const download = !this.latchedIo0;
    this.runMode = download ? 'download' : 'running';
    if (download) {
      this.transmit(bootBanner(this.resetCause, BootMode.UART_DOWNLOAD));
      this.loader = new RomLoader(this.loaderHost(this.epoch));
      this.autoBaud = true;
      return;
    }
    this.bootFromFlash();
  }

  /**
   * The ROM's flash boot, on the emulated CPU: the ROM's text leaves UART0 at 74880 baud, the image's
   * segments are loaded and its entry runs, in step with wall time, whatever the image is.
   */
  private bootFromFlash(fromLoaderAt?: number): void {
    this.runMode = 'running';
    const epoch = this.epoch;
    const chip = new Esp8266Chip({
      flash: this.flash,
      oneWire: this.sensors.line,
      efuse: this.efuse,
      busStartUs: this.lineUs,
      transmit: (chunk) => {
        if (epoch !== this.epoch) return;
        this.uartBaud = chunk.baud;
        void this.toHost.send(chunk.bytes, chunk.baud);
      },
      log: (message) => this.note(message),
    });
    this.chip = chip;
    const booted = chip.boot(this.resetCause, fromLoaderAt);
    if (!booted.started) return;
    this.runner = new RealtimeRunner(chip, () => this.afterSlice(chip, epoch));
    this.runner.start();
  }

  /** After each slice of CPU time: drifting temperatures move on, and the watchdog may reset the chip. */
  private afterSlice(chip: Esp8266Chip, epoch: number): void {
    if (epoch !== this.epoch) return;
    this.uartBaud = chip.peripherals.uart.baud;
    this.sensors.tick(performance.now());
    if (chip.watchdogExpired) {
      this.note('the hardware watchdog reset the chip');
      // a watchdog reset keeps the straps latched at the last external reset
      this.resetCause = ResetCause.WATCHDOG;
      this.startRom();
    }
  }

  private note(message: string): void {
    this.messages.push(message);
    if (this.messages.length > LOG_LIMIT) this.messages.splice(0, this.messages.length - LOG_LIMIT);
  }

  private transmit(text: string): void {
    void this.toHost.send(Buffer.from(text, 'latin1'), this.uartBaud);
  }

  private loaderHost(epoch: number): LoaderHost {
    return {
      flash: this.flash,
      registers: this.registers,
      send: (packet) => (epoch === this.epoch ? this.toHost.send(slipEncode(packet), this.uartBaud) : Promise.resolve()),
      setBaud: (baud) => {
        if (epoch === this.epoch) this.uartBaud = baud;
      },
      jumpTo: (entry, ram) => {
        if (epoch === this.epoch) this.jumpTo(entry, ram);
      },
      runUserCode: () => {
        if (epoch !== this.epoch) return;
        // No reset: the ROM leaves its loader at the rate it detected and goes on to boot from flash.
        const detected = this.uartBaud;
        this.halt();
        this.autoBaud = false;
        this.bootFromFlash(detected);
      },
      softwareReset: () => {
        if (epoch === this.epoch) this.startRom();
      },
    };
  }

  private jumpTo(entry: number, ram: ReadonlyMap<number, Uint8Array>): void {
    this.loader?.stop();
    this.loader = undefined;
    this.autoBaud = false;
    this.runMode = 'running';
    const stub = recogniseStub(entry, ram);
    if (!stub) return; // code this model does not know: it runs silently
    const flasherStub = new FlasherStub(this.loaderHost(this.epoch), stub.generation);
    this.loader = flasherStub;
    this.runMode = 'download';
    void flasherStub.greet();
  }

  private enqueuePacket(packet: Uint8Array): void {
    const epoch = this.epoch;
    this.work = this.work.then(() => (epoch === this.epoch ? this.loader?.handle(packet) : undefined)).catch(() => undefined); // a command the model cannot execute gets no answer, like a crashed stub
  }

  private deliverToHost(chunk: WireChunk): void {
    const link = this.link;
    if (!link) return; // nobody listening: the bytes are lost
    link.receive(sampleAtBaud(chunk.bytes, chunk.baud, link.baud));
  }

  private deliverToDevice(chunk: WireChunk): void {
    if (this.mode === 'off') return;
    if (this.autoBaud) this.uartBaud = this.romBaudOnly ?? chunk.baud;
    if (this.chip && !this.loader) {
      this.chip.receive(chunk);
      this.runner?.wake();
      return;
    }
    const bytes = sampleAtBaud(chunk.bytes, chunk.baud, this.uartBaud);
    if (this.loader) this.decoder.push(bytes);
  }
}

function macForName(name: string): Uint8Array {
  const digest = createHash('sha256').update(name).digest();
  return Uint8Array.from([0x18, 0xfe, 0x34, digest[0], digest[1], digest[2]]);
}

export function portError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

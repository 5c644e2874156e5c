import { identToRom, romToIdent } from '../../onewire/rom';
import type { BusDevice } from './bus-device';
import { IDLE, Mode, receiveBits, receiveBytes, romBit, sendBit, sendBytes, sendStatus } from './device-modes';
import { SlotJudge } from './slot-judge';
import { EepromContents, FACTORY_EEPROM, modelOfFamily, ThermometerMemory, ThermometerModel } from './thermometer-memory';
import {
  DEVICE_WRITE_SAMPLE_US,
  EEPROM_WRITE_US,
  PARASITE_POWER_LOSS_US,
  PRESENCE_LOW_US,
  PRESENCE_WAIT_US,
  READ_DATA_VALID_US,
  STRONG_PULLUP_DELAY_MAX_US,
  TOLERANCE_US,
} from './timing';
import { ViolationLog } from './violations';

/** ROM commands (DS18B20 data sheet, "ROM commands"). */
const SEARCH_ROM = 0xf0;
const READ_ROM = 0x33;
const MATCH_ROM = 0x55;
const SKIP_ROM = 0xcc;
const ALARM_SEARCH = 0xec;
/** Function commands. */
const CONVERT_T = 0x44;
const WRITE_SCRATCHPAD = 0x4e;
const READ_SCRATCHPAD = 0xbe;
const COPY_SCRATCHPAD = 0x48;
const RECALL_EEPROM = 0xb8;
const READ_POWER_SUPPLY = 0xb4;

export interface ThermometerOptions {
  /** "28-0316a27950ff", or the 8 ROM bytes as they go on the wire (any CRC byte is kept as given). */
  rom: string | Uint8Array;
  power?: 'external' | 'parasite';
  /** °C now; change it at any time, the next conversion measures it. */
  celsius?: number;
  eeprom?: EepromContents;
  /** When this part answers within the data sheet's ranges (defaults: the middle of each). */
  presenceWaitUs?: number;
  presenceLowUs?: number;
  writeSampleUs?: number;
  /** How long a 0 is held in a read slot; at least tRDV. */
  readHoldUs?: number;
}

/** A conversion or EEPROM write under way. */
interface Operation {
  commandEndUs: number;
  endUs: number;
  parasite: boolean;
  pullupFromUs: number | null;
  complete: () => void;
}

function within(value: number, range: { min: number; max: number }, what: string): number {
  if (!(value >= range.min && value <= range.max)) throw new Error(`${what} must be ${range.min}..${range.max} us, got ${value}`);
  return value;
}

/**
 * A DS18B20, DS18S20 or DS1822 on the line: the ROM layer (SEARCH, ALARM SEARCH, READ, MATCH, SKIP),
 * the function commands, external or parasite power, and the data sheet's timing on both sides.
 * Everything runs on the master's edges: time-based behaviour (presence pulse, held 0s, conversions)
 * is worked out from timestamps when the next edge or sample comes.
 */
export class Thermometer implements BusDevice {
  readonly rom: Uint8Array;
  readonly ident: string;
  readonly model: ThermometerModel;
  readonly power: 'external' | 'parasite';
  readonly memory: ThermometerMemory;
  readonly violations = new ViolationLog();
  celsius: number;
  /**
   * What the cable does to the scratchpad on its way to the master (noise on a long line), or
   * undefined for a clean line. Given the nine bytes the part sends, returns what arrives.
   */
  scratchpadNoise: ((bytes: Uint8Array) => Uint8Array) | undefined;
  private readonly judge: SlotJudge;
  private readonly presenceWaitUs: number;
  private readonly presenceLowUs: number;
  private readonly readHoldUs: number;
  private mode: Mode = IDLE;
  /** The mode the current slot began in (so a mode change mid-slot does not re-route its bit). */
  private slotMode: Mode = IDLE;
  private lowFromUs = Number.NaN;
  private lowUntilUs = Number.NaN;
  private pullupOn = false;
  private operation: Operation | null = null;

  constructor(options: ThermometerOptions) {
    this.rom = typeof options.rom === 'string' ? identToRom(options.rom) : Uint8Array.from(options.rom);
    if (this.rom.length !== 8) throw new Error(`a ROM id has 8 bytes, got ${this.rom.length}`);
    this.ident = romToIdent(this.rom);
    this.model = modelOfFamily(this.rom[0]);
    this.power = options.power ?? 'external';
    this.celsius = options.celsius ?? 21.5;
    this.memory = new ThermometerMemory(this.model, options.eeprom ?? FACTORY_EEPROM);
    this.presenceWaitUs = within(options.presenceWaitUs ?? 30, PRESENCE_WAIT_US, 'the presence wait');
    this.presenceLowUs = within(options.presenceLowUs ?? 120, PRESENCE_LOW_US, 'the presence pulse');
    const sampleUs = within(options.writeSampleUs ?? DEVICE_WRITE_SAMPLE_US.typical, DEVICE_WRITE_SAMPLE_US, 'the write sampling point');
    this.readHoldUs = within(options.readHoldUs ?? 30, { min: READ_DATA_VALID_US, max: 60 }, 'the read hold');
    this.judge = new SlotJudge(this.violations, sampleUs);
  }

  fall(us: number): void {
    this.settle(us);
    const operation = this.operation;
    if (operation?.parasite) {
      // Pulling DQ low takes the supply away from a part that has never had its strong pull-up.
      this.violations.add('strong-pullup-late');
      this.loseSupply();
    }
    this.slotMode = this.mode;
    const sending = this.mode.kind === 'send';
    const bit = this.mode.kind === 'send' ? this.mode.bitAt(us) : 1;
    this.judge.fall(us, sending);
    if (bit === 0) {
      this.lowFromUs = us;
      this.lowUntilUs = us + this.readHoldUs;
    }
  }

  rise(us: number): void {
    this.settle(us);
    const mode = this.slotMode;
    const pulse = this.judge.rise(us, mode.kind === 'receive');
    if (pulse.kind === 'reset') {
      if (this.power === 'parasite' && pulse.lowUs > PARASITE_POWER_LOSS_US) this.loseSupply();
      this.lowFromUs = us + this.presenceWaitUs;
      this.lowUntilUs = this.lowFromUs + this.presenceLowUs;
      this.mode = receiveBytes(1, ([command]) => this.romCommand(command));
      return;
    }
    if (mode !== this.mode) return;
    if (mode.kind === 'receive') {
      mode.bits.push(pulse.bit);
      if (mode.bits.length === mode.count) this.mode = mode.then(mode.bits, us);
    } else if (mode.kind === 'send') {
      this.mode = mode.sent() ?? this.mode;
    }
  }

  strongPullup(on: boolean, us: number): void {
    this.settle(us);
    this.pullupOn = on;
    const operation = this.operation;
    if (!operation?.parasite) return;
    if (on && operation.pullupFromUs === null) {
      if (us - operation.commandEndUs > STRONG_PULLUP_DELAY_MAX_US + TOLERANCE_US) {
        this.violations.add('strong-pullup-late');
        this.loseSupply();
      } else {
        operation.pullupFromUs = us;
      }
    } else if (!on && operation.pullupFromUs !== null) {
      this.violations.add('strong-pullup-too-short');
      this.loseSupply();
    }
  }

  sample(us: number): void {
    this.judge.sample(us);
  }

  pullsLow(us: number): boolean {
    return us >= this.lowFromUs && us < this.lowUntilUs;
  }

  /** Finishes an operation whose time has come (with its supply intact, for a parasite part). */
  private settle(us: number): void {
    const operation = this.operation;
    if (!operation || us < operation.endUs - TOLERANCE_US) return;
    if (operation.parasite && !(this.pullupOn && operation.pullupFromUs !== null)) return;
    this.operation = null;
    operation.complete();
  }

  /** A parasite part whose supply sagged browns out, and comes back as at power-on. */
  private loseSupply(): void {
    this.operation = null;
    this.memory.powerOn();
    this.mode = IDLE;
  }

  private romCommand(command: number): Mode {
    switch (command) {
      case READ_ROM:
        return sendBytes(this.rom, () => this.functionCommand());
      case MATCH_ROM:
        return receiveBytes(8, (rom) => (rom.every((b, i) => b === this.rom[i]) ? this.functionCommand() : IDLE));
      case SKIP_ROM:
        return this.functionCommand();
      case SEARCH_ROM:
        return this.searchBit(0);
      case ALARM_SEARCH:
        return this.memory.alarm ? this.searchBit(0) : IDLE;
      default:
        return IDLE;
    }
  }

  /** AN187: each ROM bit, then its complement, then the master's choice; a part not chosen drops out. */
  private searchBit(index: number): Mode {
    if (index === 64) return this.functionCommand();
    const bit = romBit(this.rom, index);
    return sendBit(bit, () =>
      sendBit((bit ^ 1) as 0 | 1, () => receiveBits(1, ([chosen]) => (chosen === bit ? this.searchBit(index + 1) : IDLE))),
    );
  }

  private functionCommand(): Mode {
    return receiveBytes(1, ([command], us) => {
      switch (command) {
        case CONVERT_T:
          return this.start(us, this.memory.conversionUs, () => this.memory.convert(this.celsius));
        case COPY_SCRATCHPAD:
          return this.start(us, EEPROM_WRITE_US, () => this.memory.copy());
        case READ_SCRATCHPAD:
          return sendBytes(this.scratchpadNoise?.(this.memory.scratchpad()) ?? this.memory.scratchpad(), () => sendStatus(() => 1));
        case WRITE_SCRATCHPAD:
          return this.writeScratchpad(0);
        case RECALL_EEPROM:
          this.memory.recall();
          return sendStatus(() => 1);
        case READ_POWER_SUPPLY:
          return sendStatus(() => (this.power === 'parasite' ? 0 : 1));
        default:
          return IDLE;
      }
    });
  }

  /** Each byte is taken as it arrives; a reset before the last leaves the rest as they were. */
  private writeScratchpad(index: number): Mode {
    if (index === this.memory.writableBytes) return IDLE;
    return receiveBytes(1, ([value]) => {
      this.memory.write(index, value);
      return this.writeScratchpad(index + 1);
    });
  }

  /**
   * A conversion or EEPROM write. Externally powered parts answer read slots with 0 until it is done;
   * parasite-powered ones need the strong pull-up for all of it and answer nothing.
   */
  private start(us: number, durationUs: number, complete: () => void): Mode {
    const parasite = this.power === 'parasite';
    const endUs = us + durationUs;
    this.operation = { commandEndUs: us, endUs, parasite, pullupFromUs: null, complete };
    if (parasite) return IDLE;
    return sendStatus((at) => (at < endUs ? 0 : 1));
  }
}

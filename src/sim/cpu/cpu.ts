/**
 * The ESP8266's Xtensa LX106 core: registers, the run loop and the XEA2 exception and
 * interrupt model. Instructions come from the table in decoder.ts, decoded once per address
 * and kept (IRAM and the flash window each have a cache indexed by byte offset); stores into
 * IRAM forget the decoded instructions they touch.
 *
 * Faults go to the vectors at VECBASE as on silicon. When a vector (or any other address)
 * lies in the mask ROM and no emulated ROM function stands there, the CPU stops with a
 * FaultReport instead: that is what "no handler installed" means on a board without ROM code.
 */
import { hex32 } from '../../hex';
import { Bus, BusFaults } from './bus';
import { BusyWaitSkipper } from './busy-wait';
import { CYCLES } from './cycle-model';
import { decode } from './decoder';
import { Cause, EXCEPTION_TAKEN, FaultReport, RESET_VECTOR, Vector } from './exceptions';
import { Insn, op } from './instruction';
import { FLASH_WINDOW, IRAM, ROM, contains } from './memory-map';
import {
  CONFIGID0_VALUE,
  CONFIGID1_VALUE,
  DEBUG_LEVEL,
  INTCLEAR_WRITABLE,
  INTSET_WRITABLE,
  LEVEL1_INTERRUPTS,
  NMI_INTERRUPT,
  NMI_LEVEL,
  PS_EXCM,
  PS_INTLEVEL,
  PS_UM,
  PS_WRITABLE,
  RESET_PS,
  RESET_VECBASE,
  SR,
  SR_WRITE_MASK,
  TIMER0_INTERRUPT,
} from './special-registers';

/** A function the CPU runs in place of code at a ROM address: it gets the CPU, returns nothing. */
export type RomRoutine = (cpu: Cpu) => void;

/** Thrown to unwind an instruction when the CPU stops; the report is in `cpu.stopped`. */
const STOPPED: { readonly stopped: true } = Object.freeze({ stopped: true });

const TWO_32 = 0x100000000;

export interface CpuOptions {
  /** SIMCALL's meaning: the ISS semihosting call. Absent on silicon: SIMCALL is then illegal. */
  simcall?: (cpu: Cpu) => void;
  /** Fast-forward busy-wait loops on CCOUNT (busy-wait.ts); on unless false. */
  skipBusyWaits?: boolean;
}

export class Cpu implements BusFaults {
  /** a0..a15. */
  readonly ar = new Int32Array(16);
  pc = RESET_VECTOR;
  /** Where the current instruction continues; instructions that branch set it. */
  npc = RESET_VECTOR;
  sar = 0;
  litbase = 0;
  /** CPU clocks since power-on (exact in a double for 2^53 cycles, centuries at 160 MHz). */
  cycles = 0;
  instructions = 0;
  /** Why the CPU stopped, once it has. */
  stopped: FaultReport | undefined;
  /** Set by WAITI until an interrupt arrives. */
  waiting = false;
  readonly bus: Bus;

  /** Special registers that only hold a value, by number. */
  private readonly plain = new Int32Array(256);
  private ps = RESET_PS;
  private interrupt = 0;
  private ccountOffset = 0;
  private ccompare = 0;
  private ccompareAt = Infinity;
  /** The cycle at which the loop must look at timers, interrupts or its deadline. */
  private attentionAt = 0;
  private deadline = Infinity;
  private pendingLoad = 0;
  private readonly iramCode: Array<Insn | undefined> = new Array<Insn | undefined>(IRAM.end - IRAM.start);
  private flashCode: Array<Insn | undefined> = [];
  private readonly romRoutines = new Map<number, Insn>();
  private readonly simcallHandler: ((cpu: Cpu) => void) | undefined;
  /** Undefined when busy-wait fast-forward is off. */
  readonly busyWaits: BusyWaitSkipper | undefined;

  constructor(options: CpuOptions = {}) {
    this.bus = new Bus(this);
    this.bus.onCodeWrite = (address) => this.forgetCode(address);
    this.bus.onFlashRemap = () => {
      this.flashCode = [];
    };
    this.simcallHandler = options.simcall;
    this.busyWaits = options.skipBusyWaits === false ? undefined : new BusyWaitSkipper(this, (pc) => this.fetchDecoded(pc));
    this.reset();
  }

  /** Power-on reset: registers as core-isa.h gives them, the cycle count back to zero. */
  reset(): void {
    this.cycles = 0;
    this.instructions = 0;
    this.ar.fill(0);
    this.plain.fill(0);
    this.pc = this.npc = RESET_VECTOR;
    this.sar = 0;
    this.litbase = 0;
    this.ps = RESET_PS;
    this.plain[SR.VECBASE] = RESET_VECBASE;
    this.interrupt = 0;
    this.ccountOffset = 0;
    this.ccompare = 0;
    this.stopped = undefined;
    this.waiting = false;
    this.pendingLoad = 0;
    this.scheduleTimer();
  }

  /** Installs `routine` at a ROM address: a call there runs it, then returns to a0. */
  defineRomRoutine(address: number, name: string, routine: RomRoutine): void {
    const descriptor = op(
      name,
      { op0: 0 },
      (cpu) => {
        routine(cpu);
        if (cpu.stopped === undefined) cpu.npc = cpu.ar[0];
      },
      { cycles: CYCLES.ROM_CALL, size: 0 },
    );
    this.romRoutines.set(address >>> 0, new Insn(descriptor, address, 0));
  }

  /**
   * Runs until the cycle count reaches `untilCycle` or the CPU stops; a CPU in WAITI sleeps
   * through the time to its next timer event meanwhile. Returns the instructions executed.
   */
  run(untilCycle: number): number {
    const before = this.instructions;
    this.deadline = untilCycle;
    this.attentionAt = 0;
    while (this.stopped === undefined && this.cycles < this.deadline) {
      if (this.waiting) {
        if (!this.idle()) break;
        continue;
      }
      try {
        this.loop();
      } catch (error) {
        if (error === EXCEPTION_TAKEN) {
          this.pc = this.npc;
          this.instructions++;
        } else if (error !== STOPPED) {
          throw error;
        }
      }
    }
    return this.instructions - before;
  }

  private loop(): void {
    const iramCode = this.iramCode;
    // counted locally: a field update per instruction costs measurably
    let executed = 0;
    try {
      for (;;) {
        const pc = this.pc;
        const offset = pc - IRAM.start;
        let insn = offset >= 0 && offset < iramCode.length ? iramCode[offset] : undefined;
        if (insn === undefined) insn = this.fetch(pc);
        this.npc = pc + insn.size;
        if ((insn.names & this.pendingLoad) !== 0) this.cycles += CYCLES.LOAD_USE_STALL;
        this.pendingLoad = insn.loads;
        this.cycles += insn.cycles;
        insn.execute(this, insn);
        this.pc = this.npc;
        executed++;
        if (this.cycles >= this.attentionAt && this.attend()) return;
      }
    } finally {
      this.instructions += executed;
    }
  }

  /** Timers, interrupts and the deadline; true when the loop has to return. */
  private attend(): boolean {
    if (this.cycles >= this.ccompareAt) {
      this.interrupt |= 1 << TIMER0_INTERRUPT;
      this.ccompareAt += TWO_32;
    }
    this.takePendingInterrupt();
    this.attentionAt = Math.min(this.ccompareAt, this.deadline);
    return this.cycles >= this.deadline || this.waiting;
  }

  /** Makes the loop look at interrupts after the current instruction. */
  private recheck(): void {
    this.attentionAt = 0;
  }

  private takePendingInterrupt(): void {
    const pending = this.interrupt & this.plain[SR.INTENABLE];
    if (pending === 0) return;
    if ((pending & (1 << NMI_INTERRUPT)) !== 0 && (this.ps & PS_INTLEVEL) < NMI_LEVEL) {
      this.enterHighLevel(NMI_LEVEL, Vector.NMI, this.pc);
      return;
    }
    const masked = (this.ps & PS_EXCM) !== 0 || (this.ps & PS_INTLEVEL) >= 1;
    if ((pending & LEVEL1_INTERRUPTS) !== 0 && !masked) {
      this.waiting = false;
      this.plain[SR.EPC1] = this.pc;
      this.plain[SR.EXCCAUSE] = Cause.LEVEL1_INTERRUPT;
      const vector = (this.ps & PS_UM) !== 0 ? Vector.USER : Vector.KERNEL;
      this.ps |= PS_EXCM;
      this.pc = (this.plain[SR.VECBASE] + vector) | 0;
      this.cycles += CYCLES.EXCEPTION_ENTRY;
    }
  }

  private enterHighLevel(level: number, vector: number, returnPc: number): void {
    this.waiting = false;
    this.plain[SR.EPC1 + level - 1] = returnPc;
    this.plain[SR.EPS2 + level - 2] = this.ps;
    this.ps = (this.ps & ~PS_INTLEVEL) | level | PS_EXCM;
    this.pc = (this.plain[SR.VECBASE] + vector) | 0;
    this.npc = this.pc;
    this.cycles += CYCLES.EXCEPTION_ENTRY;
  }

  /**
   * WAITI with nothing pending: virtual time jumps to the next timer event or the run's deadline,
   * whichever comes first; false when neither exists (a run without a deadline).
   */
  private idle(): boolean {
    const next = Math.min(this.ccompareAt, this.deadline);
    if (next === Infinity) return false;
    if (next > this.cycles) this.cycles = next;
    this.attend();
    return true;
  }

  /** The decoded instruction at `pc` outside the IRAM fast path. */
  private fetch(pc: number): Insn {
    const offset = pc - IRAM.start;
    if (offset >= 0 && offset < this.iramCode.length) {
      if (offset + 3 > this.bus.iram.length && (this.bus.iram[offset] & 15) < 8) return this.fault(Cause.INSTRUCTION_FETCH_ERROR, pc);
      const bytes = this.bus.iram;
      const insn = decode(bytes[offset] | (bytes[offset + 1] << 8) | ((bytes[offset + 2] ?? 0) << 16), pc);
      this.iramCode[offset] = insn;
      return insn;
    }
    if (contains(ROM, pc)) {
      const routine = this.romRoutines.get(pc >>> 0);
      if (routine) return routine;
      return this.romFault(pc);
    }
    const flash = this.bus.flashBytes;
    const f = pc - FLASH_WINDOW.start;
    if (flash && f >= 0 && f + 2 < flash.length) {
      if (this.flashCode.length !== flash.length) this.flashCode = new Array<Insn | undefined>(flash.length);
      let insn = this.flashCode[f];
      if (insn === undefined) {
        insn = decode(flash[f] | (flash[f + 1] << 8) | (flash[f + 2] << 16), pc);
        this.flashCode[f] = insn;
      }
      return insn;
    }
    return this.fault(Cause.INSTRUCTION_FETCH_PROHIBITED, pc);
  }

  private romFault(pc: number): never {
    const vecbase = this.plain[SR.VECBASE] >>> 0;
    const vectors: Array<[number, string]> = [
      [Vector.USER, 'user exception'],
      [Vector.KERNEL, 'kernel exception'],
      [Vector.DOUBLE, 'double exception'],
      [Vector.NMI, 'NMI'],
      [Vector.DEBUG, 'debug exception'],
    ];
    const vector = vectors.find(([offset]) => (vecbase + offset) >>> 0 === pc >>> 0);
    if (vector) {
      const isException = vector[0] === Vector.USER || vector[0] === Vector.KERNEL || vector[0] === Vector.DOUBLE;
      const at = vector[0] === Vector.DOUBLE ? this.plain[SR.DEPC] : this.plain[SR.EPC1];
      return this.stop(
        `unhandled ${vector[1]} at ${hex32(at)}: no handler is installed`,
        isException ? this.plain[SR.EXCCAUSE] : undefined,
      );
    }
    return this.stop(`call to ROM address ${hex32(pc)}, which the virtual board does not emulate`);
  }

  /** Stops the CPU with a report; the current instruction leaves no result. */
  stop(message: string, cause?: number): never {
    this.stopped = {
      message,
      pc: this.pc >>> 0,
      cause,
      excvaddr: this.plain[SR.EXCVADDR] >>> 0,
      epc1: this.plain[SR.EPC1] >>> 0,
      registers: Array.from(this.ar, (v) => v >>> 0),
    };
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a frozen sentinel unwinds the run loop without the cost of an Error's stack trace
    throw STOPPED;
  }

  halt(message: string): never {
    return this.stop(message);
  }

  /** Raises exception `cause` for the current instruction, with EXCVADDR when given. */
  fault(cause: number, address: number): never {
    this.plain[SR.EXCVADDR] = address;
    return this.exception(cause);
  }

  /** XEA2 exception entry (Xtensa ISA; QEMU target/xtensa exc_helper.c exception_cause). */
  exception(cause: number): never {
    if ((this.ps & PS_EXCM) !== 0) {
      this.plain[SR.DEPC] = this.pc;
      this.npc = (this.plain[SR.VECBASE] + Vector.DOUBLE) | 0;
    } else {
      this.plain[SR.EPC1] = this.pc;
      this.npc = (this.plain[SR.VECBASE] + ((this.ps & PS_UM) !== 0 ? Vector.USER : Vector.KERNEL)) | 0;
    }
    this.plain[SR.EXCCAUSE] = cause;
    this.ps |= PS_EXCM;
    this.cycles += CYCLES.EXCEPTION_ENTRY;
    this.pendingLoad = 0;
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a frozen sentinel unwinds the run loop without the cost of an Error's stack trace
    throw EXCEPTION_TAKEN;
  }

  /** A taken conditional branch or J: a backward one may close a busy-wait loop. */
  branch(target: number): void {
    this.npc = target;
    this.cycles += CYCLES.TAKEN_BRANCH_PENALTY;
    if (target <= this.pc && this.busyWaits !== undefined) this.busyWaits.arrived(target, this.pc, this.attentionAt);
  }

  /** A call, return, JX or exception return. */
  jump(target: number): void {
    this.npc = target;
    this.cycles += CYCLES.TAKEN_BRANCH_PENALTY;
  }

  private fetchDecoded(pc: number): Insn {
    const offset = pc - IRAM.start;
    return (offset >= 0 && offset < this.iramCode.length ? this.iramCode[offset] : undefined) ?? this.fetch(pc);
  }

  load8(address: number): number {
    return this.bus.load8(address);
  }

  load16(address: number): number {
    if ((address & 1) !== 0) return this.fault(Cause.LOAD_STORE_ALIGNMENT, address);
    return this.bus.load16(address);
  }

  load32(address: number): number {
    if ((address & 3) !== 0) return this.fault(Cause.LOAD_STORE_ALIGNMENT, address);
    return this.bus.load32(address);
  }

  store8(address: number, value: number): void {
    this.bus.store8(address, value);
  }

  store16(address: number, value: number): void {
    if ((address & 1) !== 0) this.fault(Cause.LOAD_STORE_ALIGNMENT, address);
    this.bus.store16(address, value);
  }

  store32(address: number, value: number): void {
    if ((address & 3) !== 0) this.fault(Cause.LOAD_STORE_ALIGNMENT, address);
    this.bus.store32(address, value);
  }

  get ccount(): number {
    return (this.cycles + this.ccountOffset) % TWO_32;
  }

  readSpecial(sr: number): number {
    switch (sr) {
      case SR.SAR:
        return this.sar;
      case SR.LITBASE:
        return this.litbase;
      case SR.PS:
        return this.ps;
      case SR.INTSET:
        return this.interrupt;
      case SR.CCOUNT:
        return this.ccount | 0;
      case SR.CCOMPARE0:
        return this.ccompare | 0;
      case SR.CONFIGID0:
        return CONFIGID0_VALUE | 0;
      case SR.CONFIGID1:
        return CONFIGID1_VALUE | 0;
      case SR.PRID:
        return 0;
      default:
        return this.plain[sr];
    }
  }

  writeSpecial(sr: number, value: number): void {
    switch (sr) {
      case SR.SAR:
        this.sar = value & 0x3f;
        return;
      case SR.LITBASE:
        this.litbase = value & 0xfffff001;
        return;
      case SR.PS:
        this.ps = value & PS_WRITABLE;
        this.recheck();
        return;
      case SR.INTSET:
        this.interrupt |= value & INTSET_WRITABLE;
        this.recheck();
        return;
      case SR.INTCLEAR:
        this.interrupt &= ~(value & INTCLEAR_WRITABLE);
        return;
      case SR.INTENABLE:
        this.plain[SR.INTENABLE] = value;
        this.recheck();
        return;
      case SR.CCOUNT:
        this.ccountOffset = ((value >>> 0) - this.cycles) % TWO_32;
        this.scheduleTimer();
        return;
      case SR.CCOMPARE0:
        this.ccompare = value >>> 0;
        this.interrupt &= ~(1 << TIMER0_INTERRUPT);
        this.scheduleTimer();
        return;
      default:
        this.plain[sr] = value & (SR_WRITE_MASK.get(sr) ?? 0);
    }
  }

  /** The cycle at which CCOUNT next equals CCOMPARE0. */
  private scheduleTimer(): void {
    const ahead = (this.ccompare - this.ccount + TWO_32) % TWO_32;
    this.ccompareAt = this.cycles + (ahead === 0 ? TWO_32 : ahead);
    this.recheck();
  }

  /** The cycle of the next CCOMPARE0 match: a run loop skipping idle time must not pass it. */
  get nextTimerCycle(): number {
    return this.ccompareAt;
  }

  /** An interrupt line from a device (0–5 level, 8–13 edge, 14 the NMI): sets INTERRUPT bit `n`. */
  raiseInterrupt(n: number): void {
    this.interrupt |= 1 << n;
    this.recheck();
  }

  /** Drops a level-triggered line. */
  lowerInterrupt(n: number): void {
    this.interrupt &= ~(1 << n);
  }

  rsil(target: number, level: number): void {
    const old = this.ps;
    this.setInterruptLevel(level);
    this.ar[target] = old;
  }

  setInterruptLevel(level: number): void {
    this.ps = (this.ps & ~PS_INTLEVEL) | level;
    this.recheck();
  }

  get processorState(): number {
    return this.ps;
  }

  set processorState(value: number) {
    this.ps = value & PS_WRITABLE;
    this.recheck();
  }

  waiti(level: number): void {
    this.ps = (this.ps & ~PS_INTLEVEL) | level;
    this.waiting = true;
    this.recheck();
  }

  returnFromException(): void {
    this.ps &= ~PS_EXCM;
    this.jump(this.plain[SR.EPC1]);
    this.recheck();
  }

  returnFromDoubleException(): void {
    this.ps &= ~PS_EXCM;
    this.jump(this.plain[SR.DEPC]);
    this.recheck();
  }

  returnFromInterrupt(level: number): void {
    this.ps = this.plain[SR.EPS2 + level - 2] & PS_WRITABLE;
    this.jump(this.plain[SR.EPC1 + level - 1]);
    this.recheck();
  }

  /**
   * BREAK / BREAK.N: a debug exception (level 2) when PS.INTLEVEL is below the debug level.
   * DEBUGCAUSE gets BI (bit 3) for BREAK and BN (bit 4) for BREAK.N.
   */
  debugBreak(narrow: boolean): void {
    if ((this.ps & PS_INTLEVEL) >= DEBUG_LEVEL) return;
    this.plain[SR.DEBUGCAUSE] = narrow ? 0x10 : 0x08;
    this.enterHighLevel(DEBUG_LEVEL, Vector.DEBUG, this.pc);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a frozen sentinel unwinds the run loop without the cost of an Error's stack trace
    throw EXCEPTION_TAKEN;
  }

  simcall(): void {
    if (!this.simcallHandler) this.exception(Cause.ILLEGAL_INSTRUCTION);
    this.simcallHandler(this);
  }

  private forgetCode(address: number): void {
    const offset = address - IRAM.start;
    for (let i = Math.max(0, offset - 2); i < offset + 4; i++) this.iramCode[i] = undefined;
    this.busyWaits?.forget();
  }

  /** a0..a15 and the special registers, for reports and tests. */
  snapshot(): { pc: number; ar: number[]; sar: number; ps: number } {
    return { pc: this.pc >>> 0, ar: Array.from(this.ar, (v) => v >>> 0), sar: this.sar, ps: this.ps };
  }
}

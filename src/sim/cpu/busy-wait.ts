/**
 * Fast-forward of busy-wait loops on the cycle counter, e.g. `do now = ccount; while (now -
 * start < n)`, so a delay of a second costs microseconds of host time. The result is the
 * one instruction-by-instruction execution gives: same registers, same CCOUNT, same
 * instruction count at the exit.
 *
 * A loop qualifies when its body, from the backward branch's target to the branch, is
 * straight-line code that only computes on registers (no loads but L32R, no stores, no other
 * branches, no special-register writes): each iteration is then a function of the registers
 * at the loop head and of CCOUNT. Once two arrivals at the head differ only in registers the
 * body overwrites before reading (checked by running an iteration again with those registers
 * changed: same outcome), iterations differ only in time. Whether iteration k exits is then
 * found by running that one iteration at its would-be cycle count, and the first exiting
 * iteration by a search: exponential, then binary. The search assumes that once the loop
 * would exit it keeps wanting to, as `elapsed >= duration` does until CCOUNT wraps (the
 * horizon stays below 2^31 cycles); the first iterations are checked one by one, and a loop
 * found exiting early is left to run normally. The skip never crosses the next timer event
 * or the run's deadline. Only loops in IRAM are considered.
 */
import type { Cpu } from './cpu';
import { CYCLES } from './cycle-model';
import type { Insn } from './instruction';
import { IRAM } from './memory-map';
import { SR } from './special-registers';

const PURE = new Set([
  'and',
  'or',
  'xor',
  'neg',
  'abs',
  'add',
  'addx2',
  'addx4',
  'addx8',
  'sub',
  'subx2',
  'subx4',
  'subx8',
  'nsa',
  'nsau',
  'mul16u',
  'mul16s',
  'mull',
  'moveqz',
  'movnez',
  'movltz',
  'movgez',
  'extui',
  'addi',
  'addmi',
  'movi',
  'ssr',
  'ssl',
  'ssa8l',
  'ssa8b',
  'ssai',
  'slli',
  'srai',
  'srli',
  'src',
  'srl',
  'sll',
  'sra',
  'l32r',
  'add.n',
  'addi.n',
  'movi.n',
  'mov.n',
  'nop',
  'nop.n',
  'memw',
  'isync',
  'rsync',
  'esync',
  'dsync',
  'extw',
  'excw',
  'rsr',
]);
const BRANCHES = new Set([
  'bnone',
  'beq',
  'blt',
  'bltu',
  'ball',
  'bany',
  'bne',
  'bge',
  'bgeu',
  'bnall',
  'bbc',
  'bbs',
  'bbci',
  'bbsi',
  'beqz',
  'bnez',
  'bltz',
  'bgez',
  'beqi',
  'bnei',
  'blti',
  'bgei',
  'bltui',
  'bgeui',
  'beqz.n',
  'bnez.n',
  'j',
]);
const MAX_BODY = 24;
const HORIZON = 2 ** 31;
const CHECKED_ONE_BY_ONE = 8;
const WORTH_SKIPPING = 64;
const PERTURBATIONS = [0x5a5a5a5a, -0x7edcba99];
const MAX_BACKOFF = 1 << 16;

interface LoopHead {
  /** The body, head first, branch last; undefined when the loop does not qualify. */
  body: Insn[] | undefined;
  /** Registers at the previous arrival, and whether they were recorded. */
  previous: Int32Array;
  recorded: boolean;
  /** Arrivals to let pass before trying again: a loop that did not settle backs off. */
  wait: number;
  backoff: number;
}

/** Where one trial iteration ended; `registers` is a buffer the skipper reuses. */
interface Outcome {
  exits: boolean;
  cycles: number;
  registers: Int32Array;
  sar: number;
}

function outcomeBuffer(): Outcome {
  return { exits: false, cycles: 0, registers: new Int32Array(16), sar: 0 };
}

export class BusyWaitSkipper {
  /** Loop heads by address (a sparse array: a lookup per backward branch must be cheap). */
  private heads: Array<LoopHead | undefined> = [];
  private simulating = false;
  // A skip runs a few dozen trial iterations; these buffers keep them from allocating.
  private readonly start = new Int32Array(16);
  private readonly perturbed = new Int32Array(16);
  private readonly savedAr = new Int32Array(16);
  private readonly base = outcomeBuffer();
  private readonly other = outcomeBuffer();
  /** Iterations skipped so far, for reports and benchmarks. */
  skipped = 0;

  constructor(
    private readonly cpu: Cpu,
    private readonly fetch: (pc: number) => Insn,
  ) {}

  /** Code changed: forget what was learned about loops. */
  forget(): void {
    if (this.heads.length > 0) this.heads = [];
  }

  /** Called after a taken backward branch from `branchPc` to `head`; may move time forward. */
  arrived(head: number, branchPc: number, attentionAt: number): void {
    if (this.simulating) return;
    const key = head - IRAM.start;
    if (key < 0 || key >= IRAM.end - IRAM.start) return;
    let info = this.heads[key];
    if (info === undefined) {
      info = { body: this.bodyOf(head, branchPc), previous: new Int32Array(16), recorded: false, wait: 0, backoff: 1 };
      this.heads[key] = info;
    }
    if (info.body === undefined) return;
    if (info.wait > 0) {
      info.wait--;
      return;
    }
    const now = this.cpu.ar;
    if (!info.recorded) {
      info.previous.set(now);
      info.recorded = true;
      return;
    }
    const differing: number[] = [];
    for (let i = 0; i < 16; i++) if (info.previous[i] !== now[i]) differing.push(i);
    info.previous.set(now);
    this.simulating = true;
    try {
      this.start.set(now);
      if (this.skip(info.body, this.start, differing, attentionAt)) {
        info.backoff = 1;
      } else {
        // not settled (a counting loop, or not yet): look again later, less often each time
        info.backoff = Math.min(info.backoff * 2, MAX_BACKOFF);
        info.wait = info.backoff;
        info.recorded = false;
      }
    } finally {
      this.simulating = false;
    }
  }

  private bodyOf(head: number, branchPc: number): Insn[] | undefined {
    const body: Insn[] = [];
    let pc = head;
    while (pc <= branchPc && body.length < MAX_BODY) {
      const insn = this.fetch(pc);
      const name = insn.descriptor.name;
      const last = pc === branchPc;
      if (last ? !BRANCHES.has(name) || insn.imm !== head : !PURE.has(name)) return undefined;
      if (name === 'rsr' && insn.imm !== SR.CCOUNT && insn.imm !== SR.SAR) return undefined;
      body.push(insn);
      pc += insn.size;
    }
    return pc === branchPc + body[body.length - 1]?.size ? body : undefined;
  }

  /** Skips iterations if the loop has settled; false when it has not. */
  private skip(body: Insn[], start: Int32Array, differing: number[], attentionAt: number): boolean {
    const cpu = this.cpu;
    const c0 = cpu.cycles;
    const base = this.iterate(body, start, c0, this.base);
    if (base.exits) return true;
    for (const pattern of PERTURBATIONS) {
      const changed = this.perturbed;
      changed.set(start);
      for (const r of differing) changed[r] ^= pattern;
      const other = this.iterate(body, changed, c0, this.other);
      if (other.exits || other.cycles !== base.cycles || other.sar !== base.sar || !sameRegisters(other.registers, base.registers))
        return false;
    }
    const period = base.cycles - c0;
    const limit = Math.min(attentionAt - c0, HORIZON);
    const kMax = Math.floor(limit / period) - 1;
    if (kMax < WORTH_SKIPPING) return true;
    const exitsAt = (k: number): boolean => this.iterate(body, start, c0 + k * period, this.other).exits;
    for (let k = 1; k <= CHECKED_ONE_BY_ONE; k++) if (exitsAt(k)) return true;
    let low = CHECKED_ONE_BY_ONE;
    let high = kMax;
    let found = false;
    for (let k = CHECKED_ONE_BY_ONE * 2; k < kMax; k *= 2) {
      if (exitsAt(k)) {
        high = k;
        found = true;
        break;
      }
      low = k;
    }
    if (!found && exitsAt(kMax)) found = true;
    if (found) {
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (exitsAt(mid)) high = mid;
        else low = mid;
      }
    }
    // Arrive at the head of iteration `high` as the normal run would: registers the body
    // overwrites keep their current values, which nothing reads before overwriting.
    cpu.cycles = c0 + high * period;
    cpu.instructions += high * body.length;
    this.skipped += high;
    return true;
  }

  /** Runs one iteration from `registers` at cycle `cycles`, notes where it ended in `into`, and undoes it. */
  private iterate(body: Insn[], registers: Int32Array, cycles: number, into: Outcome): Outcome {
    const cpu = this.cpu;
    this.savedAr.set(cpu.ar);
    const saved = { sar: cpu.sar, cycles: cpu.cycles, pc: cpu.pc, npc: cpu.npc, instructions: cpu.instructions };
    cpu.ar.set(registers);
    cpu.cycles = cycles;
    let exits = false;
    let pendingLoad = 0;
    for (const insn of body) {
      cpu.pc = insn.pc;
      cpu.npc = insn.pc + insn.size;
      if ((insn.names & pendingLoad) !== 0) cpu.cycles += CYCLES.LOAD_USE_STALL;
      pendingLoad = insn.loads;
      cpu.cycles += insn.cycles;
      insn.execute(cpu, insn);
      if (insn === body[body.length - 1]) exits = cpu.npc !== body[0].pc;
    }
    into.exits = exits;
    into.cycles = cpu.cycles;
    into.registers.set(cpu.ar);
    into.sar = cpu.sar;
    cpu.ar.set(this.savedAr);
    cpu.sar = saved.sar;
    cpu.cycles = saved.cycles;
    cpu.pc = saved.pc;
    cpu.npc = saved.npc;
    cpu.instructions = saved.instructions;
    return into;
  }
}

function sameRegisters(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

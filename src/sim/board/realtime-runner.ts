/**
 * Runs a chip so that its virtual time follows wall time: every few milliseconds a timer runs the
 * CPU up to the cycle the wall clock has reached. The program's own waits cost little host time
 * (busy-wait fast-forward, WAITI, skipped UART polling), so a slice usually ends well inside its
 * budget; one that does not ends early and leaves the rest to the next tick, keeping Node's event
 * loop responsive. A machine too busy to keep up lets the chip fall behind rather than pile up debt.
 */
export interface RunnableChip {
  readonly cpuHz: number;
  readonly cpu: { cycles: number };
  /** The program waits for the host; ticks can come less often. */
  readonly idle: boolean;
  /** Runs until `cycle`; false once the chip has stopped for good. */
  run(cycle: number): boolean;
}

/** How often the timer fires while the program works (the TX FIFO drains in 11 ms at 115200 baud). */
export const TICK_MS = 4;
/**
 * How often it fires while the program waits for the host: bytes from the host start a tick at
 * once, so this only bounds how late the program's own timers (an interval read) notice the time.
 */
export const IDLE_TICK_MS = 20;
/** Host time one tick may spend before yielding to the event loop. */
const SLICE_BUDGET_MS = 4;
/** The most virtual time one `run` call covers, so the budget is checked often enough. */
const PIECE_MS = 1;
/** Behind by more than this, the chip stops trying to catch up (the host was busy elsewhere). */
const MAX_DEBT_MS = 50;

export class RealtimeRunner {
  private timer: NodeJS.Timeout | undefined;
  private wallStart = 0;
  private cycleStart = 0;
  private running = false;

  constructor(
    private readonly chip: RunnableChip,
    /** Called after every tick (the board checks the watchdog, hands over bytes). */
    private readonly afterTick: () => void = () => undefined,
  ) {}

  /**
   * Starts at the chip's reset: its cycle 0 is now. Time the ROM's boot already accounted for (its
   * text leaving the UART) is then not run again until the wall clock has caught up with it.
   */
  start(): void {
    this.running = true;
    this.wallStart = performance.now();
    this.cycleStart = 0;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Bytes arrived from the host: run now rather than at the next tick. */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  /** Runs the chip up to wall time now. */
  tick(): void {
    if (!this.running) return;
    const began = performance.now();
    const cyclesPerMs = this.chip.cpuHz / 1000;
    let target = this.cycleStart + (began - this.wallStart) * cyclesPerMs;
    const debt = target - this.chip.cpu.cycles;
    if (debt > MAX_DEBT_MS * cyclesPerMs) {
      this.cycleStart -= debt - MAX_DEBT_MS * cyclesPerMs;
      target = this.chip.cpu.cycles + MAX_DEBT_MS * cyclesPerMs;
    }
    while (this.running && this.chip.cpu.cycles < target) {
      if (!this.chip.run(Math.min(target, this.chip.cpu.cycles + PIECE_MS * cyclesPerMs))) {
        this.running = false;
        break;
      }
      if (performance.now() - began > SLICE_BUDGET_MS) break;
    }
    this.afterTick();
    if (this.running) this.schedule(this.chip.idle ? IDLE_TICK_MS : TICK_MS);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, ms);
    // a board left powered does not keep the process alive on its own
    this.timer.unref();
  }
}

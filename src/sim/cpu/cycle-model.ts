/**
 * How many CPU clocks each instruction takes: what CCOUNT counts, and so the board's virtual
 * time (seconds = cycles / clock). The LX106 is a 5-stage pipeline; the figures follow the
 * Xtensa LX pipeline description (Xtensa Microprocessor Programmer's Guide, "Pipeline"):
 * most instructions issue every cycle, a taken branch or jump refills the fetch stages, and a
 * load result used by the very next instruction stalls one cycle.
 *
 * Approximate (see docs/ARCHITECTURE.md): instruction fetch from IRAM never stalls; a
 * device access costs what a DRAM access costs; the interlock check looks at every register
 * field the next instruction names, read or written; MULL is taken as 2 cycles.
 */
export const CYCLES = {
  /** ALU, shifts, moves, stores, not-taken branches, loads without a use in the next slot. */
  DEFAULT: 1,
  /** Extra cycles when the next instruction names the register a load writes. */
  LOAD_USE_STALL: 1,
  /** Extra cycles for a taken branch, a jump, a call or a return: the fetch refill. */
  TAKEN_BRANCH_PENALTY: 2,
  /** The 32-bit multiplier takes two cycles to deliver. */
  MULL: 2,
  /** Exception or interrupt entry: the vector fetch. */
  EXCEPTION_ENTRY: 3,
  /** A call into an emulated ROM function, besides what the function itself spends. */
  ROM_CALL: 3,
} as const;

/**
 * The LX106's special registers as the ESP8266 configures the core: numbers for RSR/WSR/XSR
 * and the bits a write keeps. Numbers and reset values from QEMU's lx106 configuration
 * (target/xtensa/core-lx106/xtensa-modules.c.inc, core-isa.h) and target/xtensa/cpu.h.
 */
export const SR = {
  SAR: 3,
  LITBASE: 5,
  IBREAKENABLE: 96,
  DDR: 104,
  IBREAKA0: 128,
  DBREAKA0: 144,
  DBREAKC0: 160,
  CONFIGID0: 176,
  EPC1: 177,
  EPC2: 178,
  EPC3: 179,
  DEPC: 192,
  EPS2: 194,
  EPS3: 195,
  CONFIGID1: 208,
  EXCSAVE1: 209,
  EXCSAVE2: 210,
  EXCSAVE3: 211,
  INTSET: 226,
  INTCLEAR: 227,
  INTENABLE: 228,
  PS: 230,
  VECBASE: 231,
  EXCCAUSE: 232,
  DEBUGCAUSE: 233,
  CCOUNT: 234,
  PRID: 235,
  ICOUNT: 236,
  ICOUNTLEVEL: 237,
  EXCVADDR: 238,
  CCOMPARE0: 240,
} as const;

/** PS fields (Xtensa ISA, XEA2). */
export const PS_INTLEVEL = 0x0f;
export const PS_EXCM = 0x10;
export const PS_UM = 0x20;
/**
 * The PS bits a write keeps. The lx106 has no register windows, but QEMU's core keeps the
 * window fields (OWB [11:8], CALLINC [17:16], WOE 18) as written; we follow the reference.
 */
export const PS_WRITABLE = 0x70f3f;

export const RESET_PS = 0x1f;
export const RESET_VECBASE = 0x40000000;
/** Configuration ids of the lx106 core (core-isa.h XCHAL_HW_CONFIGID0/1). */
export const CONFIGID0_VALUE = 0xc28cdafa;
export const CONFIGID1_VALUE = 0x1082b6f6;

/** Levels of the 15 interrupts: 0–13 level 1, 14 the NMI at level 3 (core-isa.h). */
export const LEVEL1_INTERRUPTS = 0x3fff;
export const NMI_INTERRUPT = 14;
export const NMI_LEVEL = 3;
export const DEBUG_LEVEL = 2;
export const TIMER0_INTERRUPT = 6;
export const SOFTWARE_INTERRUPT = 7;
/** Interrupts software may raise or clear through INTSET/INTCLEAR: the software one, edge ones and the timer is cleared by CCOMPARE. */
export const INTSET_WRITABLE = 1 << SOFTWARE_INTERRUPT;
export const INTCLEAR_WRITABLE = (1 << SOFTWARE_INTERRUPT) | 0x3f00 | (1 << NMI_INTERRUPT);

/**
 * How a write through WSR/XSR treats each register that exists: the mask of bits kept, or
 * 'special' when the CPU has to act (PS, CCOUNT, CCOMPARE, the interrupt registers).
 * Registers absent here do not exist on the lx106: RSR/WSR of them is an illegal instruction.
 */
export const SR_WRITE_MASK: ReadonlyMap<number, number> = new Map<number, number>([
  [SR.SAR, 0x3f],
  [SR.LITBASE, 0xfffff001],
  [SR.IBREAKENABLE, 0x1],
  [SR.DDR, 0xffffffff],
  [SR.IBREAKA0, 0xffffffff],
  [SR.DBREAKA0, 0xffffffff],
  [SR.DBREAKC0, 0xffffffff],
  [SR.EPC1, 0xffffffff],
  [SR.EPC2, 0xffffffff],
  [SR.EPC3, 0xffffffff],
  [SR.DEPC, 0xffffffff],
  [SR.EPS2, 0xffffffff],
  [SR.EPS3, 0xffffffff],
  [SR.EXCSAVE1, 0xffffffff],
  [SR.EXCSAVE2, 0xffffffff],
  [SR.EXCSAVE3, 0xffffffff],
  [SR.INTENABLE, 0xffffffff],
  [SR.VECBASE, 0xffffffff],
  [SR.EXCCAUSE, 0xffffffff],
  [SR.ICOUNT, 0xffffffff],
  [SR.ICOUNTLEVEL, 0xf],
  [SR.EXCVADDR, 0xffffffff],
]);

/** Registers RSR can read; the write-only INTCLEAR is absent. */
export const SR_READABLE: ReadonlySet<number> = new Set<number>([
  ...SR_WRITE_MASK.keys(),
  SR.DEBUGCAUSE,
  SR.CONFIGID0,
  SR.CONFIGID1,
  SR.INTSET,
  SR.PS,
  SR.CCOUNT,
  SR.PRID,
  SR.CCOMPARE0,
]);
/** Registers WSR can write. */
export const SR_WRITABLE: ReadonlySet<number> = new Set<number>([
  ...SR_WRITE_MASK.keys(),
  SR.INTSET,
  SR.INTCLEAR,
  SR.PS,
  SR.CCOUNT,
  SR.CCOMPARE0,
]);

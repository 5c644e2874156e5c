#ifndef CPU_H
#define CPU_H

#include <stdint.h>

/* CPU_MHZ comes from the Makefile (52: the ROM leaves the CPU at 52 MHz, since its PLL setup
 * assumes a 40 MHz crystal and boards have 26 MHz, 80 * 26 / 40). Every time in the firmware
 * is counted in cycles of this clock. */
#ifndef CPU_MHZ
#error "CPU_MHZ is not set: build with the Makefile (make -C firmware image)"
#endif

static inline uint32_t cpu_cycles(void)
{
    uint32_t count;
    __asm__ volatile("rsr.ccount %0" : "=a"(count));
    return count;
}

/* Masks every maskable interrupt level; returns the previous PS for cpu_restore. */
static inline uint32_t cpu_mask_interrupts(void)
{
    uint32_t ps;
    __asm__ volatile("rsil %0, 15" : "=a"(ps) : : "memory");
    return ps;
}

static inline void cpu_restore(uint32_t ps)
{
    __asm__ volatile("wsr.ps %0; rsync" : : "a"(ps) : "memory");
}

/* Busy-waits until `us` microseconds after the cycle count `start`, so the phases of a slot
 * are all measured from the slot's start and errors do not add up. */
static inline void cpu_wait_until(uint32_t start, uint32_t us)
{
    while ((uint32_t)(cpu_cycles() - start) < us * CPU_MHZ) {
    }
}

#endif

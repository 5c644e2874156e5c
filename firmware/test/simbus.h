#ifndef SIMBUS_H
#define SIMBUS_H

#include <stdbool.h>
#include <stdint.h>

#include "onewire.h"

/* A bit-level model of a 1-Wire bus with temperature sensors on it: every time slot is a
 * wired-AND of the master's bit and whatever each device drives, and every device runs its
 * own ROM/function command state machine, as the datasheets describe. Time is simulated
 * (microseconds), so conversions take their datasheet time without really waiting. */

#define SIM_MAX_DEVICES 24

typedef struct sim_device {
    uint8_t rom[8];
    uint8_t scratchpad[9];
    uint8_t parasite;
    uint8_t present;          /* 0: unplugged, never answers */
    uint8_t never_converts;   /* fault: CONVERT T leaves the scratchpad untouched */
    uint8_t corrupt_reads;    /* fault: this many scratchpad reads come back with a flipped bit */
    uint8_t hold_low_on_read; /* fault: drives every read slot of READ SCRATCHPAD low */
    uint16_t next_raw;        /* temperature register after the next conversion */
    uint8_t next_count_remain;/* DS18S20 only: COUNT_REMAIN after the next conversion */
    uint32_t conversions;     /* completed conversions */

    /* command state machine */
    int state;
    int bit;                  /* bit position inside the current phase */
    uint8_t phase;            /* search: 0 id bit, 1 complement, 2 direction */
    uint8_t shift[8];
    uint8_t out[9];           /* what READ SCRATCHPAD sends this time */
    int converting;
    uint32_t conversion_end_us;
    uint8_t conversion_powered;
    uint8_t conversion_broken;
} sim_device;

typedef struct simbus {
    sim_device devices[SIM_MAX_DEVICES];
    int count;
    uint32_t now_us;
    uint8_t shorted;
    uint8_t pullup;
    uint32_t resets;
    uint32_t slots;
    ow_bus bus;
} simbus;

void simbus_init(simbus *sim);
/* Adds a device with family code and 48-bit serial (ROM bytes 1..6, byte 1 first); the CRC
 * byte is computed. Starts with the datasheet power-on scratchpad. */
sim_device *simbus_add(simbus *sim, uint8_t family, const uint8_t serial[6]);
/* Temperature in 1/16 degree for the 12-bit families; for DS18S20 the raw register value
 * (1/2 degree) and COUNT_REMAIN. */
void sim_device_set_temperature(sim_device *dev, int16_t sixteenths);
void sim_device_set_ds18s20(sim_device *dev, uint16_t raw, uint8_t count_remain);
void simbus_advance_us(simbus *sim, uint32_t us);
uint32_t simbus_millis(const simbus *sim);

#endif

#include "simbus.h"

#include <string.h>

#include "crc8.h"
#include "ds18x20.h"

enum {
    ST_IDLE = 0,   /* not addressed; waits for the next reset */
    ST_ROM_COMMAND,
    ST_SEARCH,
    ST_MATCH,
    ST_READ_ROM,
    ST_FUNCTION,
    ST_READ_SCRATCHPAD,
    ST_WRITE_SCRATCHPAD,
    ST_READ_POWER,
    ST_CONVERT
};

/* Datasheet slot lengths, so simulated time moves like the real bus. */
#define SLOT_US 70u
#define RESET_US 960u

static void update_crc(sim_device *dev)
{
    dev->scratchpad[8] = crc8_maxim(dev->scratchpad, 8);
}

static void power_on_scratchpad(sim_device *dev)
{
    static const uint8_t ds18b20[8] = { 0x50, 0x05, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10 };
    static const uint8_t ds18s20[8] = { 0xAA, 0x00, 0x4B, 0x46, 0xFF, 0xFF, 0x0C, 0x10 };
    memcpy(dev->scratchpad, dev->rom[0] == DS_FAMILY_DS18S20 ? ds18s20 : ds18b20, 8);
    update_crc(dev);
}

static uint8_t bit_of(const uint8_t *bytes, int index)
{
    return (uint8_t)((bytes[index >> 3] >> (index & 7)) & 1u);
}

static void finish_conversion(sim_device *dev)
{
    dev->converting = 0;
    if (dev->never_converts || dev->conversion_broken || (dev->parasite && !dev->conversion_powered))
        return;
    if (dev->rom[0] == DS_FAMILY_DS18S20) {
        dev->scratchpad[0] = (uint8_t)dev->next_raw;
        dev->scratchpad[1] = (uint8_t)(dev->next_raw >> 8);
        dev->scratchpad[6] = dev->next_count_remain;
    } else {
        /* bits below the resolution are undefined; genuine parts leave them 0 */
        uint8_t resolution = ds_resolution_of_config(dev->scratchpad[4]);
        uint16_t mask = (uint16_t)(0xFFFFu << (12 - resolution));
        uint16_t raw = (uint16_t)(dev->next_raw & mask);
        dev->scratchpad[0] = (uint8_t)raw;
        dev->scratchpad[1] = (uint8_t)(raw >> 8);
        dev->scratchpad[6] = (uint8_t)(0x10 - (raw & 0x0F));
    }
    update_crc(dev);
    dev->conversions++;
}

/* Completes conversions whose time is up. A parasite device loses its conversion if the
 * bus is used (or the strong pull-up dropped) before the end. */
static void settle(simbus *sim, bool bus_activity)
{
    for (int i = 0; i < sim->count; i++) {
        sim_device *dev = &sim->devices[i];
        if (!dev->converting)
            continue;
        if ((int32_t)(sim->now_us - dev->conversion_end_us) >= 0)
            finish_conversion(dev);
        else if (bus_activity && dev->parasite)
            dev->conversion_broken = 1;
    }
}

static void start_conversion(simbus *sim, sim_device *dev)
{
    uint8_t resolution = ds_resolution_of_config(dev->scratchpad[4]);
    dev->converting = 1;
    dev->conversion_powered = 0;
    dev->conversion_broken = 0;
    /* real parts finish well within the datasheet maximum */
    dev->conversion_end_us = sim->now_us + ds_conversion_ms(dev->rom[0], resolution) * 900u;
}

static uint8_t drive(const simbus *sim, const sim_device *dev)
{
    switch (dev->state) {
    case ST_SEARCH:
        if (dev->phase == 0)
            return bit_of(dev->rom, dev->bit);
        if (dev->phase == 1)
            return (uint8_t)!bit_of(dev->rom, dev->bit);
        return 1;
    case ST_READ_ROM:
        return bit_of(dev->rom, dev->bit);
    case ST_READ_SCRATCHPAD:
        if (dev->hold_low_on_read)
            return 0;
        return dev->bit < 72 ? bit_of(dev->out, dev->bit) : 1;
    case ST_READ_POWER:
        return dev->parasite ? 0 : 1;
    case ST_CONVERT:
        if (dev->parasite)
            return 1;
        return (dev->converting && (int32_t)(sim->now_us - dev->conversion_end_us) < 0) ? 0 : 1;
    default:
        return 1;
    }
}

static bool receive_bit(sim_device *dev, uint8_t level, int total_bits)
{
    if (level)
        dev->shift[dev->bit >> 3] |= (uint8_t)(1u << (dev->bit & 7));
    dev->bit++;
    return dev->bit == total_bits;
}

static void begin_receive(sim_device *dev, int state)
{
    dev->state = state;
    dev->bit = 0;
    memset(dev->shift, 0, sizeof dev->shift);
}

static void run_function(simbus *sim, sim_device *dev, uint8_t command)
{
    switch (command) {
    case DS_CMD_CONVERT_T:
        dev->state = ST_CONVERT;
        start_conversion(sim, dev);
        break;
    case DS_CMD_READ_SCRATCHPAD:
        memcpy(dev->out, dev->scratchpad, 9);
        if (dev->corrupt_reads) {
            dev->corrupt_reads--;
            dev->out[0] ^= 0x04;
        }
        dev->state = ST_READ_SCRATCHPAD;
        dev->bit = 0;
        break;
    case DS_CMD_WRITE_SCRATCHPAD:
        begin_receive(dev, ST_WRITE_SCRATCHPAD);
        break;
    case DS_CMD_READ_POWER_SUPPLY:
        dev->state = ST_READ_POWER;
        break;
    default:
        dev->state = ST_IDLE;
        break;
    }
}

static void observe(simbus *sim, sim_device *dev, uint8_t level)
{
    switch (dev->state) {
    case ST_ROM_COMMAND:
        if (!receive_bit(dev, level, 8))
            break;
        switch (dev->shift[0]) {
        case OW_CMD_SEARCH_ROM: dev->state = ST_SEARCH; dev->bit = 0; dev->phase = 0; break;
        case OW_CMD_READ_ROM: dev->state = ST_READ_ROM; dev->bit = 0; break;
        case OW_CMD_MATCH_ROM: begin_receive(dev, ST_MATCH); break;
        case OW_CMD_SKIP_ROM: begin_receive(dev, ST_FUNCTION); break;
        default: dev->state = ST_IDLE; break; /* includes ALARM SEARCH: no alarms set */
        }
        break;
    case ST_SEARCH:
        if (dev->phase < 2) {
            dev->phase++;
            break;
        }
        if (level != bit_of(dev->rom, dev->bit)) {
            dev->state = ST_IDLE;
            break;
        }
        dev->phase = 0;
        if (++dev->bit == 64)
            begin_receive(dev, ST_FUNCTION);
        break;
    case ST_MATCH:
        if (level != bit_of(dev->rom, dev->bit)) {
            dev->state = ST_IDLE;
            break;
        }
        if (++dev->bit == 64)
            begin_receive(dev, ST_FUNCTION);
        break;
    case ST_READ_ROM:
        if (++dev->bit == 64)
            begin_receive(dev, ST_FUNCTION);
        break;
    case ST_FUNCTION:
        if (receive_bit(dev, level, 8))
            run_function(sim, dev, dev->shift[0]);
        break;
    case ST_READ_SCRATCHPAD:
        dev->bit++;
        break;
    case ST_WRITE_SCRATCHPAD: {
        int bytes = dev->rom[0] == DS_FAMILY_DS18S20 ? 2 : 3;
        if (!receive_bit(dev, level, bytes * 8))
            break;
        dev->scratchpad[2] = dev->shift[0];
        dev->scratchpad[3] = dev->shift[1];
        if (bytes == 3)
            dev->scratchpad[4] = (uint8_t)((dev->shift[2] & 0x60u) | 0x1Fu);
        update_crc(dev);
        dev->state = ST_IDLE;
        break;
    }
    default:
        break;
    }
}

static ow_reset_result sim_reset(void *ctx)
{
    simbus *sim = ctx;
    bool presence = false;
    sim->resets++;
    settle(sim, true);
    simbus_advance_us(sim, RESET_US);
    if (sim->shorted)
        return OW_SHORT;
    for (int i = 0; i < sim->count; i++) {
        sim_device *dev = &sim->devices[i];
        if (!dev->present) {
            dev->state = ST_IDLE;
            continue;
        }
        begin_receive(dev, ST_ROM_COMMAND);
        presence = true;
    }
    return presence ? OW_PRESENCE : OW_EMPTY;
}

static uint8_t sim_touch_bit(void *ctx, uint8_t bit)
{
    simbus *sim = ctx;
    uint8_t level = bit;
    sim->slots++;
    settle(sim, true);
    if (sim->shorted)
        level = 0;
    for (int i = 0; i < sim->count; i++) {
        if (sim->devices[i].present)
            level &= drive(sim, &sim->devices[i]);
    }
    for (int i = 0; i < sim->count; i++) {
        if (sim->devices[i].present)
            observe(sim, &sim->devices[i], level);
    }
    simbus_advance_us(sim, SLOT_US);
    return level;
}

static void set_pullup(simbus *sim, bool on)
{
    settle(sim, false);
    for (int i = 0; i < sim->count; i++) {
        sim_device *dev = &sim->devices[i];
        if (dev->converting && dev->parasite) {
            if (on)
                dev->conversion_powered = 1;
            else
                dev->conversion_broken = 1;
        }
    }
    sim->pullup = on ? 1 : 0;
}

static void sim_write_bit_pullup(void *ctx, uint8_t bit)
{
    sim_touch_bit(ctx, bit);
    set_pullup(ctx, true);
}

static void sim_end_pullup(void *ctx)
{
    set_pullup(ctx, false);
}

void simbus_init(simbus *sim)
{
    memset(sim, 0, sizeof *sim);
    sim->bus.ctx = sim;
    sim->bus.reset = sim_reset;
    sim->bus.touch_bit = sim_touch_bit;
    sim->bus.write_bit_pullup = sim_write_bit_pullup;
    sim->bus.end_pullup = sim_end_pullup;
}

sim_device *simbus_add(simbus *sim, uint8_t family, const uint8_t serial[6])
{
    if (sim->count >= SIM_MAX_DEVICES)
        return 0;
    sim_device *dev = &sim->devices[sim->count++];
    memset(dev, 0, sizeof *dev);
    dev->rom[0] = family;
    memcpy(&dev->rom[1], serial, 6);
    dev->rom[7] = crc8_maxim(dev->rom, 7);
    dev->present = 1;
    dev->next_raw = 0x0190; /* 25 degrees */
    dev->next_count_remain = 0x0C;
    power_on_scratchpad(dev);
    return dev;
}

void sim_device_set_temperature(sim_device *dev, int16_t sixteenths)
{
    dev->next_raw = (uint16_t)sixteenths;
}

void sim_device_set_ds18s20(sim_device *dev, uint16_t raw, uint8_t count_remain)
{
    dev->next_raw = raw;
    dev->next_count_remain = count_remain;
}

void simbus_advance_us(simbus *sim, uint32_t us)
{
    sim->now_us += us;
}

uint32_t simbus_millis(const simbus *sim)
{
    return sim->now_us / 1000u;
}

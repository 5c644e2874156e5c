#include "onewire.h"

#include "crc8.h"

ow_reset_result ow_reset(const ow_bus *bus)
{
    return bus->reset(bus->ctx);
}

uint8_t ow_touch_bit(const ow_bus *bus, uint8_t bit)
{
    return bus->touch_bit(bus->ctx, bit ? 1 : 0);
}

void ow_write_byte(const ow_bus *bus, uint8_t value)
{
    for (int i = 0; i < 8; i++) {
        ow_touch_bit(bus, value & 1u);
        value >>= 1;
    }
}

void ow_write_byte_pullup(const ow_bus *bus, uint8_t value)
{
    for (int i = 0; i < 7; i++) {
        ow_touch_bit(bus, value & 1u);
        value >>= 1;
    }
    bus->write_bit_pullup(bus->ctx, value & 1u);
}

void ow_end_pullup(const ow_bus *bus)
{
    bus->end_pullup(bus->ctx);
}

uint8_t ow_read_byte(const ow_bus *bus)
{
    uint8_t value = 0;
    for (int i = 0; i < 8; i++) {
        if (ow_touch_bit(bus, 1))
            value |= (uint8_t)(1u << i);
    }
    return value;
}

void ow_read_bytes(const ow_bus *bus, uint8_t *out, int len)
{
    for (int i = 0; i < len; i++)
        out[i] = ow_read_byte(bus);
}

ow_reset_result ow_select(const ow_bus *bus, const uint8_t *rom)
{
    ow_reset_result r = ow_reset(bus);
    if (r != OW_PRESENCE)
        return r;
    if (rom == 0) {
        ow_write_byte(bus, OW_CMD_SKIP_ROM);
    } else {
        ow_write_byte(bus, OW_CMD_MATCH_ROM);
        for (int i = 0; i < OW_ROM_LEN; i++)
            ow_write_byte(bus, rom[i]);
    }
    return OW_PRESENCE;
}

static uint8_t rom_bit(const uint8_t *rom, int index)
{
    return (uint8_t)((rom[index >> 3] >> (index & 7)) & 1u);
}

static void set_rom_bit(uint8_t *rom, int index, uint8_t value)
{
    uint8_t mask = (uint8_t)(1u << (index & 7));
    if (value)
        rom[index >> 3] |= mask;
    else
        rom[index >> 3] &= (uint8_t)~mask;
}

/* Every device still in the search drives its ROM bit, then its complement; the wired-AND
 * bus shows whether they agree. Where they disagree (both reads 0) the search takes the 0
 * branch first and comes back for the 1 branch on a later call, as in AN187. */
ow_search_result ow_search_next(const ow_bus *bus, ow_search *s, uint8_t command)
{
    if (s->done)
        return OW_SEARCH_DONE;

    ow_reset_result r = ow_reset(bus);
    if (r == OW_SHORT)
        return OW_SEARCH_SHORT;
    if (r == OW_EMPTY)
        return OW_SEARCH_EMPTY;

    ow_write_byte(bus, command);

    uint8_t last_zero = 0;
    for (int bit = 1; bit <= 64; bit++) {
        uint8_t id = ow_touch_bit(bus, 1);
        uint8_t complement = ow_touch_bit(bus, 1);
        uint8_t direction;
        if (id && complement)
            return OW_SEARCH_LOST;
        if (id != complement) {
            direction = id;
        } else if (bit < s->last_discrepancy) {
            direction = rom_bit(s->rom, bit - 1);
        } else {
            direction = (bit == s->last_discrepancy) ? 1 : 0;
        }
        if (id == 0 && complement == 0 && direction == 0)
            last_zero = (uint8_t)bit;
        set_rom_bit(s->rom, bit - 1, direction);
        ow_touch_bit(bus, direction);
    }

    s->last_discrepancy = last_zero;
    if (last_zero == 0)
        s->done = true;
    if (crc8_maxim(s->rom, OW_ROM_LEN) != 0)
        return OW_SEARCH_CRC;
    return OW_FOUND;
}

#include "bridge_sensors.h"

#include <string.h>

#include "bridge_lines.h"
#include "ds18x20.h"

static const char *scratchpad_error_code(ds_status status)
{
    switch (status) {
    case DS_ERR_NO_DEVICE: return "no_device";
    case DS_ERR_BUS_SHORT: return "bus_short";
    case DS_ERR_POWER_ON_VALUE: return "power_on_value";
    default: return "crc";
    }
}

const char *reset_error_code(ow_reset_result r)
{
    return r == OW_SHORT ? "bus_short" : "no_device";
}

/* A scratchpad that was read intact, even if it holds no fresh temperature. */
static bool scratchpad_intact(ds_status status)
{
    return status == DS_OK || status == DS_ERR_POWER_ON_VALUE;
}

static ow_reset_result read_scratchpad(const bridge *b, const uint8_t *rom, uint8_t *sp)
{
    const ow_bus *bus = b->pf->bus;
    ow_reset_result r = ow_select(bus, rom);
    if (r != OW_PRESENCE)
        return r;
    ow_write_byte(bus, DS_CMD_READ_SCRATCHPAD);
    ow_read_bytes(bus, sp, DS_SCRATCHPAD_LEN);
    return OW_PRESENCE;
}

/* Reads and decodes a sensor's scratchpad: false (with an error line) if the sensor did not answer. */
static bool read_and_decode(const bridge *b, const bridge_sensor *s, uint8_t *sp, ds_reading *reading, ds_status *status)
{
    ow_reset_result r = read_scratchpad(b, s->rom, sp);
    if (r != OW_PRESENCE) {
        line_sensor_error(b, reset_error_code(r), s->rom);
        return false;
    }
    *status = ds_decode(s->rom[0], sp, reading);
    return true;
}

/* Reads a scratchpad for its configuration: false (with an error line) if it is not intact. */
static bool read_intact_scratchpad(const bridge *b, const bridge_sensor *s, uint8_t *sp)
{
    ds_reading reading;
    ds_status status;
    if (!read_and_decode(b, s, sp, &reading, &status))
        return false;
    if (!scratchpad_intact(status)) {
        line_sensor_error(b, scratchpad_error_code(status), s->rom);
        return false;
    }
    return true;
}

void sensors_write_resolution(bridge *b, bridge_sensor *s, uint8_t bits)
{
    const ow_bus *bus = b->pf->bus;
    uint8_t sp[DS_SCRATCHPAD_LEN];

    /* TH and TL share the write with the config byte, so keep the values the sensor has. */
    if (!read_intact_scratchpad(b, s, sp))
        return;
    ow_reset_result r = ow_select(bus, s->rom);
    if (r != OW_PRESENCE) {
        line_sensor_error(b, reset_error_code(r), s->rom);
        return;
    }
    ow_write_byte(bus, DS_CMD_WRITE_SCRATCHPAD);
    ow_write_byte(bus, sp[2]);
    ow_write_byte(bus, sp[3]);
    ow_write_byte(bus, ds_config_for_resolution(bits));
    if (read_intact_scratchpad(b, s, sp))
        s->resolution = ds_resolution_of_config(sp[4]);
}

void sensors_probe(bridge *b, bridge_sensor *s)
{
    const ow_bus *bus = b->pf->bus;
    uint8_t sp[DS_SCRATCHPAD_LEN];
    ds_reading reading;

    s->parasite = 0;
    s->resolution = s->rom[0] == DS_FAMILY_DS18S20 ? 9 : 12;
    if (ow_select(bus, s->rom) == OW_PRESENCE) {
        ow_write_byte(bus, DS_CMD_READ_POWER_SUPPLY);
        /* parasite-powered devices pull the read slot low */
        s->parasite = ow_touch_bit(bus, 1) ? 0 : 1;
    }
    if (!ds_has_config_register(s->rom[0]))
        return;
    if (b->requested_resolution != 0) {
        sensors_write_resolution(b, s, b->requested_resolution);
    } else if (read_scratchpad(b, s->rom, sp) == OW_PRESENCE &&
               scratchpad_intact(ds_decode(s->rom[0], sp, &reading))) {
        s->resolution = ds_resolution_of_config(sp[4]);
    }
}

void sensors_search(bridge *b)
{
    ow_search search;
    memset(&search, 0, sizeof search);
    b->count = 0;
    for (;;) {
        ow_search_result r = ow_search_next(b->pf->bus, &search, OW_CMD_SEARCH_ROM);
        switch (r) {
        case OW_FOUND:
            break;
        case OW_SEARCH_DONE:
            return;
        case OW_SEARCH_SHORT:
            line_error(b, "bus_short");
            return;
        case OW_SEARCH_CRC:
            line_error(b, "crc");
            return;
        default: /* empty bus, or every device left mid-search */
            if (b->count == 0)
                line_error(b, "no_device");
            return;
        }
        if (ds_model_name(search.rom[0]) == 0)
            continue;
        if (b->count == BRIDGE_MAX_SENSORS) {
            line_error(b, "too_many_devices");
            return;
        }
        bridge_sensor *s = &b->sensors[b->count++];
        memset(s, 0, sizeof *s);
        memcpy(s->rom, search.rom, OW_ROM_LEN);
    }
}

static uint32_t conversion_limit_ms(const bridge *b, bool *any_parasite)
{
    uint32_t limit = 0;
    *any_parasite = false;
    for (uint8_t i = 0; i < b->count; i++) {
        const bridge_sensor *s = &b->sensors[i];
        uint32_t ms = ds_conversion_ms(s->rom[0], s->resolution);
        if (ms > limit)
            limit = ms;
        if (s->parasite)
            *any_parasite = true;
    }
    return limit;
}

/* Externally powered sensors answer read slots with 0 until they finish, so the wait ends
 * early; parasite-powered ones need the strong pull-up for the whole datasheet time. */
ow_reset_result sensors_convert_all(bridge *b)
{
    const bridge_platform *pf = b->pf;
    bool any_parasite;
    uint32_t limit = conversion_limit_ms(b, &any_parasite);
    ow_reset_result r = ow_select(pf->bus, 0);
    if (r != OW_PRESENCE)
        return r;
    if (any_parasite) {
        ow_write_byte_pullup(pf->bus, DS_CMD_CONVERT_T);
        pf->sleep_ms(pf->ctx, limit);
        ow_end_pullup(pf->bus);
        return OW_PRESENCE;
    }
    ow_write_byte(pf->bus, DS_CMD_CONVERT_T);
    uint32_t start = pf->millis(pf->ctx);
    uint32_t margin = limit + limit / 10u;
    while (!ow_touch_bit(pf->bus, 1)) {
        if ((uint32_t)(pf->millis(pf->ctx) - start) > margin)
            break;
        pf->sleep_ms(pf->ctx, 1);
    }
    return OW_PRESENCE;
}

bool sensors_read_one(bridge *b, const bridge_sensor *s)
{
    uint8_t sp[DS_SCRATCHPAD_LEN];
    ds_reading reading;
    ds_status status;
    if (!read_and_decode(b, s, sp, &reading, &status))
        return false;
    if (status != DS_OK) {
        line_sensor_error(b, scratchpad_error_code(status), s->rom);
        return false;
    }
    line_temp(b, s, &reading);
    return true;
}

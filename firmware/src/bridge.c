#include "bridge.h"

#include "ds18x20.h"
#include "json_line.h"

#include <stdbool.h>
#include <string.h>

static void emit(bridge *b, json_line *line)
{
    size_t len = json_line_finish(line);
    if (len != 0)
        b->pf->write(b->pf->ctx, line->text, len);
}

static void emit_error(bridge *b, const char *code)
{
    json_line line;
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    emit(b, &line);
}

static void emit_sensor_error(bridge *b, const char *code, const uint8_t *rom)
{
    char ident[IDENT_LEN + 1];
    json_line line;
    format_ident(rom, ident);
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    json_line_string(&line, "ident", ident);
    emit(b, &line);
}

static void emit_command_error(bridge *b, const char *code, const char *command_name)
{
    json_line line;
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    json_line_string(&line, "command", command_name);
    emit(b, &line);
}

static const char *power_name(const bridge_sensor *s)
{
    return s->parasite ? "parasite" : "external";
}

static void emit_hello(bridge *b)
{
    json_line line;
    json_line_begin(&line, "hello");
    json_line_string(&line, "firmware", BRIDGE_FIRMWARE_NAME);
    json_line_string(&line, "version", BRIDGE_VERSION);
    json_line_int(&line, "protocol", BRIDGE_PROTOCOL);
    json_line_int(&line, "pin", b->pf->pin);
    json_line_int(&line, "interval", (int32_t)b->interval_ms);
    json_line_int(&line, "resolution", b->requested_resolution);
    json_line_int(&line, "max_sensors", BRIDGE_MAX_SENSORS);
    emit(b, &line);
}

static const char *scratchpad_error_code(ds_status status)
{
    switch (status) {
    case DS_ERR_NO_DEVICE: return "no_device";
    case DS_ERR_BUS_SHORT: return "bus_short";
    case DS_ERR_CRC: return "crc";
    case DS_ERR_POWER_ON_VALUE: return "power_on_value";
    default: return "crc";
    }
}

static const char *reset_error_code(ow_reset_result r)
{
    return r == OW_SHORT ? "bus_short" : "no_device";
}

/* Reads one sensor's scratchpad; anything but OW_PRESENCE means the bus is down. */
static ow_reset_result read_scratchpad(bridge *b, const uint8_t *rom, uint8_t *sp)
{
    const ow_bus *bus = b->pf->bus;
    ow_reset_result r = ow_select(bus, rom);
    if (r != OW_PRESENCE)
        return r;
    ow_write_byte(bus, DS_CMD_READ_SCRATCHPAD);
    ow_read_bytes(bus, sp, DS_SCRATCHPAD_LEN);
    return OW_PRESENCE;
}

static void write_resolution(bridge *b, bridge_sensor *s, uint8_t bits)
{
    const ow_bus *bus = b->pf->bus;
    uint8_t sp[DS_SCRATCHPAD_LEN];
    ds_reading reading;

    /* TH and TL share the write with the config byte, so keep the values the sensor has. */
    if (read_scratchpad(b, s->rom, sp) != OW_PRESENCE) {
        emit_sensor_error(b, "no_device", s->rom);
        return;
    }
    ds_status status = ds_decode(s->rom[0], sp, &reading);
    if (status == DS_ERR_NO_DEVICE || status == DS_ERR_BUS_SHORT || status == DS_ERR_CRC) {
        emit_sensor_error(b, scratchpad_error_code(status), s->rom);
        return;
    }
    if (ow_select(bus, s->rom) != OW_PRESENCE) {
        emit_sensor_error(b, "no_device", s->rom);
        return;
    }
    ow_write_byte(bus, DS_CMD_WRITE_SCRATCHPAD);
    ow_write_byte(bus, sp[2]);
    ow_write_byte(bus, sp[3]);
    ow_write_byte(bus, ds_config_for_resolution(bits));

    if (read_scratchpad(b, s->rom, sp) != OW_PRESENCE) {
        emit_sensor_error(b, "no_device", s->rom);
        return;
    }
    status = ds_decode(s->rom[0], sp, &reading);
    if (status == DS_ERR_NO_DEVICE || status == DS_ERR_BUS_SHORT || status == DS_ERR_CRC) {
        emit_sensor_error(b, scratchpad_error_code(status), s->rom);
        return;
    }
    s->resolution = ds_resolution_of_config(sp[4]);
}

/* A scratchpad that was read intact, even if it holds no fresh temperature. */
static bool scratchpad_intact(ds_status status)
{
    return status == DS_OK || status == DS_ERR_POWER_ON_VALUE;
}

static void probe_sensor(bridge *b, bridge_sensor *s)
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
        write_resolution(b, s, b->requested_resolution);
    } else if (read_scratchpad(b, s->rom, sp) == OW_PRESENCE &&
               scratchpad_intact(ds_decode(s->rom[0], sp, &reading))) {
        s->resolution = ds_resolution_of_config(sp[4]);
    }
}

static void emit_sensor(bridge *b, const bridge_sensor *s)
{
    char ident[IDENT_LEN + 1];
    json_line line;
    format_ident(s->rom, ident);
    json_line_begin(&line, "sensor");
    json_line_string(&line, "ident", ident);
    json_line_string(&line, "model", ds_model_name(s->rom[0]));
    json_line_string(&line, "power", power_name(s));
    json_line_int(&line, "resolution", s->resolution);
    emit(b, &line);
}

static void emit_sensors_end(bridge *b)
{
    json_line line;
    json_line_begin(&line, "sensors");
    json_line_int(&line, "count", b->count);
    emit(b, &line);
}

/* Finds every supported sensor; errors are reported as they happen. */
static void search_bus(bridge *b)
{
    ow_search search;
    memset(&search, 0, sizeof search);
    b->count = 0;
    for (;;) {
        ow_search_result r = ow_search_next(b->pf->bus, &search, OW_CMD_SEARCH_ROM);
        if (r == OW_SEARCH_DONE)
            return;
        if (r == OW_SEARCH_EMPTY) {
            if (b->count == 0)
                emit_error(b, "no_device");
            return;
        }
        if (r == OW_SEARCH_SHORT) {
            emit_error(b, "bus_short");
            return;
        }
        if (r == OW_SEARCH_LOST) {
            if (b->count == 0)
                emit_error(b, "no_device");
            return;
        }
        if (r == OW_SEARCH_CRC) {
            emit_error(b, "crc");
            return;
        }
        if (ds_model_name(search.rom[0]) == 0)
            continue;
        if (b->count == BRIDGE_MAX_SENSORS) {
            emit_error(b, "too_many_devices");
            return;
        }
        memset(&b->sensors[b->count], 0, sizeof b->sensors[b->count]);
        memcpy(b->sensors[b->count].rom, search.rom, OW_ROM_LEN);
        b->count++;
    }
}

static void scan(bridge *b)
{
    search_bus(b);
    for (uint8_t i = 0; i < b->count; i++) {
        probe_sensor(b, &b->sensors[i]);
        emit_sensor(b, &b->sensors[i]);
    }
    emit_sensors_end(b);
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

/* Starts a conversion on every sensor at once and waits until it is done. Externally
 * powered sensors answer read slots with 0 until they finish, so the wait ends early;
 * parasite-powered ones need the strong pull-up for the whole datasheet time. */
static ow_reset_result convert_all(bridge *b)
{
    const bridge_platform *pf = b->pf;
    bool any_parasite;
    uint32_t limit = conversion_limit_ms(b, &any_parasite);
    ow_reset_result r = ow_select(pf->bus, 0);
    if (r != OW_PRESENCE)
        return r;
    ow_write_byte(pf->bus, DS_CMD_CONVERT_T);
    if (any_parasite) {
        pf->bus->strong_pullup(pf->bus->ctx, true);
        pf->sleep_ms(pf->ctx, limit);
        pf->bus->strong_pullup(pf->bus->ctx, false);
        return OW_PRESENCE;
    }
    uint32_t start = pf->millis(pf->ctx);
    uint32_t margin = limit + limit / 10u;
    while (!ow_touch_bit(pf->bus, 1)) {
        if ((uint32_t)(pf->millis(pf->ctx) - start) > margin)
            break;
        pf->sleep_ms(pf->ctx, 1);
    }
    return OW_PRESENCE;
}

static bool read_one(bridge *b, const bridge_sensor *s)
{
    uint8_t sp[DS_SCRATCHPAD_LEN];
    ds_reading reading;
    ow_reset_result r = read_scratchpad(b, s->rom, sp);
    if (r != OW_PRESENCE) {
        emit_sensor_error(b, reset_error_code(r), s->rom);
        return false;
    }
    ds_status status = ds_decode(s->rom[0], sp, &reading);
    if (status != DS_OK) {
        emit_sensor_error(b, scratchpad_error_code(status), s->rom);
        return false;
    }

    char ident[IDENT_LEN + 1];
    json_line line;
    format_ident(s->rom, ident);
    json_line_begin(&line, "temp");
    json_line_string(&line, "ident", ident);
    json_line_int(&line, "millicelsius", reading.millicelsius);
    json_line_int(&line, "resolution", reading.resolution);
    json_line_string(&line, "power", power_name(s));
    emit(b, &line);
    return true;
}

static void read_cycle(bridge *b, const char *trigger)
{
    uint8_t errors = 0;
    if (b->count == 0)
        search_bus(b);
    if (b->count > 0) {
        for (uint8_t i = 0; i < b->count; i++) {
            if (b->sensors[i].resolution == 0)
                probe_sensor(b, &b->sensors[i]);
        }
        ow_reset_result r = convert_all(b);
        if (r != OW_PRESENCE) {
            /* nobody can be read: one error per sensor keeps the cycle's accounting exact */
            for (uint8_t i = 0; i < b->count; i++)
                emit_sensor_error(b, reset_error_code(r), b->sensors[i].rom);
            errors = b->count;
        } else {
            for (uint8_t i = 0; i < b->count; i++) {
                if (!read_one(b, &b->sensors[i]))
                    errors++;
            }
        }
    }

    json_line line;
    json_line_begin(&line, "cycle");
    json_line_string(&line, "trigger", trigger);
    json_line_int(&line, "count", b->count);
    json_line_int(&line, "errors", errors);
    emit(b, &line);
    b->last_cycle_ms = b->pf->millis(b->pf->ctx);
}

static void set_resolution(bridge *b, uint8_t bits)
{
    b->requested_resolution = bits;
    for (uint8_t i = 0; i < b->count; i++) {
        if (ds_has_config_register(b->sensors[i].rom[0]))
            write_resolution(b, &b->sensors[i], bits);
    }
    json_line line;
    json_line_begin(&line, "ok");
    json_line_string(&line, "command", "res");
    json_line_int(&line, "resolution", bits);
    emit(b, &line);
}

static void set_interval(bridge *b, uint32_t ms)
{
    b->interval_ms = ms;
    b->last_cycle_ms = b->pf->millis(b->pf->ctx);
    json_line line;
    json_line_begin(&line, "ok");
    json_line_string(&line, "command", "interval");
    json_line_int(&line, "interval", (int32_t)ms);
    emit(b, &line);
}

void bridge_execute(bridge *b, const char *text)
{
    command cmd = command_parse(text);
    switch (cmd.kind) {
    case CMD_EMPTY: break;
    case CMD_HELLO: emit_hello(b); break;
    case CMD_SCAN: scan(b); break;
    case CMD_READ: read_cycle(b, "read"); break;
    case CMD_INTERVAL: set_interval(b, cmd.argument); break;
    case CMD_RES: set_resolution(b, (uint8_t)cmd.argument); break;
    case CMD_BAD_ARGUMENT: emit_command_error(b, "bad_argument", cmd.name); break;
    case CMD_UNKNOWN: emit_error(b, "bad_command"); break;
    }
}

void bridge_start(bridge *b, const bridge_platform *pf)
{
    memset(b, 0, sizeof *b);
    b->pf = pf;
    command_reader_reset(&b->reader);
    pf->write(pf->ctx, "\r\n", 2);
    emit_hello(b);
    scan(b);
}

void bridge_poll(bridge *b)
{
    const bridge_platform *pf = b->pf;
    int c;
    while ((c = pf->read_byte(pf->ctx)) >= 0) {
        reader_event event = command_reader_push(&b->reader, (char)c);
        if (event == READER_LINE)
            bridge_execute(b, b->reader.text);
        else if (event == READER_TOO_LONG)
            emit_error(b, "line_too_long");
    }
    if (b->interval_ms != 0 &&
        (uint32_t)(pf->millis(pf->ctx) - b->last_cycle_ms) >= b->interval_ms)
        read_cycle(b, "interval");
}

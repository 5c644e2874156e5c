#include "bridge.h"

#include <string.h>

#include "bridge_lines.h"
#include "bridge_sensors.h"
#include "ds18x20.h"

static void scan(bridge *b)
{
    sensors_search(b);
    for (uint8_t i = 0; i < b->count; i++) {
        sensors_probe(b, &b->sensors[i]);
        line_sensor(b, &b->sensors[i]);
    }
    line_sensors(b);
}

static void read_cycle(bridge *b, const char *trigger)
{
    uint8_t errors = 0;
    if (b->count == 0)
        sensors_search(b);
    if (b->count > 0) {
        /* sensors found by this cycle's own search have not been probed yet */
        for (uint8_t i = 0; i < b->count; i++) {
            if (b->sensors[i].resolution == 0)
                sensors_probe(b, &b->sensors[i]);
        }
        ow_reset_result r = sensors_convert_all(b);
        if (r != OW_PRESENCE) {
            /* nobody can be read: one error per sensor keeps the cycle's accounting exact */
            for (uint8_t i = 0; i < b->count; i++)
                line_sensor_error(b, reset_error_code(r), b->sensors[i].rom);
            errors = b->count;
        } else {
            for (uint8_t i = 0; i < b->count; i++) {
                if (!sensors_read_one(b, &b->sensors[i]))
                    errors++;
            }
        }
    }
    line_cycle(b, trigger, errors);
    b->last_cycle_ms = b->pf->millis(b->pf->ctx);
}

static void set_resolution(bridge *b, uint8_t bits)
{
    b->requested_resolution = bits;
    for (uint8_t i = 0; i < b->count; i++) {
        if (ds_has_config_register(b->sensors[i].rom[0]))
            sensors_write_resolution(b, &b->sensors[i], bits);
    }
    line_ok(b, "res", "resolution", bits);
}

static void set_interval(bridge *b, uint32_t ms)
{
    b->interval_ms = ms;
    b->last_cycle_ms = b->pf->millis(b->pf->ctx);
    line_ok(b, "interval", "interval", (int32_t)ms);
}

void bridge_execute(bridge *b, const char *text)
{
    command cmd = command_parse(text);
    switch (cmd.kind) {
    case CMD_EMPTY: break;
    case CMD_HELLO: line_hello(b); break;
    case CMD_SCAN: scan(b); break;
    case CMD_READ: read_cycle(b, "read"); break;
    case CMD_INTERVAL: set_interval(b, cmd.argument); break;
    case CMD_RES: set_resolution(b, (uint8_t)cmd.argument); break;
    case CMD_BAD_ARGUMENT: line_command_error(b, "bad_argument", cmd.name); break;
    case CMD_UNKNOWN: line_error(b, "bad_command"); break;
    }
}

void bridge_start(bridge *b, const bridge_platform *pf)
{
    memset(b, 0, sizeof *b);
    b->pf = pf;
    command_reader_reset(&b->reader);
    /* ends the line of 74880-baud boot text the host received as garbage */
    pf->write(pf->ctx, "\r\n", 2);
    line_hello(b);
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
            line_error(b, "line_too_long");
    }
    if (b->interval_ms != 0 &&
        (uint32_t)(pf->millis(pf->ctx) - b->last_cycle_ms) >= b->interval_ms)
        read_cycle(b, "interval");
}

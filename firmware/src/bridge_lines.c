#include "bridge_lines.h"

#include "json_line.h"

static void send(const bridge *b, json_line *line)
{
    size_t len = json_line_finish(line);
    if (len != 0)
        b->pf->write(b->pf->ctx, line->text, len);
}

static const char *power_name(const bridge_sensor *s)
{
    return s->parasite ? "parasite" : "external";
}

static void begin_with_ident(json_line *line, const char *type, const uint8_t *rom)
{
    char ident[IDENT_LEN + 1];
    format_ident(rom, ident);
    json_line_begin(line, type);
    json_line_string(line, "ident", ident);
}

void line_hello(const bridge *b)
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
    if (b->pf->mac)
        json_line_string(&line, "mac", b->pf->mac);
    send(b, &line);
}

void line_sensor(const bridge *b, const bridge_sensor *s)
{
    json_line line;
    begin_with_ident(&line, "sensor", s->rom);
    json_line_string(&line, "model", ds_model_name(s->rom[0]));
    json_line_string(&line, "power", power_name(s));
    json_line_int(&line, "resolution", s->resolution);
    send(b, &line);
}

void line_sensors(const bridge *b)
{
    json_line line;
    json_line_begin(&line, "sensors");
    json_line_int(&line, "count", b->count);
    send(b, &line);
}

void line_temp(const bridge *b, const bridge_sensor *s, const ds_reading *reading)
{
    json_line line;
    begin_with_ident(&line, "temp", s->rom);
    json_line_int(&line, "millicelsius", reading->millicelsius);
    json_line_int(&line, "resolution", reading->resolution);
    json_line_string(&line, "power", power_name(s));
    send(b, &line);
}

void line_cycle(const bridge *b, const char *trigger, uint8_t errors)
{
    json_line line;
    json_line_begin(&line, "cycle");
    json_line_string(&line, "trigger", trigger);
    json_line_int(&line, "count", b->count);
    json_line_int(&line, "errors", errors);
    send(b, &line);
}

void line_ok(const bridge *b, const char *command, const char *key, int32_t value)
{
    json_line line;
    json_line_begin(&line, "ok");
    json_line_string(&line, "command", command);
    json_line_int(&line, key, value);
    send(b, &line);
}

void line_error(const bridge *b, const char *code)
{
    json_line line;
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    send(b, &line);
}

void line_sensor_error(const bridge *b, const char *code, const uint8_t *rom)
{
    char ident[IDENT_LEN + 1];
    json_line line;
    format_ident(rom, ident);
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    json_line_string(&line, "ident", ident);
    send(b, &line);
}

void line_command_error(const bridge *b, const char *code, const char *command)
{
    json_line line;
    json_line_begin(&line, "err");
    json_line_string(&line, "code", code);
    json_line_string(&line, "command", command);
    send(b, &line);
}

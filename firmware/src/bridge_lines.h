#ifndef BRIDGE_LINES_H
#define BRIDGE_LINES_H

#include <stdint.h>

#include "bridge.h"
#include "ds18x20.h"

/* Every line the board sends, formatted as PROTOCOL.md section 3 specifies. */
void line_hello(const bridge *b);
void line_sensor(const bridge *b, const bridge_sensor *s);
void line_sensors(const bridge *b);
void line_temp(const bridge *b, const bridge_sensor *s, const ds_reading *reading);
void line_cycle(const bridge *b, const char *trigger, uint8_t errors);
void line_ok(const bridge *b, const char *command, const char *key, int32_t value);
void line_error(const bridge *b, const char *code);
void line_sensor_error(const bridge *b, const char *code, const uint8_t *rom);
void line_command_error(const bridge *b, const char *code, const char *command);

#endif

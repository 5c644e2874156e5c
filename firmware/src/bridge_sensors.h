#ifndef BRIDGE_SENSORS_H
#define BRIDGE_SENSORS_H

#include <stdbool.h>
#include <stdint.h>

#include "bridge.h"

/* The bus work behind the commands. Problems are reported as error lines as they happen. */

/* ROM search: fills b->sensors with the supported sensors (at most BRIDGE_MAX_SENSORS). */
void sensors_search(bridge *b);
/* Power mode and resolution of one sensor; applies the remembered `res` setting. */
void sensors_probe(bridge *b, bridge_sensor *s);
/* Writes the configuration register, keeping TH/TL, and reads it back. */
void sensors_write_resolution(bridge *b, bridge_sensor *s, uint8_t bits);
/* CONVERT T on every sensor at once, waiting until the conversion is done. */
ow_reset_result sensors_convert_all(bridge *b);
/* Reads and checks one sensor's scratchpad; sends its temp or err line. */
bool sensors_read_one(bridge *b, const bridge_sensor *s);

const char *reset_error_code(ow_reset_result r);

#endif

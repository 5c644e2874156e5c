#ifndef BRIDGE_H
#define BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "command.h"
#include "onewire.h"

#define BRIDGE_FIRMWARE_NAME "ds18b20-bridge"
#define BRIDGE_VERSION "1.1.0"
#define BRIDGE_PROTOCOL 1
#define BRIDGE_MAX_SENSORS 16

/* Everything the bridge needs from the board it runs on. */
typedef struct bridge_platform {
    void *ctx;
    void (*write)(void *ctx, const char *text, size_t len);
    int (*read_byte)(void *ctx); /* -1 when nothing is waiting */
    uint32_t (*millis)(void *ctx);
    void (*sleep_ms)(void *ctx, uint32_t ms); /* at least ms: a parasite pull-up spans it */
    const ow_bus *bus;
    uint8_t pin; /* GPIO number reported in the hello line */
    const char *mac; /* "aa:bb:cc:dd:ee:ff" for the hello line; NULL where the board has none */
} bridge_platform;

typedef struct bridge_sensor {
    uint8_t rom[OW_ROM_LEN];
    uint8_t parasite;
    uint8_t resolution;
} bridge_sensor;

typedef struct bridge {
    const bridge_platform *pf;
    bridge_sensor sensors[BRIDGE_MAX_SENSORS];
    uint8_t count;
    uint8_t requested_resolution; /* 0 = leave sensors as they are */
    uint32_t interval_ms;         /* 0 = no automatic reads */
    uint32_t last_cycle_ms;
    command_reader reader;
} bridge;

/* Sends the wake-up "\r\n", the hello line, and scans the bus. */
void bridge_start(bridge *b, const bridge_platform *pf);
/* Handles every byte waiting on the serial port and runs a due automatic read. */
void bridge_poll(bridge *b);
/* Runs one command line (without its newline). */
void bridge_execute(bridge *b, const char *line);

#endif

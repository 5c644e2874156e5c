#ifndef ONEWIRE_H
#define ONEWIRE_H

#include <stdbool.h>
#include <stdint.h>

/* What a reset pulse found on the bus. */
typedef enum {
    OW_PRESENCE = 0, /* at least one device answered */
    OW_EMPTY,        /* no presence pulse */
    OW_SHORT         /* the line stays low when released */
} ow_reset_result;

/* The only platform-specific part of the 1-Wire stack: the chip drives a GPIO with
 * cycle-counted slots, the tests drive a simulated bus. */
typedef struct ow_bus {
    void *ctx;
    ow_reset_result (*reset)(void *ctx);
    /* One time slot: writing 1 is also a read slot; returns the sampled level. */
    uint8_t (*touch_bit)(void *ctx, uint8_t bit);
    /* A write slot that ends with DQ driven high (the strong pull-up) instead of released, so
     * parasite-powered devices get their conversion current within microseconds. */
    void (*write_bit_pullup)(void *ctx, uint8_t bit);
    /* Ends the strong pull-up: DQ is left to the pull-up resistor again. */
    void (*end_pullup)(void *ctx);
} ow_bus;

enum {
    OW_CMD_SEARCH_ROM = 0xF0,
    OW_CMD_READ_ROM = 0x33,
    OW_CMD_MATCH_ROM = 0x55,
    OW_CMD_SKIP_ROM = 0xCC,
    OW_CMD_ALARM_SEARCH = 0xEC
};

#define OW_ROM_LEN 8

ow_reset_result ow_reset(const ow_bus *bus);
uint8_t ow_touch_bit(const ow_bus *bus, uint8_t bit);
void ow_write_byte(const ow_bus *bus, uint8_t value);
uint8_t ow_read_byte(const ow_bus *bus);
void ow_read_bytes(const ow_bus *bus, uint8_t *out, int len);
/* Writes a byte and keeps DQ strongly pulled up after its last bit (until ow_end_pullup). */
void ow_write_byte_pullup(const ow_bus *bus, uint8_t value);
void ow_end_pullup(const ow_bus *bus);

/* Reset, then address one device (MATCH ROM) or every device (rom == NULL: SKIP ROM). */
ow_reset_result ow_select(const ow_bus *bus, const uint8_t *rom);

/* ROM search state (Maxim application note 187). Zero it to start a new search. */
typedef struct ow_search {
    uint8_t rom[OW_ROM_LEN];
    uint8_t last_discrepancy; /* 1-based bit index of the last branch taken as 0 */
    bool done;
} ow_search;

typedef enum {
    OW_FOUND = 0,     /* s->rom holds the next device */
    OW_SEARCH_DONE,   /* every device was reported */
    OW_SEARCH_EMPTY,  /* no presence pulse */
    OW_SEARCH_SHORT,  /* bus shorted */
    OW_SEARCH_LOST,   /* nobody answered a bit pair (device left mid-search) */
    OW_SEARCH_CRC     /* the assembled ROM id fails its CRC */
} ow_search_result;

ow_search_result ow_search_next(const ow_bus *bus, ow_search *s, uint8_t command);

#endif

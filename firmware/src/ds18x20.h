#ifndef DS18X20_H
#define DS18X20_H

#include <stdbool.h>
#include <stdint.h>

/* Family codes (ROM byte 0) of the temperature sensors the bridge reads. */
enum {
    DS_FAMILY_DS18S20 = 0x10,
    DS_FAMILY_DS1822 = 0x22,
    DS_FAMILY_DS18B20 = 0x28,
    DS_FAMILY_DS1825 = 0x3B,
    DS_FAMILY_DS28EA00 = 0x42
};

enum {
    DS_CMD_CONVERT_T = 0x44,
    DS_CMD_WRITE_SCRATCHPAD = 0x4E,
    DS_CMD_READ_SCRATCHPAD = 0xBE,
    DS_CMD_READ_POWER_SUPPLY = 0xB4
};

#define DS_SCRATCHPAD_LEN 9

typedef enum {
    DS_OK = 0,
    DS_ERR_NO_DEVICE,      /* all 0xFF: nobody drove the bus */
    DS_ERR_BUS_SHORT,      /* all 0x00: the bus was held low */
    DS_ERR_CRC,
    DS_ERR_POWER_ON_VALUE  /* 85 degrees with byte 6 still 0x0C: no conversion happened */
} ds_status;

typedef struct ds_reading {
    int32_t millicelsius;
    uint8_t resolution;
} ds_reading;

/* Model name for a family code, or NULL when the family is not a supported sensor. */
const char *ds_model_name(uint8_t family);
bool ds_has_config_register(uint8_t family);

/* Checks and decodes a 9-byte scratchpad the way Linux's w1_therm does, so a host sees the
 * same millidegrees from this bridge and from /sys/bus/w1. */
ds_status ds_decode(uint8_t family, const uint8_t scratchpad[DS_SCRATCHPAD_LEN], ds_reading *out);

/* Configuration byte for 9..12 bits: 0 R1 R0 1 1 1 1 1. */
uint8_t ds_config_for_resolution(uint8_t bits);
uint8_t ds_resolution_of_config(uint8_t config);

/* Datasheet maximum conversion time in ms (DS18S20: always 750). */
uint32_t ds_conversion_ms(uint8_t family, uint8_t resolution);

#endif

#include "ds18x20.h"

#include "crc8.h"

/* Power-on scratchpad temperatures (datasheets): 85.0 degrees. */
#define POWER_ON_RAW_12BIT 0x0550
#define POWER_ON_RAW_DS18S20 0x00AA
#define POWER_ON_RESERVED_BYTE6 0x0C

const char *ds_model_name(uint8_t family)
{
    switch (family) {
    case DS_FAMILY_DS18S20: return "DS18S20";
    case DS_FAMILY_DS1822: return "DS1822";
    case DS_FAMILY_DS18B20: return "DS18B20";
    case DS_FAMILY_DS1825: return "DS1825";
    case DS_FAMILY_DS28EA00: return "DS28EA00";
    default: return 0;
    }
}

bool ds_has_config_register(uint8_t family)
{
    return ds_model_name(family) != 0 && family != DS_FAMILY_DS18S20;
}

uint8_t ds_config_for_resolution(uint8_t bits)
{
    if (bits < 9)
        bits = 9;
    if (bits > 12)
        bits = 12;
    return (uint8_t)(((bits - 9u) << 5) | 0x1Fu);
}

uint8_t ds_resolution_of_config(uint8_t config)
{
    return (uint8_t)(((config >> 5) & 3u) + 9u);
}

uint32_t ds_conversion_ms(uint8_t family, uint8_t resolution)
{
    if (family == DS_FAMILY_DS18S20)
        return 750;
    switch (resolution) {
    case 9: return 94;   /* 93.75 */
    case 10: return 188; /* 187.5 */
    case 11: return 375;
    default: return 750;
    }
}

static bool all_bytes_are(const uint8_t *p, int len, uint8_t value)
{
    for (int i = 0; i < len; i++) {
        if (p[i] != value)
            return false;
    }
    return true;
}

/* Linux w1_therm: (raw >> 1) * 1000 - 250 + 1000 * (COUNT_PER_C - COUNT_REMAIN) / COUNT_PER_C. */
static int32_t ds18s20_millicelsius(const uint8_t *sp)
{
    int32_t raw = (int16_t)(uint16_t)(sp[0] | ((uint16_t)sp[1] << 8));
    int32_t count_remain = sp[6];
    int32_t count_per_c = sp[7];
    if (count_per_c == 0)
        return 0; /* Linux returns 0 for this impossible scratchpad too */
    int32_t t = (raw >> 1) * 1000 - 250;
    return t + (1000 * (count_per_c - count_remain)) / count_per_c;
}

/* Linux w1_therm: signed 1/16 degree steps, times 1000, truncated toward zero. With config
 * bit 7 set (GX20MH01 13/14-bit mode) two more bits come from the config byte; the DS1825
 * family instead uses bit 7 to flag MAX31850 fault bits, which are masked. */
static int32_t ds18b20_millicelsius(uint8_t family, const uint8_t *sp)
{
    uint16_t bits = (uint16_t)(sp[0] | ((uint16_t)sp[1] << 8));
    uint8_t config = sp[4];
    if (config & 0x80u) {
        if (family == DS_FAMILY_DS1825) {
            bits &= 0xFFFCu;
        } else {
            bits = (uint16_t)((bits << 2) | (config & 3u));
            return (int32_t)(int16_t)bits * 1000 / 64;
        }
    }
    return (int32_t)(int16_t)bits * 1000 / 16;
}

ds_status ds_decode(uint8_t family, const uint8_t sp[DS_SCRATCHPAD_LEN], ds_reading *out)
{
    if (all_bytes_are(sp, DS_SCRATCHPAD_LEN, 0xFF))
        return DS_ERR_NO_DEVICE;
    if (all_bytes_are(sp, DS_SCRATCHPAD_LEN, 0x00))
        return DS_ERR_BUS_SHORT;
    if (crc8_maxim(sp, DS_SCRATCHPAD_LEN) != 0)
        return DS_ERR_CRC;

    uint16_t raw = (uint16_t)(sp[0] | ((uint16_t)sp[1] << 8));
    uint16_t power_on = (family == DS_FAMILY_DS18S20) ? POWER_ON_RAW_DS18S20 : POWER_ON_RAW_12BIT;
    if (raw == power_on && sp[6] == POWER_ON_RESERVED_BYTE6)
        return DS_ERR_POWER_ON_VALUE;

    if (family == DS_FAMILY_DS18S20) {
        out->millicelsius = ds18s20_millicelsius(sp);
        out->resolution = 9;
    } else {
        out->millicelsius = ds18b20_millicelsius(family, sp);
        out->resolution = ds_resolution_of_config(sp[4]);
    }
    return DS_OK;
}

#include "crc8.h"
#include "ds18x20.h"
#include "unit.h"

/* A scratchpad as a genuine DS18B20 leaves it after a conversion. */
static void ds18b20_scratchpad(uint8_t sp[9], uint16_t raw, uint8_t config)
{
    sp[0] = (uint8_t)raw;
    sp[1] = (uint8_t)(raw >> 8);
    sp[2] = 0x4B;
    sp[3] = 0x46;
    sp[4] = config;
    sp[5] = 0xFF;
    sp[6] = (uint8_t)(0x10 - (raw & 0x0F));
    sp[7] = 0x10;
    sp[8] = crc8_maxim(sp, 8);
}

static void ds18s20_scratchpad(uint8_t sp[9], uint16_t raw, uint8_t count_remain)
{
    sp[0] = (uint8_t)raw;
    sp[1] = (uint8_t)(raw >> 8);
    sp[2] = 0x4B;
    sp[3] = 0x46;
    sp[4] = 0xFF;
    sp[5] = 0xFF;
    sp[6] = count_remain;
    sp[7] = 0x10;
    sp[8] = crc8_maxim(sp, 8);
}

static int32_t decode_ok(uint8_t family, const uint8_t sp[9])
{
    ds_reading reading = { 0, 0 };
    CHECK_EQ(ds_decode(family, sp, &reading), DS_OK);
    return reading.millicelsius;
}

/* DS18B20 datasheet table 1 (temperature/data relationship); millidegrees as Linux's
 * w1_therm computes them (raw * 1000 / 16, truncated toward zero). */
static void ds18b20_datasheet_table(void)
{
    static const struct { uint16_t raw; int32_t millicelsius; } table[] = {
        { 0x07D0, 125000 }, { 0x0550, 85000 }, { 0x0191, 25062 }, { 0x00A2, 10125 },
        { 0x0008, 500 },    { 0x0000, 0 },     { 0xFFF8, -500 },  { 0xFF5E, -10125 },
        { 0xFE6F, -25062 }, { 0xFC90, -55000 },
    };
    uint8_t sp[9];
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
        ds18b20_scratchpad(sp, table[i].raw, 0x7F);
        CHECK_EQ(decode_ok(DS_FAMILY_DS18B20, sp), table[i].millicelsius);
        CHECK_EQ(decode_ok(DS_FAMILY_DS1822, sp), table[i].millicelsius);
    }
}

/* DS18S20 datasheet table 1 plus the extended-resolution formula with COUNT_REMAIN. */
static void ds18s20_datasheet_table(void)
{
    static const struct { uint16_t raw; uint8_t count_remain; int32_t millicelsius; } table[] = {
        { 0x00AA, 0x0C, 85000 },  /* with COUNT_REMAIN 0x0C this is the power-on value */
        { 0x0032, 0x0C, 25000 },  { 0x0031, 0x0A, 24125 },  { 0x0001, 0x0C, 0 },
        { 0x0000, 0x0C, 0 },      { 0xFFFF, 0x0C, -1000 },  { 0xFFCE, 0x0C, -25000 },
        { 0xFF92, 0x0C, -55000 }, { 0x0032, 0x01, 25687 },  { 0x0032, 0x10, 24750 },
    };
    uint8_t sp[9];
    ds_reading reading;
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
        ds18s20_scratchpad(sp, table[i].raw, table[i].count_remain);
        ds_status status = ds_decode(DS_FAMILY_DS18S20, sp, &reading);
        if (i == 0) {
            CHECK_EQ(status, DS_ERR_POWER_ON_VALUE);
            continue;
        }
        CHECK_EQ(status, DS_OK);
        CHECK_EQ(reading.millicelsius, table[i].millicelsius);
        CHECK_EQ(reading.resolution, 9);
    }
}

static void resolution_from_config(void)
{
    static const uint8_t configs[4] = { 0x1F, 0x3F, 0x5F, 0x7F };
    uint8_t sp[9];
    ds_reading reading;
    for (uint8_t bits = 9; bits <= 12; bits++) {
        CHECK_EQ(ds_config_for_resolution(bits), configs[bits - 9]);
        CHECK_EQ(ds_resolution_of_config(configs[bits - 9]), bits);
        ds18b20_scratchpad(sp, 0x0190, configs[bits - 9]);
        CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_OK);
        CHECK_EQ(reading.resolution, bits);
    }
    CHECK_EQ(ds_conversion_ms(DS_FAMILY_DS18B20, 9), 94);
    CHECK_EQ(ds_conversion_ms(DS_FAMILY_DS18B20, 10), 188);
    CHECK_EQ(ds_conversion_ms(DS_FAMILY_DS18B20, 11), 375);
    CHECK_EQ(ds_conversion_ms(DS_FAMILY_DS18B20, 12), 750);
    CHECK_EQ(ds_conversion_ms(DS_FAMILY_DS18S20, 9), 750);
}

static void quality_errors(void)
{
    uint8_t sp[9];
    ds_reading reading;

    for (int i = 0; i < 9; i++)
        sp[i] = 0xFF;
    CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_ERR_NO_DEVICE);
    for (int i = 0; i < 9; i++)
        sp[i] = 0x00;
    CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_ERR_BUS_SHORT);

    ds18b20_scratchpad(sp, 0x0191, 0x7F);
    sp[0] ^= 0x01;
    CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_ERR_CRC);

    /* datasheet power-on scratchpad: 85 degrees and byte 6 = 0x0C */
    static const uint8_t power_on[8] = { 0x50, 0x05, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10 };
    for (int i = 0; i < 8; i++)
        sp[i] = power_on[i];
    sp[8] = crc8_maxim(sp, 8);
    CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_ERR_POWER_ON_VALUE);

    /* a real 85.0 reading has byte 6 = 0x10 on genuine parts */
    ds18b20_scratchpad(sp, 0x0550, 0x7F);
    CHECK_EQ(ds_decode(DS_FAMILY_DS18B20, sp, &reading), DS_OK);
    CHECK_EQ(reading.millicelsius, 85000);
}

static void extended_modes(void)
{
    uint8_t sp[9];
    /* GX20MH01 in 14-bit mode: two more bits from the config byte, 1/64 degree steps */
    ds18b20_scratchpad(sp, 0x0191, 0x83);
    CHECK_EQ(decode_ok(DS_FAMILY_DS18B20, sp), 25109);
    /* DS1825 family with config bit 7 (MAX31850): fault bits 0..1 are masked */
    ds18b20_scratchpad(sp, 0x0193, 0x80);
    CHECK_EQ(decode_ok(DS_FAMILY_DS1825, sp), 25000);
}

static void model_names(void)
{
    CHECK(ds_model_name(0x28) != 0);
    CHECK(ds_model_name(0x10) != 0);
    CHECK(ds_model_name(0x22) != 0);
    CHECK(ds_model_name(0x01) == 0);
    CHECK(!ds_has_config_register(0x10));
    CHECK(ds_has_config_register(0x28));
}

void ds18x20_tests(void)
{
    unit_run("ds18x20: DS18B20/DS1822 datasheet temperature table", ds18b20_datasheet_table);
    unit_run("ds18x20: DS18S20 table and extended resolution", ds18s20_datasheet_table);
    unit_run("ds18x20: resolution config bytes and conversion times", resolution_from_config);
    unit_run("ds18x20: all-0xFF, all-zero, CRC and power-on value are errors", quality_errors);
    unit_run("ds18x20: GX20MH01 14-bit and DS1825 fault-bit masking", extended_modes);
    unit_run("ds18x20: model names by family", model_names);
}

#include "crc8.h"
#include "unit.h"

static void check_value_vector(void)
{
    static const uint8_t text[] = { '1', '2', '3', '4', '5', '6', '7', '8', '9' };
    CHECK_EQ(crc8_maxim(text, sizeof text), 0xA1); /* CRC-8/MAXIM-DOW check value */
}

static void an27_rom_example(void)
{
    /* Maxim AN27: ROM 02 1C B8 01 00 00 00 has CRC A2 */
    static const uint8_t rom[8] = { 0x02, 0x1C, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xA2 };
    CHECK_EQ(crc8_maxim(rom, 7), 0xA2);
    CHECK_EQ(crc8_maxim(rom, 8), 0);
}

static void power_on_scratchpad(void)
{
    static const uint8_t sp[8] = { 0x50, 0x05, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10 };
    CHECK_EQ(crc8_maxim(sp, 8), 0x1C);
}

static void empty_and_single_bit(void)
{
    static const uint8_t one = 0x01;
    CHECK_EQ(crc8_maxim(&one, 0), 0);
    CHECK_EQ(crc8_maxim(&one, 1), 0x5E);
}

void crc8_tests(void)
{
    unit_run("crc8: check value of \"123456789\" is 0xA1", check_value_vector);
    unit_run("crc8: AN27 ROM example, block plus CRC gives 0", an27_rom_example);
    unit_run("crc8: DS18B20 power-on scratchpad CRC 0x1C", power_on_scratchpad);
    unit_run("crc8: empty block and a single bit", empty_and_single_bit);
}

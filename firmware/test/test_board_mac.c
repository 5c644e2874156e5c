#include <string.h>

#include "board_mac.h"
#include "unit.h"

static char text[MAC_TEXT_LEN + 1];

static void espressif_prefix_by_code(void)
{
    /* prefix code 0 in word 1 bits 16..23; the upper byte of word 1 is not part of the MAC */
    static const uint32_t code0[4] = { 0x5C00FFFFu, 0x0200A1B2u, 0x12345678u, 0 };
    CHECK(mac_from_efuse(code0, text));
    CHECK(strcmp(text, "18:fe:34:a1:b2:5c") == 0);
    static const uint32_t code1[4] = { 0x01000000u, 0x0001CCDDu, 0, 0 };
    CHECK(mac_from_efuse(code1, text));
    CHECK(strcmp(text, "ac:d0:74:cc:dd:01") == 0);
}

static void prefix_from_word3(void)
{
    static const uint32_t efuse[4] = { 0xEE000000u, 0x00051122u, 0, 0x00ABCDEFu };
    CHECK(mac_from_efuse(efuse, text));
    CHECK(strcmp(text, "ab:cd:ef:11:22:ee") == 0);
}

static void unknown_prefix_code(void)
{
    static const uint32_t efuse[4] = { 0, 0x00020000u, 0, 0 };
    CHECK_EQ(mac_from_efuse(efuse, text), 0);
}

void board_mac_tests(void)
{
    unit_run("board mac: Espressif prefix from the code in word 1", espressif_prefix_by_code);
    unit_run("board mac: a vendor prefix in word 3 wins", prefix_from_word3);
    unit_run("board mac: an unknown prefix code gives no MAC", unknown_prefix_code);
}

#include "unit.h"

/* Runs every unit test; the exit status is the number of failures. */
int unit_main(void)
{
    crc8_tests();
    ds18x20_tests();
    search_tests();
    command_tests();
    bridge_tests();
    board_mac_tests();
    return unit_summary();
}

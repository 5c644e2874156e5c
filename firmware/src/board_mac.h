#ifndef BOARD_MAC_H
#define BOARD_MAC_H

#include <stdint.h>

/* "aa:bb:cc:dd:ee:ff" */
#define MAC_TEXT_LEN 17

/* The station MAC an ESP8266 holds in its eFuse words EFUSE_DATA0..3, decoded as Espressif's esptool
 * reads it for this chip (targets/esp8266.py, read_mac): the vendor prefix from word 3 when it is set,
 * else 18:fe:34 or ac:d0:74 by bits 16..23 of word 1; the last three bytes from word 1 bits 8..15,
 * word 1 bits 0..7 and word 0 bits 24..31. Returns 0 for a prefix code esptool does not know either. */
int mac_from_efuse(const uint32_t efuse[4], char out[MAC_TEXT_LEN + 1]);

#endif

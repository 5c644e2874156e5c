#include "board_mac.h"

int mac_from_efuse(const uint32_t efuse[4], char out[MAC_TEXT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint32_t oui;
    uint32_t prefix_code = (efuse[1] >> 16) & 0xFFu;
    if (efuse[3] != 0)
        oui = efuse[3] & 0xFFFFFFu;
    else if (prefix_code == 0)
        oui = 0x18FE34u;
    else if (prefix_code == 1)
        oui = 0xACD074u;
    else
        return 0;
    uint8_t mac[6] = {
        (uint8_t)(oui >> 16), (uint8_t)(oui >> 8), (uint8_t)oui,
        (uint8_t)(efuse[1] >> 8), (uint8_t)efuse[1], (uint8_t)(efuse[0] >> 24),
    };
    for (int i = 0; i < 6; i++) {
        out[3 * i] = hex[mac[i] >> 4];
        out[3 * i + 1] = hex[mac[i] & 15];
        out[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    return 1;
}

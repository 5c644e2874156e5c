#include "crc8.h"

uint8_t crc8_maxim(const uint8_t *data, size_t len)
{
    uint8_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t byte = data[i];
        for (int bit = 0; bit < 8; bit++) {
            uint8_t mix = (uint8_t)((crc ^ byte) & 1u);
            crc >>= 1;
            if (mix)
                crc ^= 0x8C; /* 0x31 reflected */
            byte >>= 1;
        }
    }
    return crc;
}

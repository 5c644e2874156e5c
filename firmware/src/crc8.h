#ifndef CRC8_H
#define CRC8_H

#include <stddef.h>
#include <stdint.h>

/* Dallas/Maxim CRC-8 (x^8 + x^5 + x^4 + 1, reflected, initial value 0) as used for
 * 1-Wire ROM ids and scratchpads (Maxim application note 27). A block followed by its
 * own CRC byte yields 0. */
uint8_t crc8_maxim(const uint8_t *data, size_t len);

#endif

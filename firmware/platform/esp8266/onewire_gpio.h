#ifndef ONEWIRE_GPIO_H
#define ONEWIRE_GPIO_H

#include "onewire.h"

/* The 1-Wire bus on a GPIO pin (OW_GPIO at build time, GPIO4 = D2 by default). */
void onewire_gpio_init(ow_bus *bus);
uint8_t onewire_gpio_pin(void);

#endif

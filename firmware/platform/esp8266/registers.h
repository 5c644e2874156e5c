#ifndef REGISTERS_H
#define REGISTERS_H

#include <stdint.h>

/* ESP8266 peripheral registers (addresses from Espressif's eagle_soc.h / pin_mux_register.h
 * register maps and the ESP8266 technical reference). */
#define REG32(addr) (*(volatile uint32_t *)(addr))

/* eFuse words EFUSE_DATA0..3, where the chip keeps its MAC (esptool targets/esp8266.py: ESP_OTP_MAC0..3) */
#define EFUSE_DATA(n) REG32(0x3FF00050 + 4u * (n))

#define UART0_FIFO REG32(0x60000000)
#define UART0_INT_ENA REG32(0x6000000C)
#define UART0_INT_CLR REG32(0x60000010)
#define UART0_STATUS REG32(0x6000001C)  /* [7:0] RX count, [23:16] TX count */
#define UART_FIFO_SIZE 128u

#define GPIO_OUT_W1TS REG32(0x60000304)
#define GPIO_OUT_W1TC REG32(0x60000308)
#define GPIO_ENABLE_W1TS REG32(0x60000310)
#define GPIO_ENABLE_W1TC REG32(0x60000314)
#define GPIO_IN REG32(0x60000318)
#define GPIO_PIN_CONFIG(n) REG32(0x60000328 + 4u * (n)) /* bit 2: open-drain pad driver */

#define IO_MUX_BASE 0x60000800u
#define IO_MUX_FUNC_MASK (0x13u << 4) /* function number bits 0,1 -> 4,5 and bit 2 -> 8 */
#define IO_MUX_PULLUP (1u << 7)

#define WDT_CTL REG32(0x60000900)
#define WDT_FEED REG32(0x60000914)
#define WDT_FEED_MAGIC 0x73u

#endif

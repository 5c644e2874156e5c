/* Entry point and board glue: the mask ROM loads this RAM-only image and calls
 * call_user_start with its own stack; we never return to it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "board_mac.h"
#include "bridge.h"
#include "cpu.h"
#include "onewire_gpio.h"
#include "registers.h"

/* mask ROM */
void uart_div_modify(uint8_t uart, uint32_t divisor);
void ets_update_cpu_frequency(uint32_t mhz);

extern char _bss_start[];
extern char _bss_end[];

#define BAUD 115200u

static void uart_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        while (((UART0_STATUS >> 16) & 0xFFu) >= UART_FIFO_SIZE - 2u) {
        }
        UART0_FIFO = (uint8_t)text[i];
    }
}

static int uart_read(void *ctx)
{
    (void)ctx;
    if ((UART0_STATUS & 0xFFu) == 0)
        return -1;
    return (int)(UART0_FIFO & 0xFFu);
}

/* Milliseconds from the cycle counter, which wraps every 82 s at 52 MHz; the main loop
 * calls this far more often than that. Counting whole milliseconds avoids a division. */
static uint32_t clock_ms;
static uint32_t clock_last_cycles;
static uint32_t clock_spare_cycles;

static uint32_t board_millis(void *ctx)
{
    (void)ctx;
    uint32_t now = cpu_cycles();
    clock_spare_cycles += now - clock_last_cycles;
    clock_last_cycles = now;
    while (clock_spare_cycles >= CPU_MHZ * 1000u) {
        clock_spare_cycles -= CPU_MHZ * 1000u;
        clock_ms++;
    }
    return clock_ms;
}

/* Waits at least `ms` milliseconds, counted in cycles from the call. Counting whole milliseconds
 * of board_millis could end up to 1 ms early, and a parasite-powered sensor's strong pull-up must
 * last the whole conversion time. Sleeps are far shorter than the cycle counter's wrap. */
static void board_sleep_ms(void *ctx, uint32_t ms)
{
    (void)ctx;
    uint32_t start = cpu_cycles();
    uint32_t cycles = ms * (CPU_MHZ * 1000u);
    while ((uint32_t)(cpu_cycles() - start) < cycles) {
    }
}

static void wait_tx_empty(void)
{
    while (((UART0_STATUS >> 16) & 0xFFu) != 0) {
    }
}

static const char *efuse_mac(void)
{
    static char text[MAC_TEXT_LEN + 1];
    uint32_t efuse[4];
    for (unsigned i = 0; i < 4; i++)
        efuse[i] = EFUSE_DATA(i);
    return mac_from_efuse(efuse, text) ? text : NULL;
}

static ow_bus bus;
static bridge_platform platform;
static bridge bridge_state;

void call_user_start(void) __attribute__((section(".entry.text"), noreturn));

void call_user_start(void)
{
    /* The ROM never starts the hardware watchdog on this boot path; make sure it is off,
     * since a bridge can sit idle for hours between commands. */
    WDT_CTL &= ~1u;
    WDT_FEED = WDT_FEED_MAGIC;
    memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));

    /* The serial port is polled: no ROM handler may take received bytes first. */
    UART0_INT_ENA = 0;
    UART0_INT_CLR = 0x1FFu;
    /* Let the ROM's boot text (74880 baud) leave before switching to 115200. */
    wait_tx_empty();
    uart_div_modify(0, (CPU_MHZ * 1000000u) / BAUD);
    ets_update_cpu_frequency(CPU_MHZ);

    onewire_gpio_init(&bus);
    clock_last_cycles = cpu_cycles();
    platform.write = uart_write;
    platform.read_byte = uart_read;
    platform.millis = board_millis;
    platform.sleep_ms = board_sleep_ms;
    platform.bus = &bus;
    platform.pin = onewire_gpio_pin();
    platform.mac = efuse_mac();

    bridge_start(&bridge_state, &platform);
    for (;;)
        bridge_poll(&bridge_state);
}

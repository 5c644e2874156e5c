/* The bridge firmware's main loop on the lx106 ISA under QEMU: the serial port is the
 * semihosting stdin/stdout, the 1-Wire bus is the simulated bus with a fixed set of
 * sensors, and time is the simulated bus clock. End of input ends the program. */
#include <string.h>

#include "bridge.h"
#include "semihosting.h"
#include "simbus.h"

int qemu_main(void);

static simbus sim;
static bridge_platform platform;
static bridge bridge_state;

static void console_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    semihosting_write(1, text, len);
}

static int console_read(void *ctx)
{
    (void)ctx;
    unsigned char c;
    if (semihosting_read(0, &c, 1) != 1)
        semihosting_exit(0);
    return c;
}

static uint32_t sim_millis(void *ctx)
{
    (void)ctx;
    return simbus_millis(&sim);
}

static void sim_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    simbus_advance_us(&sim, ms * 1000u);
}

/* Three sensors: the examples of PROTOCOL.md plus a DS1822 whose scratchpad arrives
 * corrupted twice (the scan's probe and the first read cycle). */
static void populate(void)
{
    static const uint8_t a[6] = { 0xff, 0x50, 0x79, 0xa2, 0x16, 0x03 };
    static const uint8_t b[6] = { 0xc3, 0xa1, 0xb4, 0x02, 0x08, 0x00 };
    static const uint8_t c[6] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
    simbus_init(&sim);
    sim_device_set_temperature(simbus_add(&sim, 0x28, a), (int16_t)0x0157);
    sim_device *s20 = simbus_add(&sim, 0x10, b);
    s20->parasite = 1;
    sim_device_set_ds18s20(s20, 0xFFCE, 0x0A);
    sim_device *flaky = simbus_add(&sim, 0x22, c);
    sim_device_set_temperature(flaky, (int16_t)0xFF5E);
    flaky->corrupt_reads = 2;
}

int qemu_main(void)
{
    populate();
    platform.write = console_write;
    platform.read_byte = console_read;
    platform.millis = sim_millis;
    platform.sleep_ms = sim_sleep;
    platform.bus = &sim.bus;
    platform.pin = 4;
    bridge_start(&bridge_state, &platform);
    for (;;)
        bridge_poll(&bridge_state);
}

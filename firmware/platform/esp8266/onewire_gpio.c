#include "onewire_gpio.h"

#include "cpu.h"
#include "registers.h"

#ifndef OW_GPIO
#define OW_GPIO 4 /* D2 on NodeMCU and Wemos D1 mini */
#endif

/* IO_MUX register offset and GPIO function number of the pins that can carry the bus
 * (GPIO0, 2 and 15 are boot straps, 1 and 3 are the serial port). */
#if OW_GPIO == 4
#define PIN_MUX_OFFSET 0x3Cu
#define PIN_FUNC_GPIO 0u
#elif OW_GPIO == 5
#define PIN_MUX_OFFSET 0x40u
#define PIN_FUNC_GPIO 0u
#elif OW_GPIO == 12
#define PIN_MUX_OFFSET 0x04u
#define PIN_FUNC_GPIO 3u
#elif OW_GPIO == 13
#define PIN_MUX_OFFSET 0x08u
#define PIN_FUNC_GPIO 3u
#elif OW_GPIO == 14
#define PIN_MUX_OFFSET 0x0Cu
#define PIN_FUNC_GPIO 3u
#else
#error "OW_GPIO must be 4, 5, 12, 13 or 14"
#endif

#define PIN_MASK (1u << OW_GPIO)

/* Open-drain by keeping the output latch at 0 and switching the driver on (line low) or
 * off (the pull-up resistor takes the line high). */
static inline void line_low(void)
{
    GPIO_ENABLE_W1TS = PIN_MASK;
}

static inline void line_release(void)
{
    GPIO_ENABLE_W1TC = PIN_MASK;
}

static inline uint8_t line_level(void)
{
    return (GPIO_IN & PIN_MASK) ? 1 : 0;
}

/* Standard-speed timings (Maxim AN126, as Linux's w1 core uses them). */
#define RESET_LOW_US 480u
#define PRESENCE_SAMPLE_US 70u
#define RESET_SLOT_US 480u
#define WRITE1_LOW_US 6u
#define WRITE0_LOW_US 60u
#define READ_SAMPLE_US 15u
#define SLOT_US 70u

static ow_reset_result gpio_reset(void *ctx)
{
    (void)ctx;
    line_release();
    uint32_t start = cpu_cycles();
    cpu_wait_until(start, 5);
    if (!line_level())
        return OW_SHORT;

    start = cpu_cycles();
    line_low();
    cpu_wait_until(start, RESET_LOW_US);
    uint32_t ps = cpu_mask_interrupts();
    start = cpu_cycles();
    line_release();
    cpu_wait_until(start, PRESENCE_SAMPLE_US);
    uint8_t presence = (uint8_t)!line_level();
    cpu_restore(ps);
    cpu_wait_until(start, RESET_SLOT_US);
    /* presence pulses last at most 240 us: a line still low now is held down */
    if (!line_level())
        return OW_SHORT;
    return presence ? OW_PRESENCE : OW_EMPTY;
}

/* Interrupts are masked only from the falling edge to the sample, the part of a slot whose
 * timing matters; the recovery time after it may stretch harmlessly. */
static uint8_t gpio_touch_bit(void *ctx, uint8_t bit)
{
    (void)ctx;
    uint8_t level;
    uint32_t ps = cpu_mask_interrupts();
    uint32_t start = cpu_cycles();
    line_low();
    if (bit) {
        cpu_wait_until(start, WRITE1_LOW_US);
        line_release();
        cpu_wait_until(start, READ_SAMPLE_US);
        level = line_level();
    } else {
        cpu_wait_until(start, WRITE0_LOW_US);
        line_release();
        level = 0;
    }
    cpu_restore(ps);
    cpu_wait_until(start, SLOT_US);
    return level;
}

/* Parasite-powered devices draw their conversion current from DQ, and the datasheets want
 * it driven high (not just through the 4.7 kOhm resistor) within 10 us of the command's last
 * bit. The driver is already on while the slot holds the line low, so flipping the output
 * latch to 1 turns "pull low" into "drive high" at once. */
static void gpio_write_bit_pullup(void *ctx, uint8_t bit)
{
    (void)ctx;
    uint32_t ps = cpu_mask_interrupts();
    uint32_t start = cpu_cycles();
    line_low();
    cpu_wait_until(start, bit ? WRITE1_LOW_US : WRITE0_LOW_US);
    GPIO_OUT_W1TS = PIN_MASK;
    cpu_restore(ps);
    cpu_wait_until(start, SLOT_US);
}

static void gpio_end_pullup(void *ctx)
{
    (void)ctx;
    GPIO_ENABLE_W1TC = PIN_MASK;
    GPIO_OUT_W1TC = PIN_MASK;
}

void onewire_gpio_init(ow_bus *bus)
{
    volatile uint32_t *mux = (volatile uint32_t *)(IO_MUX_BASE + PIN_MUX_OFFSET);
    uint32_t func_bits = ((PIN_FUNC_GPIO & 4u) << 2 | (PIN_FUNC_GPIO & 3u)) << 4;
    *mux = (*mux & ~IO_MUX_FUNC_MASK) | func_bits | IO_MUX_PULLUP;
    GPIO_PIN_CONFIG(OW_GPIO) &= ~(1u << 2); /* push-pull pad; open drain comes from ENABLE */
    GPIO_OUT_W1TC = PIN_MASK;
    line_release();

    bus->ctx = 0;
    bus->reset = gpio_reset;
    bus->touch_bit = gpio_touch_bit;
    bus->write_bit_pullup = gpio_write_bit_pullup;
    bus->end_pullup = gpio_end_pullup;
}

uint8_t onewire_gpio_pin(void)
{
    return OW_GPIO;
}

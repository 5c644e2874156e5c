#include <string.h>

#include "onewire.h"
#include "simbus.h"
#include "unit.h"

static simbus sim;

static int find_all(uint8_t found[][8], int cap, ow_search_result *last)
{
    ow_search s;
    int n = 0;
    memset(&s, 0, sizeof s);
    for (;;) {
        ow_search_result r = ow_search_next(&sim.bus, &s, OW_CMD_SEARCH_ROM);
        if (r != OW_FOUND) {
            *last = r;
            return n;
        }
        if (n < cap)
            memcpy(found[n], s.rom, 8);
        n++;
    }
}

static int index_of(uint8_t found[][8], int n, const uint8_t *rom)
{
    for (int i = 0; i < n; i++) {
        if (memcmp(found[i], rom, 8) == 0)
            return i;
    }
    return -1;
}

/* Three families, and serials that share long prefixes so the search must branch late. */
static void finds_every_device_once(void)
{
    static const uint8_t serials[5][6] = {
        { 0xff, 0x50, 0x79, 0xa2, 0x16, 0x03 }, { 0xfe, 0x50, 0x79, 0xa2, 0x16, 0x03 },
        { 0xff, 0x50, 0x79, 0xa2, 0x16, 0x83 }, { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 },
        { 0xc3, 0xa1, 0xb4, 0x02, 0x08, 0x00 },
    };
    static const uint8_t families[5] = { 0x28, 0x28, 0x28, 0x22, 0x10 };
    uint8_t found[8][8];
    ow_search_result last;
    simbus_init(&sim);
    for (int i = 0; i < 5; i++)
        simbus_add(&sim, families[i], serials[i]);

    int n = find_all(found, 8, &last);
    CHECK_EQ(n, 5);
    CHECK_EQ(last, OW_SEARCH_DONE);
    for (int i = 0; i < 5; i++)
        CHECK(index_of(found, n, sim.devices[i].rom) >= 0);
    /* AN187 order: ascending by ROM bits read least significant first */
    CHECK_EQ(found[0][0], 0x10);
    CHECK_EQ(found[4][0], 0x22);
}

static void many_devices(void)
{
    uint8_t found[SIM_MAX_DEVICES][8];
    ow_search_result last;
    simbus_init(&sim);
    for (int i = 0; i < SIM_MAX_DEVICES; i++) {
        uint8_t serial[6] = { (uint8_t)(i * 37), (uint8_t)i, 0, 0, (uint8_t)(i & 1), 0 };
        simbus_add(&sim, 0x28, serial);
    }
    int n = find_all(found, SIM_MAX_DEVICES, &last);
    CHECK_EQ(n, SIM_MAX_DEVICES);
    for (int i = 0; i < SIM_MAX_DEVICES; i++)
        CHECK(index_of(found, n, sim.devices[i].rom) >= 0);
}

static void single_device_and_read_rom(void)
{
    static const uint8_t serial[6] = { 0xff, 0x50, 0x79, 0xa2, 0x16, 0x03 };
    uint8_t found[2][8];
    uint8_t rom[8];
    ow_search_result last;
    simbus_init(&sim);
    simbus_add(&sim, 0x28, serial);
    CHECK_EQ(find_all(found, 2, &last), 1);
    CHECK(memcmp(found[0], sim.devices[0].rom, 8) == 0);

    CHECK_EQ(ow_reset(&sim.bus), OW_PRESENCE);
    ow_write_byte(&sim.bus, OW_CMD_READ_ROM);
    ow_read_bytes(&sim.bus, rom, 8);
    CHECK(memcmp(rom, sim.devices[0].rom, 8) == 0);
}

static void empty_and_shorted_bus(void)
{
    static const uint8_t serial[6] = { 1, 2, 3, 4, 5, 6 };
    uint8_t found[1][8];
    ow_search_result last;
    simbus_init(&sim);
    CHECK_EQ(find_all(found, 1, &last), 0);
    CHECK_EQ(last, OW_SEARCH_EMPTY);

    simbus_add(&sim, 0x28, serial);
    sim.shorted = 1;
    CHECK_EQ(find_all(found, 1, &last), 0);
    CHECK_EQ(last, OW_SEARCH_SHORT);
}

static void rom_crc_error(void)
{
    static const uint8_t serial[6] = { 1, 2, 3, 4, 5, 6 };
    uint8_t found[1][8];
    ow_search_result last;
    simbus_init(&sim);
    sim_device *dev = simbus_add(&sim, 0x28, serial);
    dev->rom[7] ^= 0x55;
    CHECK_EQ(find_all(found, 1, &last), 0);
    CHECK_EQ(last, OW_SEARCH_CRC);
}

static void match_rom_addresses_one(void)
{
    static const uint8_t a[6] = { 1, 2, 3, 4, 5, 6 };
    static const uint8_t b[6] = { 1, 2, 3, 4, 5, 7 };
    uint8_t rom[8];
    simbus_init(&sim);
    simbus_add(&sim, 0x28, a);
    sim_device *second = simbus_add(&sim, 0x28, b);
    second->parasite = 1;

    /* READ POWER SUPPLY through MATCH ROM only hears the addressed device */
    CHECK_EQ(ow_select(&sim.bus, sim.devices[0].rom), OW_PRESENCE);
    ow_write_byte(&sim.bus, 0xB4);
    CHECK_EQ(ow_touch_bit(&sim.bus, 1), 1);
    CHECK_EQ(ow_select(&sim.bus, second->rom), OW_PRESENCE);
    ow_write_byte(&sim.bus, 0xB4);
    CHECK_EQ(ow_touch_bit(&sim.bus, 1), 0);
    /* SKIP ROM reaches both, and a parasite device anywhere pulls the slot low */
    CHECK_EQ(ow_select(&sim.bus, 0), OW_PRESENCE);
    ow_write_byte(&sim.bus, 0xB4);
    CHECK_EQ(ow_touch_bit(&sim.bus, 1), 0);
    (void)rom;
}

static void read_temperature_register(const sim_device *dev, uint8_t *sp)
{
    CHECK_EQ(ow_select(&sim.bus, dev->rom), OW_PRESENCE);
    ow_write_byte(&sim.bus, 0xBE);
    ow_read_bytes(&sim.bus, sp, 9);
}

/* The simulated parasite device only converts when DQ is held high through the conversion,
 * which is what makes the bridge's strong pull-up testable. */
static void parasite_conversion_needs_pullup(void)
{
    static const uint8_t serial[6] = { 1, 2, 3, 4, 5, 6 };
    uint8_t sp[9];
    simbus_init(&sim);
    sim_device *dev = simbus_add(&sim, 0x28, serial);
    dev->parasite = 1;
    sim_device_set_temperature(dev, 0x0191);

    CHECK_EQ(ow_select(&sim.bus, 0), OW_PRESENCE);
    ow_write_byte(&sim.bus, 0x44);
    simbus_advance_us(&sim, 800000);
    read_temperature_register(dev, sp);
    CHECK_EQ(sp[0] | (sp[1] << 8), 0x0550); /* still the power-on value */
    CHECK_EQ(dev->conversions, 0);

    CHECK_EQ(ow_select(&sim.bus, 0), OW_PRESENCE);
    ow_write_byte_pullup(&sim.bus, 0x44);
    CHECK_EQ(sim.pullup, 1);
    simbus_advance_us(&sim, 800000);
    ow_end_pullup(&sim.bus);
    read_temperature_register(dev, sp);
    CHECK_EQ(sp[0] | (sp[1] << 8), 0x0191);
    CHECK_EQ(dev->conversions, 1);

    /* dropping the pull-up early loses the conversion */
    sim_device_set_temperature(dev, 0x0200);
    CHECK_EQ(ow_select(&sim.bus, 0), OW_PRESENCE);
    ow_write_byte_pullup(&sim.bus, 0x44);
    simbus_advance_us(&sim, 100000);
    ow_end_pullup(&sim.bus);
    simbus_advance_us(&sim, 700000);
    read_temperature_register(dev, sp);
    CHECK_EQ(sp[0] | (sp[1] << 8), 0x0191);
}

void search_tests(void)
{
    unit_run("search: five devices, three families, shared prefixes", finds_every_device_once);
    unit_run("search: many devices all found", many_devices);
    unit_run("search: one device, READ ROM agrees", single_device_and_read_rom);
    unit_run("search: empty bus and shorted bus", empty_and_shorted_bus);
    unit_run("search: ROM with a bad CRC is reported", rom_crc_error);
    unit_run("match rom: only the addressed device answers", match_rom_addresses_one);
    unit_run("convert: a parasite device needs the strong pull-up throughout", parasite_conversion_needs_pullup);
}

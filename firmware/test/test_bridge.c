#include <string.h>

#include "bridge.h"
#include "simbus.h"
#include "unit.h"

/* The bridge on a simulated board: commands come from a string, lines go to a buffer,
 * and the clock is the simulated bus's clock. */
typedef struct board {
    simbus sim;
    const char *input;
    char output[8192];
    size_t output_len;
    bridge_platform platform;
    bridge bridge;
} board;

static board b;

static void board_write(void *ctx, const char *text, size_t len)
{
    board *bd = ctx;
    if (bd->output_len + len >= sizeof bd->output)
        len = sizeof bd->output - 1 - bd->output_len;
    memcpy(bd->output + bd->output_len, text, len);
    bd->output_len += len;
    bd->output[bd->output_len] = '\0';
}

static int board_read(void *ctx)
{
    board *bd = ctx;
    if (bd->input == 0 || *bd->input == '\0')
        return -1;
    return (unsigned char)*bd->input++;
}

static uint32_t board_millis(void *ctx)
{
    return simbus_millis(&((board *)ctx)->sim);
}

static void board_sleep(void *ctx, uint32_t ms)
{
    simbus_advance_us(&((board *)ctx)->sim, ms * 1000u);
}

static void board_init(void)
{
    memset(&b, 0, sizeof b);
    simbus_init(&b.sim);
    b.platform.ctx = &b;
    b.platform.write = board_write;
    b.platform.read_byte = board_read;
    b.platform.millis = board_millis;
    b.platform.sleep_ms = board_sleep;
    b.platform.bus = &b.sim.bus;
    b.platform.pin = 4;
}

static void clear_output(void)
{
    b.output_len = 0;
    b.output[0] = '\0';
}

static void send(const char *text)
{
    clear_output();
    b.input = text;
    bridge_poll(&b.bridge);
}

static int contains(const char *needle)
{
    return strstr(b.output, needle) != 0;
}

static int count_lines(void)
{
    int n = 0;
    for (size_t i = 0; i < b.output_len; i++)
        n += b.output[i] == '\n';
    return n;
}

/* Every board line is one JSON object of at most 256 bytes. */
static void check_line_shape(void)
{
    const char *p = b.output;
    if (*p == '\r')
        p += 2;
    while (*p) {
        const char *end = strchr(p, '\n');
        CHECK(end != 0);
        if (end == 0)
            return;
        CHECK(*p == '{');
        CHECK(end[-1] == '}');
        CHECK(end - p + 1 <= 256);
        p = end + 1;
    }
}

static const uint8_t serial_a[6] = { 0xff, 0x50, 0x79, 0xa2, 0x16, 0x03 }; /* 28-0316a27950ff */
static const uint8_t serial_b[6] = { 0xc3, 0xa1, 0xb4, 0x02, 0x08, 0x00 }; /* 10-000802b4a1c3 */

static void boot_sends_hello_and_scan(void)
{
    board_init();
    simbus_add(&b.sim, 0x28, serial_a);
    sim_device *s20 = simbus_add(&b.sim, 0x10, serial_b);
    s20->parasite = 1;
    bridge_start(&b.bridge, &b.platform);
    CHECK(strncmp(b.output, "\r\n{\"type\":\"hello\",", 18) == 0);
    CHECK(contains("{\"type\":\"hello\",\"firmware\":\"ds18b20-bridge\",\"version\":\"1.1.0\","
                   "\"protocol\":1,\"pin\":4,\"interval\":0,\"resolution\":0,\"max_sensors\":16}\n"));
    CHECK(contains("{\"type\":\"sensor\",\"ident\":\"28-0316a27950ff\",\"model\":\"DS18B20\","
                   "\"power\":\"external\",\"resolution\":12}\n"));
    CHECK(contains("{\"type\":\"sensor\",\"ident\":\"10-000802b4a1c3\",\"model\":\"DS18S20\","
                   "\"power\":\"parasite\",\"resolution\":9}\n"));
    CHECK(contains("{\"type\":\"sensors\",\"count\":2}\n"));
    CHECK_EQ(count_lines(), 5);
    check_line_shape();
}

static void hello_names_the_board_mac(void)
{
    board_init();
    b.platform.mac = "18:fe:34:a1:b2:5c";
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains(",\"max_sensors\":16,\"mac\":\"18:fe:34:a1:b2:5c\"}\n"));
    check_line_shape();
}

static void read_reports_linux_millidegrees(void)
{
    board_init();
    sim_device *a = simbus_add(&b.sim, 0x28, serial_a);
    sim_device *s20 = simbus_add(&b.sim, 0x10, serial_b);
    s20->parasite = 1;
    sim_device_set_temperature(a, (int16_t)0x0157); /* 21.4375 */
    sim_device_set_ds18s20(s20, 0xFFCE, 0x0A);      /* -25.0 read, extended -24.875 */
    bridge_start(&b.bridge, &b.platform);

    send("read\n");
    CHECK(contains("{\"type\":\"temp\",\"ident\":\"28-0316a27950ff\",\"millicelsius\":21437,"
                   "\"resolution\":12,\"power\":\"external\"}\n"));
    CHECK(contains("{\"type\":\"temp\",\"ident\":\"10-000802b4a1c3\",\"millicelsius\":-24875,"
                   "\"resolution\":9,\"power\":\"parasite\"}\n"));
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":2,\"errors\":0}\n"));
    CHECK_EQ(count_lines(), 3);
    /* the parasite sensor only converts under the strong pull-up */
    CHECK_EQ(s20->conversions, 1);
    CHECK_EQ(a->conversions, 1);
    check_line_shape();
}

static void external_power_conversion_ends_early(void)
{
    board_init();
    sim_device *a = simbus_add(&b.sim, 0x28, serial_a);
    bridge_start(&b.bridge, &b.platform);
    send("res 9\n");
    CHECK(contains("{\"type\":\"ok\",\"command\":\"res\",\"resolution\":9}\n"));
    CHECK_EQ(a->scratchpad[4], 0x1F);
    uint32_t before = simbus_millis(&b.sim);
    sim_device_set_temperature(a, (int16_t)0x0191); /* 25.0625; 9 bits keep 25.0 */
    send("read\n");
    uint32_t took = simbus_millis(&b.sim) - before;
    CHECK(contains("\"millicelsius\":25000,\"resolution\":9,"));
    /* polled completion: well under the 750 ms a 12-bit wait would take */
    CHECK(took >= 84 && took < 120);
}

static void parasite_needs_strong_pullup(void)
{
    board_init();
    sim_device *a = simbus_add(&b.sim, 0x28, serial_a);
    a->parasite = 1;
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains("\"power\":\"parasite\""));
    send("read\n");
    CHECK_EQ(a->conversions, 1);
    CHECK(contains("{\"type\":\"temp\",\"ident\":\"28-0316a27950ff\",\"millicelsius\":25000,"));
    CHECK(b.sim.pullup == 0);
}

static void quality_errors_are_never_temperatures(void)
{
    static const uint8_t s1[6] = { 1, 0, 0, 0, 0, 0 };
    static const uint8_t s2[6] = { 2, 0, 0, 0, 0, 0 };
    static const uint8_t s3[6] = { 3, 0, 0, 0, 0, 0 };
    static const uint8_t s4[6] = { 4, 0, 0, 0, 0, 0 };
    board_init();
    sim_device *crc = simbus_add(&b.sim, 0x28, s1);
    sim_device *stale = simbus_add(&b.sim, 0x28, s2);
    sim_device *gone = simbus_add(&b.sim, 0x28, s3);
    sim_device *stuck = simbus_add(&b.sim, 0x28, s4);
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains("{\"type\":\"sensors\",\"count\":4}"));

    crc->corrupt_reads = 1;
    stale->never_converts = 1;
    gone->present = 0;
    stuck->hold_low_on_read = 1;
    send("read\n");
    CHECK(contains("{\"type\":\"err\",\"code\":\"crc\",\"ident\":\"28-000000000001\"}\n"));
    CHECK(contains("{\"type\":\"err\",\"code\":\"power_on_value\",\"ident\":\"28-000000000002\"}\n"));
    CHECK(contains("{\"type\":\"err\",\"code\":\"no_device\",\"ident\":\"28-000000000003\"}\n"));
    CHECK(contains("{\"type\":\"err\",\"code\":\"bus_short\",\"ident\":\"28-000000000004\"}\n"));
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":4,\"errors\":4}\n"));
    CHECK(!contains("\"type\":\"temp\""));
    CHECK_EQ(count_lines(), 5);

    /* the faults clear: the same sensors read again */
    stuck->hold_low_on_read = 0;
    stale->never_converts = 0;
    gone->present = 1;
    send("read\n");
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":4,\"errors\":0}\n"));
}

static void empty_and_shorted_bus(void)
{
    board_init();
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains("{\"type\":\"err\",\"code\":\"no_device\"}\n{\"type\":\"sensors\",\"count\":0}\n"));
    send("read\n");
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"no_device\"}\n"
                           "{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":0,\"errors\":0}\n") == 0);

    simbus_add(&b.sim, 0x28, serial_a);
    b.sim.shorted = 1;
    send("scan\n");
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"bus_short\"}\n"
                           "{\"type\":\"sensors\",\"count\":0}\n") == 0);
    b.sim.shorted = 0;
    send("scan\n");
    CHECK(contains("{\"type\":\"sensors\",\"count\":1}\n"));
    /* the bus shorts after the scan: every known sensor gets an error */
    b.sim.shorted = 1;
    send("read\n");
    CHECK(contains("{\"type\":\"err\",\"code\":\"bus_short\",\"ident\":\"28-0316a27950ff\"}\n"));
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":1,\"errors\":1}\n"));
}

static void resolution_command(void)
{
    board_init();
    sim_device *a = simbus_add(&b.sim, 0x28, serial_a);
    sim_device *s20 = simbus_add(&b.sim, 0x10, serial_b);
    bridge_start(&b.bridge, &b.platform);
    sim_device_set_temperature(a, (int16_t)0x0191);
    send("res 10\nread\n");
    CHECK(contains("{\"type\":\"ok\",\"command\":\"res\",\"resolution\":10}\n"));
    CHECK(contains("\"ident\":\"28-0316a27950ff\",\"millicelsius\":25000,\"resolution\":10,"));
    CHECK_EQ(a->scratchpad[4], 0x3F);
    CHECK_EQ(a->scratchpad[2], 0x4B); /* alarm bytes kept */
    CHECK_EQ(s20->scratchpad[4], 0xFF);
    send("hello\n");
    CHECK(contains("\"resolution\":10,"));
    /* a later scan applies the remembered resolution to new sensors */
    static const uint8_t s3[6] = { 9, 9, 9, 9, 9, 9 };
    sim_device *late = simbus_add(&b.sim, 0x22, s3);
    send("scan\n");
    CHECK_EQ(late->scratchpad[4], 0x3F);
    CHECK(contains("\"model\":\"DS1822\",\"power\":\"external\",\"resolution\":10}"));
}

static void command_errors(void)
{
    char long_line[120];
    board_init();
    simbus_add(&b.sim, 0x28, serial_a);
    bridge_start(&b.bridge, &b.platform);

    send("reboot\n");
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"bad_command\"}\n") == 0);
    send("res 13\n");
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"bad_argument\",\"command\":\"res\"}\n") == 0);
    send("interval 250\n");
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"bad_argument\",\"command\":\"interval\"}\n") == 0);
    memset(long_line, 'z', sizeof long_line);
    long_line[sizeof long_line - 2] = '\n';
    long_line[sizeof long_line - 1] = '\0';
    send(long_line);
    CHECK(strcmp(b.output, "{\"type\":\"err\",\"code\":\"line_too_long\"}\n") == 0);
    send("\n\r\n  \nhello\r\n");
    CHECK_EQ(count_lines(), 1);
    CHECK(contains("{\"type\":\"hello\","));
    check_line_shape();
}

static void interval_reads(void)
{
    board_init();
    simbus_add(&b.sim, 0x28, serial_a);
    bridge_start(&b.bridge, &b.platform);
    send("interval 5000\n");
    CHECK(strcmp(b.output, "{\"type\":\"ok\",\"command\":\"interval\",\"interval\":5000}\n") == 0);
    simbus_advance_us(&b.sim, 4000u * 1000u);
    send("");
    CHECK_EQ(count_lines(), 0);
    simbus_advance_us(&b.sim, 1100u * 1000u);
    send("");
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"interval\",\"count\":1,\"errors\":0}\n"));
    CHECK(contains("{\"type\":\"temp\",\"ident\":\"28-0316a27950ff\","));
    send("interval 0\n");
    simbus_advance_us(&b.sim, 60000u * 1000u);
    send("");
    CHECK_EQ(count_lines(), 0);
}

static void too_many_sensors(void)
{
    board_init();
    for (int i = 0; i < 18; i++) {
        uint8_t serial[6] = { (uint8_t)(i + 1), 0x10, 0x20, 0, 0, 0 };
        simbus_add(&b.sim, 0x28, serial);
    }
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains("{\"type\":\"err\",\"code\":\"too_many_devices\"}\n"));
    CHECK(contains("{\"type\":\"sensors\",\"count\":16}\n"));
    send("read\n");
    CHECK(contains("{\"type\":\"cycle\",\"trigger\":\"read\",\"count\":16,\"errors\":0}\n"));
    check_line_shape();
}

static void other_families_are_skipped(void)
{
    static const uint8_t id[6] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
    board_init();
    simbus_add(&b.sim, 0x01, id); /* DS2401 serial number chip */
    simbus_add(&b.sim, 0x28, serial_a);
    bridge_start(&b.bridge, &b.platform);
    CHECK(contains("{\"type\":\"sensors\",\"count\":1}\n"));
    CHECK(!contains("01-665544332211"));
}

void bridge_tests(void)
{
    unit_run("bridge: boot sends hello, sensor lines and the count", boot_sends_hello_and_scan);
    unit_run("bridge: the hello line ends with the board's MAC when it has one", hello_names_the_board_mac);
    unit_run("bridge: read gives Linux millidegrees for DS18B20 and DS18S20", read_reports_linux_millidegrees);
    unit_run("bridge: externally powered conversion is polled to completion", external_power_conversion_ends_early);
    unit_run("bridge: parasite sensor converts under the strong pull-up", parasite_needs_strong_pullup);
    unit_run("bridge: crc, power-on value, vanished and stuck sensors are errors", quality_errors_are_never_temperatures);
    unit_run("bridge: empty and shorted bus", empty_and_shorted_bus);
    unit_run("bridge: res writes the config register and is remembered", resolution_command);
    unit_run("bridge: unknown, bad and overlong commands", command_errors);
    unit_run("bridge: interval runs read cycles by itself", interval_reads);
    unit_run("bridge: more than 16 sensors", too_many_sensors);
    unit_run("bridge: non-temperature devices are skipped", other_families_are_skipped);
}

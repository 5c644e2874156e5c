#include <string.h>

#include "command.h"
#include "unit.h"

static command_reader reader;

static reader_event push_text(const char *text)
{
    reader_event last = READER_PENDING;
    while (*text) {
        reader_event e = command_reader_push(&reader, *text++);
        if (e != READER_PENDING)
            last = e;
    }
    return last;
}

static void reader_splits_lines(void)
{
    command_reader_reset(&reader);
    CHECK_EQ(push_text("rea"), READER_PENDING);
    CHECK_EQ(push_text("d\r\n"), READER_LINE);
    CHECK(strcmp(reader.text, "read") == 0);
}

static void reader_drops_long_lines(void)
{
    char line[200];
    memset(line, 'x', sizeof line);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    command_reader_reset(&reader);
    CHECK_EQ(push_text(line), READER_TOO_LONG);
    CHECK_EQ(push_text("scan\n"), READER_LINE);
    CHECK(strcmp(reader.text, "scan") == 0);

    /* 63 characters is the longest accepted line, 64 is too long */
    memset(line, 'a', 63);
    line[63] = '\n';
    line[64] = '\0';
    CHECK_EQ(push_text(line), READER_LINE);
    memset(line, 'a', 64);
    line[64] = '\n';
    line[65] = '\0';
    CHECK_EQ(push_text(line), READER_TOO_LONG);
}

static void parses_commands(void)
{
    CHECK_EQ(command_parse("hello").kind, CMD_HELLO);
    CHECK_EQ(command_parse("  scan\t").kind, CMD_SCAN);
    CHECK_EQ(command_parse("read").kind, CMD_READ);
    CHECK_EQ(command_parse("").kind, CMD_EMPTY);
    CHECK_EQ(command_parse("   ").kind, CMD_EMPTY);
    command c = command_parse("interval 5000");
    CHECK_EQ(c.kind, CMD_INTERVAL);
    CHECK_EQ(c.argument, 5000);
    c = command_parse("interval 0");
    CHECK_EQ(c.kind, CMD_INTERVAL);
    CHECK_EQ(c.argument, 0);
    c = command_parse("interval 86400000");
    CHECK_EQ(c.kind, CMD_INTERVAL);
    CHECK_EQ(c.argument, 86400000);
    c = command_parse("res 11");
    CHECK_EQ(c.kind, CMD_RES);
    CHECK_EQ(c.argument, 11);
}

static void rejects_bad_input(void)
{
    static const char *bad_arguments[] = {
        "res", "res 8", "res 13", "res 1x", "res -9", "res 10 11", "interval",
        "interval 999", "interval 86400001", "interval 99999999999999999999",
        "interval 5e3", "hello there", "read 1", "scan now",
    };
    for (unsigned i = 0; i < sizeof bad_arguments / sizeof bad_arguments[0]; i++) {
        command c = command_parse(bad_arguments[i]);
        CHECK_EQ(c.kind, CMD_BAD_ARGUMENT);
        CHECK(c.name != 0);
    }
    CHECK_EQ(command_parse("reboot").kind, CMD_UNKNOWN);
    CHECK_EQ(command_parse("READ").kind, CMD_UNKNOWN);
    CHECK_EQ(command_parse("{\"cmd\":1}").kind, CMD_UNKNOWN);
}

void command_tests(void)
{
    unit_run("command: reader splits lines, ignores CR", reader_splits_lines);
    unit_run("command: lines over 63 characters are dropped and reported", reader_drops_long_lines);
    unit_run("command: hello, scan, read, interval, res parse", parses_commands);
    unit_run("command: bad arguments and unknown words", rejects_bad_input);
}

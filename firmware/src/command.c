#include "command.h"

#include <stdbool.h>
#include <string.h>

void command_reader_reset(command_reader *reader)
{
    reader->len = 0;
    reader->overflow = 0;
}

reader_event command_reader_push(command_reader *reader, char c)
{
    if (c == '\r')
        return READER_PENDING;
    if (c == '\n') {
        bool too_long = reader->overflow;
        reader->text[reader->len] = '\0';
        reader->len = 0;
        reader->overflow = 0;
        return too_long ? READER_TOO_LONG : READER_LINE;
    }
    if (reader->overflow)
        return READER_PENDING;
    if (reader->len >= COMMAND_LINE_MAX - 1) {
        reader->overflow = 1;
        return READER_PENDING;
    }
    reader->text[reader->len++] = c;
    return READER_PENDING;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_spaces(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

/* Copies the next word (at most cap-1 chars) and returns the position after it. */
static const char *next_word(const char *p, char *word, size_t cap, bool *fits)
{
    size_t n = 0;
    *fits = true;
    while (*p && !is_space(*p)) {
        if (n + 1 < cap)
            word[n++] = *p;
        else
            *fits = false;
        p++;
    }
    word[n] = '\0';
    return p;
}

/* Decimal digits only, no sign, no overflow past max. */
static bool parse_bounded(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    uint32_t value = 0;
    if (*text == '\0')
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return false;
        uint32_t digit = (uint32_t)(*text - '0');
        if (value > (max - digit) / 10u)
            return false;
        value = value * 10u + digit;
    }
    if (value < min || value > max)
        return false;
    *out = value;
    return true;
}

static command with_argument(command_kind kind, const char *name, const char *rest,
                             uint32_t min, uint32_t max, bool zero_allowed)
{
    command cmd = { CMD_BAD_ARGUMENT, name, 0 };
    char word[COMMAND_LINE_MAX];
    bool fits;
    rest = next_word(skip_spaces(rest), word, sizeof word, &fits);
    if (!fits || *skip_spaces(rest) != '\0')
        return cmd;
    if (zero_allowed && strcmp(word, "0") == 0) {
        cmd.kind = kind;
        return cmd;
    }
    if (parse_bounded(word, min, max, &cmd.argument))
        cmd.kind = kind;
    return cmd;
}

static command without_argument(command_kind kind, const char *name, const char *rest)
{
    command cmd = { kind, name, 0 };
    if (*skip_spaces(rest) != '\0')
        cmd.kind = CMD_BAD_ARGUMENT;
    return cmd;
}

command command_parse(const char *line)
{
    char word[COMMAND_LINE_MAX];
    bool fits;
    const char *rest = next_word(skip_spaces(line), word, sizeof word, &fits);
    command unknown = { CMD_UNKNOWN, 0, 0 };

    if (word[0] == '\0') {
        command empty = { CMD_EMPTY, 0, 0 };
        return empty;
    }
    if (strcmp(word, "hello") == 0)
        return without_argument(CMD_HELLO, "hello", rest);
    if (strcmp(word, "scan") == 0)
        return without_argument(CMD_SCAN, "scan", rest);
    if (strcmp(word, "read") == 0)
        return without_argument(CMD_READ, "read", rest);
    if (strcmp(word, "interval") == 0)
        return with_argument(CMD_INTERVAL, "interval", rest, INTERVAL_MIN_MS, INTERVAL_MAX_MS, true);
    if (strcmp(word, "res") == 0)
        return with_argument(CMD_RES, "res", rest, 9, 12, false);
    return unknown;
}

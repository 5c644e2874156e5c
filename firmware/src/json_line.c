#include "json_line.h"

static void append_char(json_line *line, char c)
{
    /* keep room for the closing brace and newline */
    if (line->len + 2 >= JSON_LINE_MAX) {
        line->truncated = 1;
        return;
    }
    line->text[line->len++] = c;
}

static void append_text(json_line *line, const char *s)
{
    while (*s)
        append_char(line, *s++);
}

static void append_key(json_line *line, const char *key)
{
    append_char(line, ',');
    append_char(line, '"');
    append_text(line, key);
    append_text(line, "\":");
}

void json_line_begin(json_line *line, const char *type)
{
    line->len = 0;
    line->truncated = 0;
    append_text(line, "{\"type\":\"");
    append_text(line, type);
    append_char(line, '"');
}

void json_line_string(json_line *line, const char *key, const char *value)
{
    append_key(line, key);
    append_char(line, '"');
    append_text(line, value);
    append_char(line, '"');
}

void json_line_int(json_line *line, const char *key, int32_t value)
{
    char digits[11];
    int n = 0;
    /* work on the magnitude as unsigned so INT32_MIN survives */
    uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
    append_key(line, key);
    if (value < 0)
        append_char(line, '-');
    do {
        digits[n++] = (char)('0' + magnitude % 10u);
        magnitude /= 10u;
    } while (magnitude != 0);
    while (n > 0)
        append_char(line, digits[--n]);
}

size_t json_line_finish(json_line *line)
{
    if (line->truncated)
        return 0;
    line->text[line->len++] = '}';
    line->text[line->len++] = '\n';
    return line->len;
}

void format_ident(const uint8_t rom[8], char out[IDENT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    int n = 0;
    out[n++] = hex[rom[0] >> 4];
    out[n++] = hex[rom[0] & 15];
    out[n++] = '-';
    for (int i = 6; i >= 1; i--) {
        out[n++] = hex[rom[i] >> 4];
        out[n++] = hex[rom[i] & 15];
    }
    out[n] = '\0';
}

#ifndef JSON_LINE_H
#define JSON_LINE_H

#include <stddef.h>
#include <stdint.h>

/* Board-to-host lines are at most this long, newline included (PROTOCOL.md section 1). */
#define JSON_LINE_MAX 256

/* Builds one JSON object line. Values are ASCII without characters that need escaping
 * (idents, model names, codes), so no escaping is done. If a line would outgrow the
 * limit it is cut off and marked truncated; json_line_finish then reports 0. */
typedef struct json_line {
    char text[JSON_LINE_MAX];
    size_t len;
    int truncated;
} json_line;

void json_line_begin(json_line *line, const char *type);
void json_line_string(json_line *line, const char *key, const char *value);
void json_line_int(json_line *line, const char *key, int32_t value);
/* Closes the object, appends "\n" and returns the length, or 0 if the line overflowed. */
size_t json_line_finish(json_line *line);

/* Linux w1 device name of a ROM id: "ff-ssssssssssss" (serial bytes 6..1). */
#define IDENT_LEN 15
void format_ident(const uint8_t rom[8], char out[IDENT_LEN + 1]);

#endif

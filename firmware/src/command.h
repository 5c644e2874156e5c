#ifndef COMMAND_H
#define COMMAND_H

#include <stdint.h>

/* Host-to-board command lines are at most this long, newline included. */
#define COMMAND_LINE_MAX 64

/* Collects received bytes into lines. A line longer than the limit is dropped whole and
 * reported once, when its newline arrives. */
typedef struct command_reader {
    char text[COMMAND_LINE_MAX];
    uint8_t len;
    uint8_t overflow;
} command_reader;

typedef enum {
    READER_PENDING = 0, /* no complete line yet */
    READER_LINE,        /* reader->text holds a NUL-terminated line */
    READER_TOO_LONG     /* a line over the limit ended and was discarded */
} reader_event;

void command_reader_reset(command_reader *reader);
reader_event command_reader_push(command_reader *reader, char c);

typedef enum {
    CMD_EMPTY = 0,
    CMD_HELLO,
    CMD_SCAN,
    CMD_READ,
    CMD_INTERVAL,
    CMD_RES,
    CMD_UNKNOWN,
    CMD_BAD_ARGUMENT
} command_kind;

typedef struct command {
    command_kind kind;
    const char *name;  /* the known command name, for bad_argument */
    uint32_t argument;
} command;

/* Parses one line: a word and, for interval/res, one decimal argument within bounds. */
command command_parse(const char *line);

#define INTERVAL_MIN_MS 1000u
#define INTERVAL_MAX_MS 86400000u

#endif

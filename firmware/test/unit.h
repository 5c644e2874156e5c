#ifndef UNIT_H
#define UNIT_H

#include <stdint.h>

/* A small test harness that runs the same way on the host and under QEMU: it only needs
 * unit_print from the platform, and ends with "N passed, N failed". */

void unit_print(const char *text); /* provided by the platform */
void unit_print_int(int32_t value);

void unit_fail(const char *file, int line, const char *what);
void unit_fail_int(const char *file, int line, const char *what, int32_t got, int32_t want);
void unit_run(const char *name, void (*test)(void));
int unit_summary(void); /* returns the number of failed tests */

#define CHECK(cond)                                       \
    do {                                                  \
        if (!(cond))                                      \
            unit_fail(__FILE__, __LINE__, #cond);         \
    } while (0)

#define CHECK_EQ(got, want)                                                             \
    do {                                                                                \
        int32_t got_ = (int32_t)(got), want_ = (int32_t)(want);                         \
        if (got_ != want_)                                                              \
            unit_fail_int(__FILE__, __LINE__, #got " == " #want, got_, want_);          \
    } while (0)

void crc8_tests(void);
void ds18x20_tests(void);
void search_tests(void);
void command_tests(void);
void bridge_tests(void);
void board_mac_tests(void);

#endif

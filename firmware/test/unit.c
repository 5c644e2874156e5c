#include "unit.h"

static int passed;
static int failed;
static int current_failed;

void unit_print_int(int32_t value)
{
    char text[12];
    int n = 11;
    uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
    text[n] = '\0';
    do {
        text[--n] = (char)('0' + magnitude % 10u);
        magnitude /= 10u;
    } while (magnitude != 0);
    if (value < 0)
        text[--n] = '-';
    unit_print(&text[n]);
}

void unit_fail(const char *file, int line, const char *what)
{
    current_failed = 1;
    unit_print("    failed: ");
    unit_print(file);
    unit_print(":");
    unit_print_int(line);
    unit_print(": ");
    unit_print(what);
    unit_print("\n");
}

void unit_fail_int(const char *file, int line, const char *what, int32_t got, int32_t want)
{
    unit_fail(file, line, what);
    unit_print("      got ");
    unit_print_int(got);
    unit_print(", want ");
    unit_print_int(want);
    unit_print("\n");
}

void unit_run(const char *name, void (*test)(void))
{
    current_failed = 0;
    test();
    if (current_failed) {
        failed++;
        unit_print("not ok - ");
    } else {
        passed++;
        unit_print("ok - ");
    }
    unit_print(name);
    unit_print("\n");
}

int unit_summary(void)
{
    unit_print_int(passed);
    unit_print(" passed, ");
    unit_print_int(failed);
    unit_print(" failed\n");
    return failed;
}

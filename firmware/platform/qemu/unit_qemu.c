/* The unit tests on the lx106 ISA: same sources as the host run, output through
 * semihosting, exit status = number of failed tests. */
#include <string.h>

#include "semihosting.h"
#include "unit.h"

int unit_main(void);
int qemu_main(void);

void unit_print(const char *text)
{
    semihosting_write(1, text, strlen(text));
}

int qemu_main(void)
{
    return unit_main();
}

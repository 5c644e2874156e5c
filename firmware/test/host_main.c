#include <stdio.h>

#include "unit.h"

int unit_main(void);

void unit_print(const char *text)
{
    fputs(text, stdout);
}

int main(void)
{
    return unit_main() == 0 ? 0 : 1;
}

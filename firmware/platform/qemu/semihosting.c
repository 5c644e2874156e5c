#include "semihosting.h"

#define SYS_EXIT 1
#define SYS_READ 3
#define SYS_WRITE 4

static int32_t simcall(int32_t number, int32_t a, int32_t b, int32_t c)
{
    register int32_t a2 __asm__("a2") = number;
    register int32_t a3 __asm__("a3") = a;
    register int32_t a4 __asm__("a4") = b;
    register int32_t a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

int32_t semihosting_write(int fd, const void *data, size_t len)
{
    return simcall(SYS_WRITE, fd, (int32_t)(uintptr_t)data, (int32_t)len);
}

int32_t semihosting_read(int fd, void *data, size_t len)
{
    return simcall(SYS_READ, fd, (int32_t)(uintptr_t)data, (int32_t)len);
}

void semihosting_exit(int status)
{
    simcall(SYS_EXIT, status, 0, 0);
    for (;;) {
    }
}

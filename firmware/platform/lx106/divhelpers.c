/* Integer division helpers GCC calls on lx106, which has no divide instruction.
 * Debian's libgcc for this target does not ship them, and the ROM copies are out of CALL0
 * range for picolibc, so the firmware carries its own (also used under QEMU, which has no
 * ROM). Plain shift-and-subtract: the firmware divides rarely and never in a bit slot. */
#include <stdint.h>

uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);
int32_t __divsi3(int32_t n, int32_t d);
int32_t __modsi3(int32_t n, int32_t d);

static uint32_t divide(uint32_t n, uint32_t d, uint32_t *remainder)
{
    uint32_t quotient = 0;
    uint32_t rest = 0;
    if (d == 0) {
        *remainder = n;
        return 0xFFFFFFFFu;
    }
    for (int bit = 31; bit >= 0; bit--) {
        rest = (rest << 1) | ((n >> bit) & 1u);
        if (rest >= d) {
            rest -= d;
            quotient |= 1u << bit;
        }
    }
    *remainder = rest;
    return quotient;
}

uint32_t __udivsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    return divide(n, d, &r);
}

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    divide(n, d, &r);
    return r;
}

static uint32_t magnitude(int32_t v)
{
    return v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
}

/* C division truncates toward zero; the remainder has the sign of the dividend. */
int32_t __divsi3(int32_t n, int32_t d)
{
    uint32_t r;
    uint32_t q = divide(magnitude(n), magnitude(d), &r);
    return ((n < 0) != (d < 0)) ? (int32_t)(0u - q) : (int32_t)q;
}

int32_t __modsi3(int32_t n, int32_t d)
{
    uint32_t r;
    divide(magnitude(n), magnitude(d), &r);
    return n < 0 ? (int32_t)(0u - r) : (int32_t)r;
}

#ifndef SEMIHOSTING_H
#define SEMIHOSTING_H

#include <stddef.h>
#include <stdint.h>

/* QEMU's Xtensa semihosting (target/xtensa/xtensa-semi.c): the simcall instruction with the
 * call number in a2 and arguments in a3..a5; the result comes back in a2. */
int32_t semihosting_write(int fd, const void *data, size_t len);
int32_t semihosting_read(int fd, void *data, size_t len);
void semihosting_exit(int status) __attribute__((noreturn));

#endif

/* Entry for QEMU's Xtensa "sim" machine, which (unlike the ESP8266 ROM) hands over with no
 * usable stack: set one at the top of DRAM, clear .bss, run qemu_main, then exit with its
 * result through semihosting. */
    .section .entry.text, "ax"
    .global call_user_start
    .type call_user_start, @function
    .align 4
call_user_start:
    movi    a1, _stack_top
    movi    a2, _bss_start
    movi    a3, _bss_end
    movi    a4, 0
1:  bgeu    a2, a3, 2f
    s32i    a4, a2, 0
    addi    a2, a2, 4
    j       1b
2:  call0   qemu_main
    call0   semihosting_exit
3:  j       3b
    .size call_user_start, . - call_user_start

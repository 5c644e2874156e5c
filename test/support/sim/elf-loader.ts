/**
 * Puts a linked ELF program's loadable sections into the CPU's RAM and points the CPU at its
 * entry, as QEMU's `-device loader,file=...` does for the Xtensa sim machine. Used to run the
 * same test programs under both.
 */
import { parseElf, SECTION_TYPE } from '../../../src/esp8266/elf';
import type { Cpu } from '../../../src/sim/cpu/cpu';

const SHF_ALLOC = 0x2;

export function loadElf(cpu: Cpu, bytes: Uint8Array): void {
  const elf = parseElf(bytes);
  for (const section of elf.sections) {
    if ((section.flags & SHF_ALLOC) === 0 || section.size === 0) continue;
    if (section.type === SECTION_TYPE.NOBITS) cpu.bus.writeBytes(section.address, new Uint8Array(section.size));
    else cpu.bus.writeBytes(section.address, section.data);
  }
  cpu.pc = cpu.npc = elf.entryPoint;
}

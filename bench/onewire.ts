/**
 * The electrical 1-Wire bus and the GPIO block under a master timed like the firmware: what one
 * read cycle (search, power-supply query, conversion, scratchpads) costs the host, for 1, 10 and 20
 * parts. The CPU that will run the firmware is not included: these are the costs the peripherals and
 * the bus add to it.
 */
import { performance } from 'perf_hooks';
import { OneWireBus } from '../src/sim/onewire/onewire-bus';
import { Thermometer, ThermometerOptions } from '../src/sim/onewire/thermometer';
import { afterRomClocks } from '../src/sim/peripherals/clocks';
import { Gpio } from '../src/sim/peripherals/gpio';
import { IoMux } from '../src/sim/peripherals/io-mux';
import { oneWirePad } from '../test/support/sim/one-wire-pad';
import { UnmodelledLog } from '../src/sim/peripherals/unmodelled';
import { FirmwareGpioMaster, gpioRegisterPin, MasterPin } from '../test/src/sim/onewire/gpio-master';
import { readLikeFirmware } from '../test/src/sim/onewire/firmware-reader';
import type { BenchTable } from './table';

const PIN = 4;
const RUNS = 9;

function parts(count: number): ThermometerOptions[] {
  const families = ['28', '10', '22'];
  return Array.from({ length: count }, (_, i) => ({
    rom: `${families[i % 3]}-${(0x5a0000 + i * 7919).toString(16).padStart(12, '0')}`,
    celsius: 20 + i / 16,
    power: i === 0 ? 'parasite' : 'external',
  }));
}

function oneCycle(count: number): { hostMs: number; virtualMs: number; slots: number } {
  const log = new UnmodelledLog();
  const ioMux = new IoMux(log);
  const gpio = new Gpio(afterRomClocks(), ioMux, log);
  const bus = new OneWireBus();
  for (const options of parts(count)) bus.attach(new Thermometer(options));
  gpio.attach(PIN, oneWirePad(bus));
  let slots = 0;
  const registers = gpioRegisterPin(gpio, PIN);
  const pin: MasterPin = {
    ...registers,
    enable: (on, cycle) => {
      if (on) slots += 1;
      registers.enable(on, cycle);
    },
  };
  const master = new FirmwareGpioMaster(pin);
  const started = performance.now();
  const readings = readLikeFirmware(master);
  const hostMs = performance.now() - started;
  if (readings.length !== count || bus.violations().count() !== 0) throw new Error('the bench bus read wrongly');
  return { hostMs, virtualMs: master.us / 1000, slots };
}

export async function onewireBench(): Promise<BenchTable[]> {
  const rows: Array<Array<string | number>> = [];
  oneCycle(20); // warm-up, so the first row does not pay for compilation
  for (const count of [1, 10, 20]) {
    const runs = Array.from({ length: RUNS }, () => oneCycle(count)).sort((a, b) => a.hostMs - b.hostMs);
    const median = runs[Math.floor(RUNS / 2)];
    rows.push([
      count,
      median.slots,
      median.virtualMs.toFixed(0),
      median.hostMs.toFixed(2),
      ((1000 * median.hostMs) / median.slots).toFixed(2),
    ]);
  }
  return [
    {
      title: '1-Wire bus and GPIO model: one firmware read cycle (median of 9)',
      columns: ['parts', 'slots', 'virtual ms', 'host ms', 'host us per slot'],
      rows,
      note: 'Parts: DS18B20, DS18S20 and DS1822 in turn, the first parasite-powered. Host time excludes the CPU that will run the firmware; noisy while other work shares the machine.',
    },
  ];
}

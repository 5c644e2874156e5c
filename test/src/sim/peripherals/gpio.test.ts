import { strict as assert } from 'assert';
import { OneWireBus } from '../../../../src/sim/onewire/onewire-bus';
import { Thermometer } from '../../../../src/sim/onewire/thermometer';
import { afterRomClocks } from '../../../../src/sim/peripherals/clocks';
import { Gpio, GPIO_REG } from '../../../../src/sim/peripherals/gpio';
import { IoMux } from '../../../../src/sim/peripherals/io-mux';
import { oneWirePad } from '../../../support/sim/one-wire-pad';
import { UnmodelledLog } from '../../../../src/sim/peripherals/unmodelled';
import { FirmwareGpioMaster, gpioRegisterPin } from '../onewire/gpio-master';
import { readLikeFirmware } from '../onewire/firmware-reader';

const { OUT, OUT_W1TS, OUT_W1TC, ENABLE, ENABLE_W1TS, ENABLE_W1TC, IN, STATUS, STATUS_W1TS, STATUS_W1TC } = GPIO_REG;
const PIN4 = GPIO_REG.PIN0 + 4 * 4;
const MUX_GPIO4 = 0x3c;
const MUX_GPIO12 = 0x04;
const MHZ = 52;

function setUp(): { gpio: Gpio; ioMux: IoMux; bus: OneWireBus; log: UnmodelledLog } {
  const log = new UnmodelledLog();
  const ioMux = new IoMux(log);
  const gpio = new Gpio(afterRomClocks(), ioMux, log);
  const bus = new OneWireBus();
  gpio.attach(4, oneWirePad(bus));
  return { gpio, ioMux, bus, log };
}

describe('virtual GPIO', () => {
  it('sets and clears OUT and ENABLE directly and through their W1TS/W1TC twins', () => {
    const { gpio } = setUp();
    gpio.write32(OUT, 0x10003, 0);
    assert.equal(gpio.read32(OUT, 0), 0x0003);
    gpio.write32(OUT_W1TS, 0x30, 0);
    gpio.write32(OUT_W1TC, 0x01, 0);
    assert.equal(gpio.read32(OUT, 0), 0x32);
    gpio.write32(ENABLE_W1TS, 0x14, 0);
    gpio.write32(ENABLE_W1TC, 0x04, 0);
    assert.equal(gpio.read32(ENABLE, 0), 0x10);
    assert.equal(gpio.read32(OUT_W1TS, 0), 0, 'write-only');
    gpio.write32(STATUS_W1TS, 0x9, 0);
    gpio.write32(STATUS_W1TC, 0x1, 0);
    assert.equal(gpio.read32(STATUS, 0), 0x8);
  });

  it('shows the boot straps latched at reset in IN[18:16]: (GPIO15, GPIO0, GPIO2)', () => {
    const { gpio } = setUp();
    assert.equal((gpio.read32(IN, 0) >> 16) & 7, 3, 'flash boot');
    gpio.latchStraps({ gpio0: 0, gpio2: 1, gpio15: 0 });
    assert.equal((gpio.read32(IN, 0) >> 16) & 7, 1, 'download boot');
  });

  it('drives the 1-Wire pad low by ENABLE, high by OUT, and not at all as open drain or another function', () => {
    const { gpio, ioMux, bus } = setUp();
    gpio.write32(ENABLE_W1TS, 1 << 4, 0);
    assert.equal(bus.masterDrive, 'low');
    gpio.write32(OUT_W1TS, 1 << 4, 10);
    assert.equal(bus.masterDrive, 'high');
    gpio.write32(PIN4, 1 << 2, 20);
    assert.equal(bus.masterDrive, 'released', 'open drain: a 1 lets go');
    gpio.write32(PIN4, 0, 30);
    ioMux.write32(MUX_GPIO4, 1 << 4, 40); // function 1: not the GPIO
    assert.equal(bus.masterDrive, 'released');
    ioMux.write32(MUX_GPIO4, 0, 50);
    assert.equal(bus.masterDrive, 'high');
  });

  it('reads a presence pulse on GPIO4 through IN after a reset made with the registers the firmware uses', () => {
    const { gpio, ioMux, bus } = setUp();
    bus.attach(new Thermometer({ rom: '28-0316a27950ff' }));
    ioMux.write32(MUX_GPIO4, ioMux.read32(MUX_GPIO4) | (1 << 7), 0);
    gpio.write32(PIN4, gpio.read32(PIN4, 0) & ~(1 << 2), 0);
    gpio.write32(OUT_W1TC, 1 << 4, 0);
    gpio.write32(ENABLE_W1TC, 1 << 4, 0);
    let cycle = 100 * MHZ;
    assert.equal((gpio.read32(IN, cycle) >> 4) & 1, 1, 'idle high');
    gpio.write32(ENABLE_W1TS, 1 << 4, cycle);
    assert.equal((gpio.read32(IN, cycle + MHZ) >> 4) & 1, 0, 'pulled low');
    cycle += 480 * MHZ;
    gpio.write32(ENABLE_W1TC, 1 << 4, cycle);
    assert.equal((gpio.read32(IN, cycle + 70 * MHZ) >> 4) & 1, 0, 'presence');
    assert.equal((gpio.read32(IN, cycle + 480 * MHZ) >> 4) & 1, 1, 'presence over');
    assert.equal(bus.violations().count(), 0);
  });

  it('carries a whole read cycle of the firmware on GPIO4, through its registers, with no violation', () => {
    const { gpio, ioMux, bus } = setUp();
    bus.attach(new Thermometer({ rom: '28-0316a27950ff', celsius: 19.25 }));
    bus.attach(new Thermometer({ rom: '10-000802b4a1c3', celsius: -3.5, power: 'parasite' }));
    // onewire_gpio_init
    ioMux.write32(MUX_GPIO4, (ioMux.read32(MUX_GPIO4) & ~(0x13 << 4)) | (1 << 7), 0);
    gpio.write32(PIN4, gpio.read32(PIN4, 0) & ~(1 << 2), 0);
    gpio.write32(OUT_W1TC, 1 << 4, 0);
    gpio.write32(ENABLE_W1TC, 1 << 4, 0);
    const master = new FirmwareGpioMaster(gpioRegisterPin(gpio, 4));
    master.cycle = 100;
    const readings = readLikeFirmware(master).map((r) => (r.result.ok ? r.result.millidegrees : r.result.code));
    assert.deepEqual(readings.sort(), [-3500, 19250].sort());
    assert.deepEqual(bus.violations().byKind(), {});
  });

  it('lets go of the line at a chip reset: a new GPIO block attached to the same wire releases it', () => {
    const { gpio, bus } = setUp();
    gpio.write32(ENABLE_W1TS, 1 << 4, 0);
    assert.equal(bus.masterDrive, 'low');
    const log = new UnmodelledLog();
    const afterReset = new Gpio(afterRomClocks(), new IoMux(log), log);
    afterReset.attach(4, oneWirePad(bus), 1000);
    assert.equal(bus.masterDrive, 'released');
  });

  it('reads unwired pads from their drive, their pull resistor, or the module strap resistors', () => {
    const { gpio, ioMux } = setUp();
    assert.equal(gpio.read32(IN, 0) & 0b100101, 0b000101, 'GPIO0 and GPIO2 high, GPIO5 floating');
    ioMux.write32(0x40, 1 << 7, 0); // GPIO5 pull-up
    assert.equal((gpio.read32(IN, 0) >> 5) & 1, 1);
    gpio.write32(ENABLE_W1TS, 1 << 2, 0);
    assert.equal((gpio.read32(IN, 0) >> 2) & 1, 0, 'GPIO2 driven low');
    gpio.write32(ENABLE_W1TS, 1 << 12, 0);
    gpio.write32(OUT_W1TS, 1 << 12, 0);
    assert.equal((gpio.read32(IN, 0) >> 12) & 1, 0, 'GPIO12 is still MTDI');
    ioMux.write32(MUX_GPIO12, 3 << 4, 0);
    assert.equal((gpio.read32(IN, 0) >> 12) & 1, 1, 'GPIO12 as a GPIO drives high');
  });

  it('names pin interrupts and registers past the pin block as unmodelled', () => {
    const { gpio, log } = setUp();
    gpio.write32(PIN4, 1 << 7, 0);
    gpio.read32(0x68, 0);
    assert.deepEqual(log.entries, [
      'unmodelled write of 0x80 to GPIO pin interrupt register 0x60000338',
      'unmodelled read of GPIO register 0x60000368',
    ]);
  });
});

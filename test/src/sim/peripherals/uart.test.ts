import { strict as assert } from 'assert';
import { afterRomClocks } from '../../../../src/sim/peripherals/clocks';
import {
  INT_FRAME_ERROR,
  INT_RXFIFO_FULL,
  INT_RXFIFO_OVERFLOW,
  INT_TXFIFO_EMPTY,
  Uart,
  UART_REG,
} from '../../../../src/sim/peripherals/uart';
import { UnmodelledLog } from '../../../../src/sim/peripherals/unmodelled';
import { baudRatesMatch, type WireChunk } from '../../../../src/sim/board/serial-line';

const { FIFO, INT_RAW, INT_ST, INT_ENA, INT_CLR, CLKDIV, STATUS, CONF0, CONF1 } = UART_REG;

function setUp(): { uart: Uart; sent: WireChunk[]; log: UnmodelledLog } {
  const sent: WireChunk[] = [];
  const log = new UnmodelledLog();
  return { uart: new Uart(afterRomClocks(), (chunk) => sent.push(chunk), log), sent, log };
}

function text(chunks: WireChunk[]): string {
  return chunks.map((c) => Buffer.from(c.bytes).toString('latin1')).join('');
}

describe('virtual UART0', () => {
  it('resets to the ROM divisor, 8N1 and empty FIFOs: 74880 baud at the 52 MHz APB', () => {
    const { uart } = setUp();
    assert.equal(uart.read32(CLKDIV, 0), 694);
    assert.equal(uart.read32(CONF0, 0), 0x1c);
    assert.equal(uart.read32(STATUS, 0), 0);
    assert.ok(baudRatesMatch(uart.baud, 74880), `${uart.baud}`);
  });

  it('drains the TX FIFO one 10-bit frame at a time in virtual time, at the divisor rate', () => {
    const { uart, sent } = setUp();
    uart.write32(CLKDIV, Math.round(52e6 / 115200), 0);
    for (const ch of 'hello') uart.write32(FIFO, ch.charCodeAt(0), 0);
    assert.equal(uart.read32(STATUS, 0) >> 16, 5);
    const frame = (10 * 52e6) / uart.baud;
    assert.equal(uart.nextEventCycle(), frame);
    assert.equal(uart.read32(STATUS, Math.floor(2 * frame) - 1) >> 16, 4);
    assert.equal(text(sent), 'h');
    uart.sync(5 * frame);
    assert.equal(text(sent), 'hello');
    assert.equal(uart.read32(STATUS, 5 * frame), 0);
    assert.equal(uart.nextEventCycle(), null);
    assert.ok(sent.every((c) => baudRatesMatch(c.baud, 115200)));
  });

  it('sends at the wrong rate when the divisor is wrong (a divisor made for an 80 MHz clock)', () => {
    const { uart, sent } = setUp();
    uart.write32(CLKDIV, Math.round(80e6 / 115200), 0);
    uart.write32(FIFO, 0x41, 0);
    uart.sync(1e6);
    assert.equal(sent.length, 1);
    assert.ok(!baudRatesMatch(sent[0].baud, 115200), `${sent[0].baud}`);
  });

  it('holds 128 bytes in the TX FIFO and loses what is written beyond', () => {
    const { uart } = setUp();
    for (let i = 0; i < 130; i++) uart.write32(FIFO, i, 0);
    assert.equal((uart.read32(STATUS, 0) >> 16) & 0xff, 128);
    assert.equal(uart.droppedTx, 2);
  });

  it('receives bytes at its rate, counts them in STATUS and pops them from FIFO', () => {
    const { uart } = setUp();
    uart.write32(CLKDIV, 451, 0);
    uart.receive({ bytes: Buffer.from('ok'), baud: 115200 }, 0);
    assert.equal(uart.read32(STATUS, 0) & 0xff, 2);
    assert.equal(uart.read32(FIFO, 0), 0x6f);
    assert.equal(uart.read32(FIFO, 0), 0x6b);
    assert.equal(uart.read32(STATUS, 0) & 0xff, 0);
    assert.equal(uart.read32(INT_RAW, 0) & INT_FRAME_ERROR, 0);
  });

  it('receives garbage with a frame error from a host at another rate', () => {
    const { uart } = setUp();
    uart.receive({ bytes: Buffer.from('hello'), baud: 115200 }, 0);
    const count = uart.read32(STATUS, 0) & 0xff;
    const bytes = Array.from({ length: count }, () => uart.read32(FIFO, 0));
    assert.notEqual(Buffer.from(bytes).toString('latin1'), 'hello');
    assert.ok(uart.read32(INT_RAW, 0) & INT_FRAME_ERROR);
    uart.write32(INT_CLR, INT_FRAME_ERROR, 0);
    assert.equal(uart.read32(INT_RAW, 0) & INT_FRAME_ERROR, 0);
  });

  it('raises RXFIFO_FULL at the CONF1 threshold, overflows past 128, and masks INT_ST with INT_ENA', () => {
    const { uart } = setUp();
    uart.write32(CLKDIV, 451, 0);
    uart.write32(CONF1, 0x6000 | 4, 0);
    uart.receive({ bytes: new Uint8Array(3), baud: 115200 }, 0);
    assert.equal(uart.read32(INT_RAW, 0) & INT_RXFIFO_FULL, 0);
    uart.receive({ bytes: new Uint8Array(1), baud: 115200 }, 0);
    assert.ok(uart.read32(INT_RAW, 0) & INT_RXFIFO_FULL);
    assert.ok(uart.read32(INT_RAW, 0) & INT_TXFIFO_EMPTY);
    assert.equal(uart.read32(INT_ST, 0), 0);
    assert.equal(uart.interruptPending, false);
    uart.write32(INT_ENA, INT_RXFIFO_FULL, 0);
    assert.equal(uart.read32(INT_ST, 0), INT_RXFIFO_FULL);
    assert.equal(uart.interruptPending, true);
    uart.receive({ bytes: new Uint8Array(200), baud: 115200 }, 0);
    assert.equal(uart.read32(STATUS, 0) & 0xff, 128);
    assert.ok(uart.read32(INT_RAW, 0) & INT_RXFIFO_OVERFLOW);
  });

  it('empties its FIFOs on the CONF0 reset bits, and loops TX back to RX', () => {
    const { uart, sent } = setUp();
    uart.receive({ bytes: new Uint8Array(5), baud: 74880 }, 0);
    uart.write32(FIFO, 1, 0);
    uart.write32(CONF0, 0x1c | (1 << 17) | (1 << 18), 0);
    uart.write32(CONF0, 0x1c, 0);
    assert.equal(uart.read32(STATUS, 0), 0);
    uart.write32(CONF0, 0x1c | (1 << 14), 0);
    uart.write32(FIFO, 0x5a, 0);
    uart.sync(1e6);
    assert.equal(sent.length, 0);
    assert.equal(uart.read32(FIFO, 1e6), 0x5a);
  });

  it('logs a register it does not model, once', () => {
    const { uart, log } = setUp();
    uart.read32(0x78, 0);
    uart.read32(0x78, 0);
    assert.deepEqual(log.entries, ['unmodelled read of UART0 register 0x60000078']);
  });
});

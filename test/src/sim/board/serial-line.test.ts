import assert from 'node:assert/strict';
import { SerialLine, baudRatesMatch, sampleAtBaud, type WireChunk } from '../../../../src/sim/board/serial-line';

describe('sim/board/serial-line', () => {
  it('delivers every byte in order, each taking 10 bit times at the sender rate', async () => {
    const received: WireChunk[] = [];
    const line = new SerialLine((chunk) => received.push({ bytes: chunk.bytes.slice(), baud: chunk.baud }));
    const data = Uint8Array.from({ length: 192 }, (_, i) => i);
    const started = performance.now();
    await line.send(data, 19200);
    const elapsed = performance.now() - started;
    // 192 bytes × 10 bits / 19200 bit/s = 100 ms on the wire: delivery cannot be earlier.
    assert.ok(elapsed >= 99, `took ${elapsed.toFixed(1)} ms`);
    assert.deepEqual(Buffer.concat(received.map((c) => c.bytes)), Buffer.from(data));
    assert.ok(received.length > 1, 'bytes arrive progressively, not as one block');
    assert.ok(received.every((c) => c.baud === 19200));
  });

  it('keeps each chunk at the rate it was sent with', async () => {
    const rates: number[] = [];
    const line = new SerialLine((chunk) => rates.push(chunk.baud));
    const first = line.send(Uint8Array.of(1, 2), 115200);
    const second = line.send(Uint8Array.of(3), 460800);
    await Promise.all([first, second]);
    assert.deepEqual([...new Set(rates)], [115200, 460800]);
  });

  it('counts the wire time of what it sent, each byte at its own rate', async () => {
    const line = new SerialLine(() => undefined);
    assert.equal(line.wireSeconds, 0);
    await Promise.all([line.send(new Uint8Array(1152), 115200), line.send(new Uint8Array(4608), 460800)]);
    // 1152 × 10 / 115200 = 0.1 s, and 4608 × 10 / 460800 = 0.1 s.
    assert.ok(Math.abs(line.wireSeconds - 0.2) < 1e-9, `${line.wireSeconds} s`);
  });

  it('whenIdle() resolves only after the last queued byte was delivered', async () => {
    let delivered = 0;
    const line = new SerialLine((chunk) => (delivered += chunk.bytes.length));
    void line.send(new Uint8Array(30), 115200);
    void line.send(new Uint8Array(20), 74880);
    await line.whenIdle();
    assert.equal(delivered, 50);
    assert.equal(line.busy, false);
  });

  it('clear() drops what is still on the wire and releases the sender', async () => {
    let delivered = 0;
    const line = new SerialLine((chunk) => (delivered += chunk.bytes.length));
    const sending = line.send(new Uint8Array(1000), 9600);
    line.clear();
    await sending;
    assert.equal(delivered, 0);
    assert.equal(line.busy, false);
  });

  it('samples intact within the UART tolerance and garbles otherwise', () => {
    const text = Buffer.from('ets Jan  8 2013,rst cause:2, boot mode:(1,6)');
    assert.ok(baudRatesMatch(115200, 115200 * 1.02));
    assert.deepEqual(sampleAtBaud(text, 74880, 74880), text);
    const garbled = Buffer.from(sampleAtBaud(text, 74880, 115200));
    assert.ok(!garbled.toString('latin1').includes('ets'), 'no trace of the text');
    assert.equal(garbled.length, Math.round((text.length * 115200) / 74880));
  });
});

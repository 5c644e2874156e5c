import assert from 'node:assert/strict';
import { PortLostError, WebSerialAdapter } from '../../../src/serial/web-serial-adapter';
import { FakeLink } from './fake-link';

function adapterWithFake(): { adapter: WebSerialAdapter; links: FakeLink[] } {
  const links: FakeLink[] = [];
  const adapter = new WebSerialAdapter(
    (baudRate) => {
      const link = new FakeLink('/dev/ttyFAKE0', baudRate);
      links.push(link);
      return link;
    },
    { usbVendorId: 0x1a86, usbProductId: 0x7523 },
  );
  return { adapter, links };
}

describe('Web-Serial adapter over a serialport link', () => {
  it('opens at the requested baud rate and exposes readable and writable streams', async () => {
    const { adapter, links } = adapterWithFake();
    assert.ok(!adapter.isOpen);
    await adapter.open({ baudRate: 74880 });
    assert.equal(links[0].baudRate, 74880);
    assert.ok(adapter.readable instanceof ReadableStream);
    assert.ok(adapter.writable instanceof WritableStream);
    await adapter.close();
    assert.equal(adapter.readable, null);
    assert.equal(adapter.writable, null);
    assert.equal(links[0].isOpen, false);
  });

  it('keeps one readable stream across many getReader()/releaseLock() rounds, as esptool-js reads', async () => {
    const { adapter, links } = adapterWithFake();
    await adapter.open({ baudRate: 115200 });
    const readable = adapter.readable!;
    links[0].receive([1, 2]);
    links[0].receive([3]);
    const received: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      const reader = readable.getReader();
      assert.equal(readable.locked, true);
      const { value } = await reader.read();
      received.push(...value!);
      reader.releaseLock();
      assert.equal(readable.locked, false);
    }
    assert.equal(adapter.readable, readable);
    assert.deepEqual(received, [1, 2, 3]);
    await adapter.close();
  });

  it('writes through the writable stream and locks it while a writer is held', async () => {
    const { adapter, links } = adapterWithFake();
    await adapter.open({});
    const writer = adapter.writable!.getWriter();
    assert.equal(adapter.writable!.locked, true);
    await writer.write(Uint8Array.from([0xc0, 0x00, 0xc0]));
    writer.releaseLock();
    assert.equal(adapter.writable!.locked, false);
    assert.deepEqual([...links[0].written[0]], [0xc0, 0x00, 0xc0]);
    await adapter.close();
  });

  it('always sends both DTR and RTS, keeping the line a call does not name', async () => {
    const { adapter, links } = adapterWithFake();
    await adapter.open({});
    await adapter.setSignals({ dataTerminalReady: true });
    await adapter.setSignals({ requestToSend: true });
    await adapter.setSignals({ dataTerminalReady: false });
    await adapter.setSignals({ dataTerminalReady: true, requestToSend: false });
    assert.deepEqual(links[0].setCalls, [
      { dtr: true, rts: false, brk: false },
      { dtr: true, rts: true, brk: false },
      { dtr: false, rts: true, brk: false },
      { dtr: true, rts: false, brk: false },
    ]);
    await adapter.close();
  });

  it('changes the baud rate in place without reopening the port', async () => {
    const { adapter, links } = adapterWithFake();
    await adapter.open({ baudRate: 115200 });
    await adapter.setBaudRate(921600);
    assert.equal(links.length, 1);
    assert.deepEqual(links[0].baudRates, [921600]);
    await adapter.close();
  });

  it('reports the USB ids it was given', () => {
    const { adapter } = adapterWithFake();
    assert.deepEqual(adapter.getInfo(), { usbVendorId: 0x1a86, usbProductId: 0x7523 });
  });

  it('errors the readable stream and tells listeners when the port vanishes', async () => {
    const { adapter, links } = adapterWithFake();
    await adapter.open({});
    const lost: Error[] = [];
    adapter.onLost((error) => lost.push(error));
    const reader = adapter.readable!.getReader();
    const pending = reader.read();
    links[0].vanish();
    await assert.rejects(pending, PortLostError);
    assert.equal(lost.length, 1);
    assert.match(lost[0].message, /ttyFAKE0 was lost/);
    await assert.rejects(adapter.setSignals({ requestToSend: true }), PortLostError);
  });

  it('ends the readable stream quietly on a deliberate close', async () => {
    const { adapter } = adapterWithFake();
    await adapter.open({});
    const readable = adapter.readable!;
    const reader = readable.getReader();
    const pending = reader.read();
    await adapter.close();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(adapter.lostError, undefined);
  });

  it('passes an open failure to the caller and stays closed', async () => {
    const adapter = new WebSerialAdapter((baudRate) => {
      const link = new FakeLink('/dev/ttyBUSY', baudRate);
      link.failOpenWith = new Error('Error Resource temporarily unavailable Cannot lock port');
      return link;
    });
    await assert.rejects(adapter.open({}), /Cannot lock port/);
    assert.equal(adapter.readable, null);
    assert.equal(adapter.isOpen, false);
  });
});

import assert from 'node:assert/strict';
import { FlashError } from '../../../src/esp8266/flash-errors';
import { flashImage } from '../../../src/esp8266/flasher';
import { FakeLink } from '../serial/fake-link';
import { buildTestImage } from '../../support/image-builders';
import { ESP32_MAGIC, ScriptedRomLink } from './scripted-rom';

function isFlashError(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof FlashError && error.code === code && pattern.test(error.message);
}

describe('flasher failures that need no full board', () => {
  it('rejects a corrupted image before the port is opened', async () => {
    const image = buildTestImage();
    image[20] ^= 0xff;
    let linksCreated = 0;
    await assert.rejects(
      flashImage({
        path: '/dev/ttyNEVER',
        image,
        flashBaudRate: 460800,
        reset: 'auto',
        createLink: (path, baud) => {
          linksCreated += 1;
          return new FakeLink(path, baud);
        },
      }),
      isFlashError('invalid-image', /checksum mismatch/),
    );
    assert.equal(linksCreated, 0);
  });

  it('rejects an image above 16 MiB before the port is opened', async () => {
    await assert.rejects(
      flashImage({
        path: '/dev/ttyNEVER',
        image: new Uint8Array(16 * 1024 * 1024 + 1),
        flashBaudRate: 460800,
        reset: 'auto',
        createLink: () => {
          throw new Error('must not open');
        },
      }),
      isFlashError('image-too-large', /at most 16 MB/),
    );
  });

  it('refuses a board that is not an ESP8266 and closes the port', async () => {
    const links: ScriptedRomLink[] = [];
    await assert.rejects(
      flashImage({
        path: '/dev/ttyESP32',
        image: buildTestImage(),
        flashBaudRate: 460800,
        reset: 'auto',
        connectAttempts: 2,
        createLink: (path, baud) => {
          const link = new ScriptedRomLink(path, baud, ESP32_MAGIC);
          links.push(link);
          return link;
        },
      }),
      isFlashError('wrong-chip', /the board is an ESP32, not an ESP8266/),
    );
    assert.ok(links.length >= 1);
    assert.ok(
      links.every((link) => !link.isOpen),
      'no port stays open',
    );
    const flashCommands = links.flatMap((link) => link.commands).filter((op) => op === 0x02 || op === 0x05 || op === 0x10);
    assert.deepEqual(flashCommands, [], 'nothing was written to the board');
  });

  it('reports a silent board as no answer from the ROM, with the BOOT/RESET hint', async () => {
    const links: FakeLink[] = [];
    await assert.rejects(
      flashImage({
        path: '/dev/ttySILENT',
        image: buildTestImage(),
        flashBaudRate: 460800,
        reset: 'none',
        connectAttempts: 1,
        createLink: (path, baud) => {
          const link = new FakeLink(path, baud);
          links.push(link);
          return link;
        },
      }),
      isFlashError('no-answer', /no answer from the ESP8266 boot ROM on \/dev\/ttySILENT: hold BOOT\/FLASH while pressing RESET/),
    );
    assert.ok(links.every((link) => !link.isOpen));
  });

  it('says the port is busy when another program holds it', async () => {
    await assert.rejects(
      flashImage({
        path: '/dev/ttyHELD',
        image: buildTestImage(),
        flashBaudRate: 460800,
        reset: 'auto',
        createLink: (path, baud) => {
          const link = new FakeLink(path, baud);
          link.failOpenWith = new Error('Error Resource temporarily unavailable Cannot lock port');
          return link;
        },
      }),
      isFlashError('port-busy', /another program holds \/dev\/ttyHELD: close it, or disable the serial node using it/),
    );
  });

  it('explains a port without control lines when reset is auto', async () => {
    await assert.rejects(
      flashImage({
        path: '/dev/pts/9',
        image: buildTestImage(),
        flashBaudRate: 460800,
        reset: 'auto',
        createLink: (path, baud) => {
          const link = new FakeLink(path, baud);
          link.failSetWith = new Error('Inappropriate ioctl for device, cannot set');
          return link;
        },
      }),
      isFlashError('no-control-lines', /set the device's reset to "none"/),
    );
  });
});

import assert from 'assert';

import { parseCounts, requireFirmwareToolchain } from './toolchain';

describe('firmware: test toolchain helpers', () => {
  it('fails with the apt-get command when the tools are not on PATH', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      assert.throws(() => requireFirmwareToolchain(),
        /install it with: apt-get install -y make gcc gcc-xtensa-lx106 binutils-xtensa-lx106 qemu-system-misc/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('reads the C harness totals and refuses output without them', () => {
    assert.deepStrictEqual(parseCounts('ok - a\nnot ok - b\n    failed: x\n1 passed, 1 failed\n'),
      { passed: 1, failed: 1, okLines: 1, notOkLines: 1 });
    assert.throws(() => parseCounts('Segmentation fault\n'), /no "N passed, N failed" line/);
  });
});

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT, readManifest } from './package-layout';
import { loadPackedModules } from './packed-modules';
import { packedTarball } from './packed-tarball';

const nodeTypes = Object.keys(readManifest()['node-red']?.nodes ?? {});

describe('the packed package (npm pack on a clean tree)', function () {
  this.timeout(240_000);
  let files: string[];
  let tarball: string;

  before(async () => {
    ({ files, file: tarball } = await packedTarball());
  });

  it('carries every node: its entry .js, compiled .js, editor .html and en-US catalog and help', () => {
    assert.equal(nodeTypes.length, 5);
    for (const type of nodeTypes) {
      for (const file of [
        `dist/nodes/${type}.js`,
        `dist/nodes/${type}/${type}.js`,
        `dist/nodes/${type}.html`,
        `dist/nodes/locales/en-US/${type}.json`,
        `dist/nodes/locales/en-US/${type}.html`,
      ]) {
        assert.ok(files.includes(file), `${file} is missing from the tarball`);
      }
    }
  });

  it('carries each icon once, in the folder the node entry files share', () => {
    const icons = fs.readdirSync(path.join(PACKAGE_ROOT, 'icons')).filter((name) => /\.(svg|png)$/.test(name));
    assert.ok(icons.length >= 3);
    for (const icon of icons) {
      assert.deepEqual(
        files.filter((file) => path.basename(file) === icon),
        [`dist/nodes/icons/${icon}`],
      );
    }
    assert.deepEqual(
      files.filter((file) => /(^|\/)icons\//.test(file) && !file.startsWith('dist/nodes/icons/')),
      [],
    );
  });

  it("carries the examples, the editors' field rules, the firmware image and its protocol, README, CHANGELOG and LICENSE", () => {
    const examples = fs.readdirSync(path.join(PACKAGE_ROOT, 'examples')).map((name) => `examples/${name}`);
    assert.equal(examples.length, 3);
    for (const file of [
      ...examples,
      'resources/field-rules.js',
      'firmware/bridge.bin',
      'firmware/PROTOCOL.md',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'package.json',
    ]) {
      assert.ok(files.includes(file), `${file} is missing from the tarball`);
    }
  });

  it('carries the commands it declares', () => {
    for (const bin of Object.values(readManifest().bin ?? {})) assert.ok(files.includes(bin), `${bin} is missing from the tarball`);
  });

  it('leaves out what only developers use: tests, benchmarks, the demo, build tooling, sources and maps', () => {
    const devOnly = files.filter(
      (file) =>
        /^(dist\/(test|bench|src\/demo)\/|test\/|bench\/|scripts\/|src\/|nodes\/|firmware\/(src|test|platform)\/|docs\/)/.test(file) ||
        /^dist\/src\/esp8266\/elf/.test(file) ||
        /\.(ts|map)$/.test(file) ||
        file === 'tsconfig.json' ||
        file === 'package-lock.json',
    );
    assert.deepEqual(devOnly, []);
  });

  it('loads every .js file it carries in a fresh process with only its production dependencies (no node-red)', async () => {
    const modules = files.filter((file) => file.endsWith('.js'));
    assert.ok(modules.includes(`dist/nodes/${nodeTypes[0]}.js`), 'the tarball lists no node file');
    assert.deepEqual(await loadPackedModules(tarball, readManifest().name ?? '', modules), []);
  });
});

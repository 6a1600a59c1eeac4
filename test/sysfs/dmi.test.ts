import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dmiInfoLabels, parseDmiValue, toValidUtf8 } from '../../src/sysfs/dmi.js';
import { rotationalLabel } from '../../src/sysfs/block.js';
import { fixturePath } from '../helpers/repo.js';

const b = (...bytes: (number | string)[]) => Buffer.concat(bytes.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from([x]))));

test('toValidUtf8 replaces each run of invalid bytes with one U+FFFD, as Go does', () => {
  const cases: [Buffer, string][] = [
    [b(''), ''],
    [b('plain'), 'plain'],
    [b('a', 0xff, 0xfe, 0xfd, 'b'), 'a\ufffdb'],
    [b('a', 0xc3), 'a\ufffd'], // truncated sequence
    [b(0xe2, 0x82, 0xac), '€'],
    [b(0xef, 0xbf, 0xbd, 0xff), '\ufffd\ufffd'], // a real U+FFFD, then an invalid byte
    [b(0xc0, 0xaf), '\ufffd'], // overlong "/"
    [b(0xed, 0xa0, 0x80), '\ufffd'], // UTF-16 surrogate
    [b(0xf4, 0x90, 0x80, 0x80), '\ufffd'], // beyond U+10FFFF
    [b(0xf0, 0x9f, 0x92, 0xbe), '💾'],
  ];
  for (const [bytes, want] of cases) assert.equal(toValidUtf8(bytes), want, bytes.toString('hex'));
});

test('parseDmiValue trims as Go does (U+0085 yes, U+FEFF no)', () => {
  assert.equal(parseDmiValue(b('  Default string \n')), 'Default string');
  assert.equal(parseDmiValue(b('\n')), '');
  assert.equal(parseDmiValue(b('\u0085x\u00a0')), 'x');
  assert.equal(parseDmiValue(b('\ufeffx')), '\ufeffx');
});

test('dmiInfoLabels: only known files, sys_vendor as system_vendor', () => {
  const files = new Map([
    ['sys_vendor', b('Dell Inc.\n')],
    ['chassis_type', b('23\n')],
    ['modalias', b('dmi:x\n')],
    ['bios_date', b('04/12/2021\n')],
  ]);
  assert.deepEqual(dmiInfoLabels(files), { bios_date: '04/12/2021', system_vendor: 'Dell Inc.' });
  assert.deepEqual(dmiInfoLabels(new Map()), {});
});

test('fixture /sys/class/dmi/id/product_version', async () => {
  // "1.0", ff fe c3 (one invalid run), " €", a literal U+FFFD.
  assert.equal(parseDmiValue(await readFile(fixturePath('sys', 'class', 'dmi', 'id', 'product_version'))), '1.0\ufffd €\ufffd');
});

test('rotationalLabel: "1" only for 1', () => {
  assert.equal(rotationalLabel('1\n'), '1');
  assert.equal(rotationalLabel('0\n'), '0');
  assert.equal(rotationalLabel('2\n'), '0');
  assert.equal(rotationalLabel('rotating\n'), '0');
  assert.equal(rotationalLabel(''), '0');
  assert.equal(rotationalLabel(undefined), '0');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { IB_COUNTERS, parseIbCounter, parseIbRate, parseIbState } from '../../src/sysfs/infiniband.js';
import { fixturePath } from '../helpers/repo.js';

const stateCases: { name: string; text: string; want?: { id: number; name: string }; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /ID: NAME/ },
  { name: 'no name part', text: '4\n', error: /ID: NAME/ },
  { name: 'too many fields', text: '4: ACTIVE: x\n', error: /ID: NAME/ },
  { name: 'invalid id', text: 'four: ACTIVE\n', error: /invalid state id/ },
  { name: 'valid', text: '4: ACTIVE\n', want: { id: 4, name: 'ACTIVE' } },
  { name: 'valid phys_state', text: '5: LinkUp\n', want: { id: 5, name: 'LinkUp' } },
];
for (const c of stateCases) {
  test(`parseIbState: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseIbState(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(parseIbState(c.text), c.want);
  });
}

const rateCases: { name: string; text: string; want?: number; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /rate> <unit/ },
  { name: 'no unit', text: '100\n', error: /rate> <unit/ },
  { name: 'invalid number', text: 'fast Gb/sec\n', error: /invalid rate/ },
  { name: 'valid HDR', text: '200 Gb/sec (4X HDR)\n', want: 25_000_000_000 },
  { name: 'valid fractional (float32, truncated)', text: '2.5 Gb/sec (1X SDR)\n', want: 312_500_000 },
  { name: 'valid 0.3 rounds through float32 as upstream', text: '0.3 Gb/sec\n', want: Math.trunc(Math.fround(0.3) * 125000000) },
];
for (const c of rateCases) {
  test(`parseIbRate: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseIbRate(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.equal(parseIbRate(c.text), c.want);
  });
}

test('parseIbCounter: bases, 64-bit range, N/A and junk', () => {
  assert.equal(parseIbCounter('42\n'), 42);
  assert.equal(parseIbCounter('0x10\n'), 16);
  assert.equal(parseIbCounter('18446744073709551615\n'), 2 ** 64);
  assert.equal(parseIbCounter('N/A (no PMA)\n'), undefined);
  for (const bad of ['', '-1', '18446744073709551616', 'lots', '08']) assert.throws(() => parseIbCounter(bad), ParseError, bad);
});

test('every counter maps to a distinct metric', () => {
  const metrics = Object.values(IB_COUNTERS).flatMap((d) => Object.values(d).map((s) => s.metric));
  assert.equal(new Set(metrics).size, metrics.length);
});

test('infiniband fixture files read through readAndParse', async () => {
  const port = fixturePath('sys', 'class', 'infiniband', 'mlx5_0', 'ports', '1');
  assert.deepEqual(await readAndParse(`${port}/state`, parseIbState), { id: 4, name: 'ACTIVE' });
  assert.equal(await readAndParse(`${port}/rate`, parseIbRate), 25_000_000_000);
  assert.equal(await readAndParse(`${port}/counters/port_rcv_discards`, parseIbCounter), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { parsePressure, type Pressure } from '../../src/procfs/pressure.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const line = (avg10: number, avg60: number, avg300: number, totalMicroseconds: number) => ({ avg10, avg60, avg300, totalMicroseconds });

const cases: { name: string; text: string; want?: Pressure; error?: RegExp }[] = [
  { name: 'empty: neither line', text: '', want: {} },
  { name: 'truncated line', text: 'some avg10=0.00 avg60=0.00', error: /3 fields, want 5/ },
  { name: 'fields out of order', text: 'some avg60=0.00 avg10=0.00 avg300=0.00 total=1', error: /field 2 is not avg10=/ },
  { name: 'invalid average', text: 'some avg10=abc avg60=0.00 avg300=0.00 total=1', error: /avg10 "abc"/ },
  { name: 'invalid total', text: 'full avg10=0.00 avg60=0.00 avg300=0.00 total=-5', error: /total "-5"/ },
  { name: 'unknown extra field', text: 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1 avg900=0.00', error: /6 fields, want 5/ },
  { name: 'duplicate line', text: 'full avg10=0 avg60=0 avg300=0 total=1\nfull avg10=0 avg60=0 avg300=0 total=2', error: /duplicate "full"/ },
  {
    name: 'valid: unknown kinds skipped, no trailing newline',
    text: 'some avg10=0.18 avg60=0.34 avg300=0.10 total=159886802\nbursty avg10=1\nfull avg10=0.18 avg60=0.34 avg300=0.10 total=159229614',
    want: { some: line(0.18, 0.34, 0.1, 159886802), full: line(0.18, 0.34, 0.1, 159229614) },
  },
  { name: 'valid: irq has only "full"', text: 'full avg10=0.00 avg60=0.00 avg300=0.00 total=8494\n', want: { full: line(0, 0, 0, 8494) } },
];

for (const c of cases) {
  test(`parsePressure: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parsePressure(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parsePressure(c.text), c.want);
    }
  });
}

test('fixture /proc/pressure/{cpu,irq}', async () => {
  const cpu = await readAndParse(fixturePath('proc', 'pressure', 'cpu'), parsePressure);
  assert.deepEqual(cpu, { some: line(1.25, 0.88, 0.41, 987654321), full: line(0, 0, 0, 0) });
  const irq = await readAndParse(fixturePath('proc', 'pressure', 'irq'), parsePressure);
  assert.deepEqual(irq, { full: line(0, 0, 0, 71234) });
});

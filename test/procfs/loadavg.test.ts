import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLoadavg, type Loadavg } from '../../src/procfs/loadavg.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Loadavg; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /0 fields/ },
  { name: 'truncated line', text: '0.42 0.37', error: /2 fields/ },
  { name: 'too few fields after newline', text: '0.42\n0.37 0.31\n', error: /1 fields/ },
  { name: 'invalid number', text: '0.42 x.37 0.31 2/1187 48213\n', error: /5-minute load "x.37"/ },
  { name: 'only the three averages', text: '1.00 2.50 12.75', want: { load1: 1, load5: 2.5, load15: 12.75 } },
  { name: 'extra fields are ignored', text: '0.42 0.37 0.31 2/1187 48213 future\n', want: { load1: 0.42, load5: 0.37, load15: 0.31 } },
  { name: 'valid', text: '0.00 0.01 0.05 1/98 7\n', want: { load1: 0, load5: 0.01, load15: 0.05 } },
];

for (const c of cases) {
  test(`parseLoadavg: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseLoadavg(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseLoadavg(c.text), c.want);
    }
  });
}

test('fixture /proc/loadavg', async () => {
  assert.deepEqual(await readAndParse(fixturePath('proc', 'loadavg'), parseLoadavg), { load1: 0.42, load5: 0.37, load15: 0.31 });
});

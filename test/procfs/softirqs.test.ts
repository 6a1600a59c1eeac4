import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSoftirqs } from '../../src/procfs/softirqs.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = '                    CPU0       CPU1\n';

const cases: { name: string; text: string; want?: [string, number[]][]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /CPU header/ },
  { name: 'no header', text: '          HI:          1          0\n', error: /CPU header/ },
  { name: 'invalid number', text: `${HEADER}       TIMER:     42   4x2\n`, error: /TIMER count of CPU 1 "4x2"/ },
  { name: 'row without a name', text: `${HEADER}   12   13\n`, error: /NAME:/ },
  { name: 'truncated row: a name alone is skipped', text: `${HEADER}       TIMER:\n`, want: [] },
  {
    name: 'valid, unknown rows kept',
    text: `${HEADER}          HI:          1          0\nBLOCK_IOPOLL:          0          3\n`,
    want: [
      ['HI', [1, 0]],
      ['BLOCK_IOPOLL', [0, 3]],
    ],
  },
];

for (const c of cases) {
  test(`parseSoftirqs: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSoftirqs(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseSoftirqs(c.text)], c.want);
    }
  });
}

test('fixture /proc/softirqs: every possible CPU, the offline one too', async () => {
  const rows = await readAndParse(fixturePath('proc', 'softirqs'), parseSoftirqs);
  assert.deepEqual([...rows.keys()], ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU']);
  assert.deepEqual(rows.get('NET_RX'), [9876543, 12345, 2345, 654321]);
});

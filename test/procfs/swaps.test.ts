import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSwaps, type SwapArea } from '../../src/procfs/swaps.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';
const area = (filename: string, type: string, size: number, used: number, priority: number): SwapArea => ({ filename, type, size, used, priority });

const cases: { name: string; text: string; want?: SwapArea[]; error?: RegExp }[] = [
  { name: 'empty file: no swap', text: '', want: [] },
  { name: 'header only: no swap', text: HEADER, want: [] },
  { name: 'header without newline', text: HEADER.trimEnd(), want: [] },
  {
    name: 'valid: kernel padding and tabs, negative priority, escaped name kept escaped',
    text: `${HEADER}/dev/sda2                               partition\t8388604\t\t1024\t\t-2\n/swap\\040file                           file\t\t1048572\t\t0\t\t5\n`,
    want: [area('/dev/sda2', 'partition', 8388604, 1024, -2), area('/swap\\040file', 'file', 1048572, 0, 5)],
  },
  { name: 'the first line is skipped whatever it holds', text: '/dev/sda2 partition 1 2 3\n/dev/sdb2 partition 4 5 6', want: [area('/dev/sdb2', 'partition', 4, 5, 6)] },
  { name: 'unknown extra fields are ignored', text: `${HEADER}/dev/zram0 partition 16 8 100 future\n`, want: [area('/dev/zram0', 'partition', 16, 8, 100)] },
  { name: 'CRLF line ends', text: `${HEADER}/dev/zram0 partition 16 8 100\r\n`, want: [area('/dev/zram0', 'partition', 16, 8, 100)] },
  { name: 'a plus sign, as Atoi takes it', text: `${HEADER}/dev/zram0 partition +16 8 +1\n`, want: [area('/dev/zram0', 'partition', 16, 8, 1)] },
  { name: 'truncated line', text: `${HEADER}/dev/sda2                               partition\t83`, error: /fewer than 5 fields/ },
  { name: 'too few fields', text: `${HEADER}/dev/sda2 partition 8388604 0\n`, error: /fewer than 5 fields/ },
  { name: 'blank line between areas', text: `${HEADER}/dev/sda2 partition 1 0 -2\n\n/dev/sdb2 partition 1 0 -3\n`, error: /fewer than 5 fields/ },
  { name: 'invalid size', text: `${HEADER}/dev/sda2 partition 8G 0 -2\n`, error: /invalid swap size "8G"/ },
  { name: 'invalid used', text: `${HEADER}/dev/sda2 partition 8 - -2\n`, error: /invalid swap used "-"/ },
  { name: 'invalid priority', text: `${HEADER}/dev/sda2 partition 8 0 high\n`, error: /invalid swap priority "high"/ },
  { name: 'a float is not an int', text: `${HEADER}/dev/sda2 partition 8.5 0 -2\n`, error: /invalid swap size/ },
  { name: 'beyond int64', text: `${HEADER}/dev/sda2 partition 9223372036854775808 0 -2\n`, error: /out of range/ },
];

for (const c of cases) {
  test(`parseSwaps: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSwaps(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseSwaps(c.text), c.want);
    }
  });
}

test('parseSwaps: the error points at the line', () => {
  try {
    parseSwaps(`${HEADER}/dev/sda2 partition 1 0 -2\n/dev/sdb2 partition x 0 -3\n`);
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 3);
    assert.equal(err.line, '/dev/sdb2 partition x 0 -3');
  }
});

test('fixture /proc/swaps', async () => {
  assert.deepEqual(await readAndParse(fixturePath('proc', 'swaps'), parseSwaps), [
    area('/dev/zram0', 'partition', 16271356, 1234560, 100),
    area('/dev/dm-1', 'partition', 8388604, 262144, -2),
    area('/var/lib/swap\\040file', 'file', 4194300, 0, -3),
  ]);
});

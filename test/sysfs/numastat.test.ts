import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseNumastat } from '../../src/sysfs/numastat.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no entries/ },
  { name: 'truncated line', text: 'numa_hit 1\nnuma_miss', error: /1 fields, want 2/ },
  { name: 'unknown extra field', text: 'numa_hit 1 pages', error: /3 fields, want 2/ },
  { name: 'invalid number', text: 'numa_hit -1', error: /value of numa_hit "-1"/ },
  { name: 'invalid name', text: 'numa.hit 1', error: /invalid numastat name/ },
  { name: 'duplicate name', text: 'numa_hit 1\nnuma_hit 2', error: /duplicate/ },
  {
    name: 'valid, unknown names kept',
    text: 'numa_hit 326720946761\nfuture_node 3\n',
    want: [
      ['numa_hit', 326720946761],
      ['future_node', 3],
    ],
  },
];

for (const c of cases) {
  test(`parseNumastat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseNumastat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseNumastat(c.text)], c.want);
    }
  });
}

test('fixture node1/numastat', async () => {
  const stats = await readAndParse(fixturePath('sys', 'devices', 'system', 'node', 'node1', 'numastat'), parseNumastat);
  assert.deepEqual([...stats.keys()], ['numa_hit', 'numa_miss', 'numa_foreign', 'interleave_hit', 'local_node', 'other_node']);
  assert.equal(stats.get('numa_miss'), 120482);
});

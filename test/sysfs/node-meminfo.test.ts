import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { nodeMeminfoMetricName, parseNodeMeminfo, type NodeMeminfoEntry } from '../../src/sysfs/node-meminfo.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: NodeMeminfoEntry[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no entries/ },
  { name: 'truncated line', text: 'Node 0 MemTotal:', error: /3 fields, want 4 or 5/ },
  { name: 'too many fields', text: 'Node 0 MemTotal: 1 kB x', error: /6 fields/ },
  { name: 'no node prefix', text: 'MemTotal: 16 kB x', error: /"Node N"/ },
  { name: 'key without colon', text: 'Node 0 MemTotal 16 kB', error: /invalid node meminfo key/ },
  { name: 'key that cannot be a metric name', text: 'Node 0 Mem-Total: 16 kB', error: /invalid node meminfo key/ },
  { name: 'invalid number', text: 'Node 0 MemFree: 1.5 kB', error: /value of MemFree "1.5"/ },
  { name: 'unknown unit', text: 'Node 0 MemFree: 1 MB', error: /unit "MB"/ },
  {
    name: 'valid: kB is KiB, counts stay, unknown keys kept',
    text: 'Node 1 Active(anon):     590464 kB\nNode 1 HugePages_Total:     4\nNode 1 FutureKey:  2 kB\n',
    want: [
      { node: '1', key: 'Active(anon)', value: 590464 * 1024 },
      { node: '1', key: 'HugePages_Total', value: 4 },
      { node: '1', key: 'FutureKey', value: 2048 },
    ],
  },
];

for (const c of cases) {
  test(`parseNodeMeminfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseNodeMeminfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseNodeMeminfo(c.text), c.want);
    }
  });
}

test('nodeMeminfoMetricName: parentheses become an underscore suffix, no unit', () => {
  assert.deepEqual(['Active(anon)', 'Inactive(file)', 'MemUsed', 'HugePages_Free'].map(nodeMeminfoMetricName), ['Active_anon', 'Inactive_file', 'MemUsed', 'HugePages_Free']);
});

test('fixture node0/meminfo', async () => {
  const entries = await readAndParse(fixturePath('sys', 'devices', 'system', 'node', 'node0', 'meminfo'), parseNodeMeminfo);
  assert.equal(entries.length, 37);
  assert.ok(entries.every((e) => e.node === '0'));
  assert.deepEqual(entries[0], { node: '0', key: 'MemTotal', value: 16270960 * 1024 });
  assert.deepEqual(entries.at(-3), { node: '0', key: 'HugePages_Total', value: 32 });
});

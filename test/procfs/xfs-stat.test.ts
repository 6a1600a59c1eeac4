import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseXfsStats } from '../../src/procfs/xfs-stat.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: [string, number[]][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'a group with no values is skipped', text: 'debug\n', want: [] },
  { name: 'too few values for a known group', text: 'extent_alloc 1 2 3\n', error: /extent_alloc has 3 values, want 4/ },
  { name: 'too many values for a known group', text: 'rw 1 2 3\n', error: /rw has 3 values, want 2/ },
  { name: 'invalid number', text: 'rw 1 x\n', error: /invalid rw value "x"/ },
  { name: '32-bit group beyond 2^32', text: 'rw 1 4294967296\n', error: /invalid rw value/ },
  { name: 'zoned needs at least 3', text: 'zoned 1 2\n', error: /at least 3/ },
  {
    name: 'valid: vnodes 7 or 8, 64-bit xpc, "gc xpc", unknown groups kept',
    text: 'vnodes 1 2 3 4 5 6 7\nxpc 4294967296 2 18014398509481985\ngc xpc 5\nnewgroup 9 8\nrw 3 4294967295\n',
    want: [
      ['vnodes', [1, 2, 3, 4, 5, 6, 7]],
      ['xpc', [4294967296, 2, 2 ** 54]],
      ['gc xpc', [5]],
      ['newgroup', [9, 8]],
      ['rw', [3, 4294967295]],
    ],
  },
];

for (const c of cases) {
  test(`parseXfsStats: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseXfsStats(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseXfsStats(c.text)], c.want);
    }
  });
}

test('parseXfsStats: fixture of a 6.x kernel with every btree group', async () => {
  const s = await readAndParse(fixturePath('sys', 'fs', 'xfs', 'sda1', 'stats', 'stats'), parseXfsStats);
  assert.deepEqual(s.get('rw'), [95873122, 4294967295]);
  assert.equal(s.get('abtb2')?.length, 15);
  assert.deepEqual(s.get('defer_relog'), [3812]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXfrmStat, XFRM_COUNTERS } from '../../src/procfs/net-xfrm.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Record<string, number>; error?: RegExp }[] = [
  { name: 'empty: every counter 0', text: '', want: {} },
  { name: 'name without value', text: 'XfrmInError\n', error: /1 fields, want 2/ },
  { name: 'extra field', text: 'XfrmInError 1 2\n', error: /3 fields/ },
  { name: 'invalid number', text: 'XfrmInError   1e3\n', error: /"1e3" of XfrmInError/ },
  { name: 'valid: padding and tab, unknown counter skipped', text: 'XfrmInNoPols            \t12\nXfrmInIptfsError\t3\n', want: { XfrmInNoPols: 12 } },
];

for (const c of cases) {
  test(`parseXfrmStat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseXfrmStat(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
      return;
    }
    const got = parseXfrmStat(c.text);
    assert.deepEqual([...got.keys()], [...XFRM_COUNTERS]);
    assert.deepEqual(Object.fromEntries([...got].filter(([, v]) => v !== 0)), c.want);
  });
}

test('fixture /proc/net/xfrm_stat (kernel 6.x, four counters upstream does not know)', async () => {
  const stat = await readAndParse(fixturePath('proc', 'net', 'xfrm_stat'), parseXfrmStat);
  assert.equal(stat.size, 28);
  assert.equal(stat.get('XfrmInNoPols'), 1288);
  assert.equal(stat.get('XfrmAcquireError'), 3);
});

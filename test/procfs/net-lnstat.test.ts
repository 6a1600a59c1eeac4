import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLnstat } from '../../src/procfs/net-lnstat.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Record<string, number[]>; error?: RegExp }[] = [
  { name: 'empty', text: '', want: {} },
  { name: 'header only', text: 'entries allocs\n', want: { entries: [], allocs: [] } },
  { name: 'too few counters', text: 'entries allocs\n00000001\n', error: /1 counters, the header names 2/ },
  { name: 'too many counters', text: 'entries allocs\n00000001 00000002 00000003\n', error: /3 counters/ },
  { name: 'invalid hex', text: 'entries allocs\n00000001 0000000x\n', error: /"0000000x"/ },
  { name: 'duplicate column', text: 'entries entries\n', error: /duplicate column/ },
  {
    name: 'valid: tabs, per-CPU order, 64-bit',
    text: 'entries\t\tallocs\n0000000a\t00000001\n0000000a\tffffffffffffffff\n',
    want: { entries: [10, 10], allocs: [1, 2 ** 64] },
  },
];

for (const c of cases) {
  test(`parseLnstat: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseLnstat(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(Object.fromEntries(parseLnstat(c.text)), c.want);
  });
}

test('fixture /proc/net/stat/arp_cache', async () => {
  const arp = await readAndParse(fixturePath('proc', 'net', 'stat', 'arp_cache'), parseLnstat);
  assert.equal(arp.size, 13);
  assert.deepEqual(arp.get('lookups'), [0x13a8, 0xb71, 0xf02, 0x5d9]);
  assert.deepEqual(arp.get('periodic_gc_runs'), [0xc2d1, 0, 0, 0]);
});

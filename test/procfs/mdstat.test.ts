import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMdstat } from '../../src/procfs/mdstat.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const P = 'Personalities : [raid1] [raid0] [raid5] [linear]\n';

const cases: { name: string; text: string; want?: Record<string, unknown>[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'no arrays', text: `${P}unused devices: <none>\n`, want: [] },
  { name: 'too few fields in a device line', text: `${P}md0 :\n   1 blocks\n\n\n`, error: /2 fields, want at least 3/ },
  { name: 'truncated: device line without its status lines', text: `${P}md0 : active raid1 sda1[0]\n`, error: /too few lines for md device md0/ },
  { name: 'invalid block count', text: `${P}md0 : active raid1 sda1[0]\n      12x blocks [1/1] [U]\n\n\n`, error: /invalid block count "12x"/ },
  { name: 'status without [n/m] [U_]', text: `${P}md0 : active raid1 sda1[0]\n      12 blocks super 1.2\n\n\n`, error: /no "\[total\/active\] \[U_\]"/ },
  {
    name: 'sync line without block counts',
    text: `${P}md0 : active raid1 sda1[0] sdb1[1]\n      12 blocks [2/1] [U_]\n      recovery = 1.0% finish=1.0min speed=1K/sec\n\n`,
    error: /no "\(synced\/total\)"/,
  },
  {
    name: 'sync line without speed',
    text: `${P}md0 : active raid1 sda1[0] sdb1[1]\n      12 blocks [2/1] [U_]\n      recovery = 1.0% (1/12) finish=1.0min\n\n`,
    error: /no valid speed/,
  },
  {
    name: 'valid: raid1 recovering with a spare; raid0 counts brackets; unknown extra text ignored',
    text: `${P}md127 : active raid1 sdd1[2] sdc1[0] sde1[3](S)\n      976630464 blocks super 1.2 [2/1] [U_] future-field\n      [=>...]  recovery = 27.3% (266741248/976630464) finish=74.1min speed=159631K/sec\n\nmd0 : active raid0 sdb2[1] sda2[0]\n      41908224 blocks super 1.2 512k chunks\n\nunused devices: <none>\n`,
    want: [
      { name: 'md127', activityState: 'recovering', disksActive: 1, disksTotal: 2, disksFailed: 0, disksDown: 1, disksSpare: 1, blocksTotal: 976630464, blocksSynced: 266741248 },
      { name: 'md0', activityState: 'active', disksActive: 2, disksTotal: 2, disksFailed: 0, disksDown: 0, disksSpare: 0, blocksTotal: 41908224, blocksSynced: 41908224 },
    ],
  },
];

for (const c of cases) {
  test(`parseMdstat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseMdstat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseMdstat(c.text), c.want);
    }
  });
}

test('parseMdstat: fixture with check after a bitmap line, PENDING resync, an inactive array, a failed disk', async () => {
  const got = new Map((await readAndParse(fixturePath('proc', 'mdstat'), parseMdstat)).map((m) => [m.name, m]));
  assert.deepEqual([...got.keys()], ['md127', 'md1', 'md0', 'md3', 'md2']);
  assert.equal(got.get('md1')?.activityState, 'checking');
  assert.equal(got.get('md1')?.blocksSynced, 227053312);
  assert.equal(got.get('md1')?.disksFailed, 1);
  assert.equal(got.get('md3')?.activityState, 'resyncing');
  assert.equal(got.get('md3')?.blocksSynced, 0);
  assert.equal(got.get('md2')?.activityState, 'inactive');
  assert.equal(got.get('md2')?.disksTotal, 0);
  assert.equal(got.get('md2')?.disksSpare, 1);
});

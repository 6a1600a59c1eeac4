import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSchedstat, type Schedstat } from '../../src/procfs/schedstat.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Partial<Schedstat>; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no version, cpu or domain/ },
  { name: 'not schedstat', text: 'MemTotal: 1 kB\n', error: /no version, cpu or domain/ },
  { name: 'invalid version', text: 'version fifteen\n', error: /invalid schedstat version/ },
  {
    name: 'truncated cpu line and invalid number: skipped, as upstream',
    text: 'version 15\ncpu0 0 0 1 2 3 4 500\ncpu1 0 0 1 2 3 4 5x 6 7\ncpu2 0 0 1 2 3 4 5 6 7\n',
    want: { version: 15, cpus: [{ cpu: '2', runningNanoseconds: 5, waitingNanoseconds: 6, timeslices: 7 }], skippedLines: [2, 3] },
  },
  {
    name: 'unknown extra fields ignored; domain and timestamp lines skipped',
    text: 'version 17\ntimestamp 1\ncpu12 0 0 1 2 3 4 5 6 7 8 9\ndomain0 MC 00000fff 1 2 3\n',
    want: { version: 17, cpus: [{ cpu: '12', runningNanoseconds: 5, waitingNanoseconds: 6, timeslices: 7 }], skippedLines: [] },
  },
];

for (const c of cases) {
  test(`parseSchedstat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSchedstat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseSchedstat(c.text), c.want);
    }
  });
}

test('fixture /proc/schedstat: online CPUs only, a counter beyond 2^53', async () => {
  const s = await readAndParse(fixturePath('proc', 'schedstat'), parseSchedstat);
  assert.equal(s.version, 15);
  assert.deepEqual(
    s.cpus.map((c) => c.cpu),
    ['0', '1', '3'],
  );
  assert.equal(s.cpus[0]?.runningNanoseconds, 9123456789012345); // rounds as Go's float64(uint64) does
  assert.equal(s.cpus[0]?.waitingNanoseconds, 1234567890123);
  assert.equal(s.cpus[2]?.timeslices, 700123456);
  assert.deepEqual(s.skippedLines, []);
});

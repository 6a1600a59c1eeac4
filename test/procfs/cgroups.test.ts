import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCgroups } from '../../src/procfs/cgroups.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = '#subsys_name\thierarchy\tnum_cgroups\tenabled\n';
const cases: { name: string; text: string; want?: [string, number, number, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'header only', text: HEADER, want: [] },
  { name: 'truncated line', text: `${HEADER}cpuset\t0\t143\n`, error: /3 fields, want at least 4/ },
  { name: 'blank line in the middle', text: `${HEADER}cpu\t0\t1\t1\n\nmemory\t0\t1\t1\n`, error: /0 fields/ },
  { name: 'invalid number', text: `${HEADER}cpu\t0\tmany\t1\n`, error: /number of cgroups "many"/ },
  { name: 'number beyond int64', text: `${HEADER}cpu\t9223372036854775808\t1\t1\n`, error: /hierarchy ID/ },
  { name: 'unknown extra fields are ignored', text: `${HEADER}cpu\t3\t12\t1\tfuture\n`, want: [['cpu', 3, 12, 1]] },
  {
    name: 'valid, without a trailing newline',
    text: `${HEADER}misc\t0\t143\t0\n# a comment\ndebug\t3\t1\t1`,
    want: [
      ['misc', 0, 143, 0],
      ['debug', 3, 1, 1],
    ],
  },
];

for (const c of cases) {
  test(`parseCgroups: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseCgroups(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(
        parseCgroups(c.text).map((x) => [x.subsysName, x.hierarchy, x.cgroups, x.enabled]),
        c.want,
      );
    }
  });
}

test('fixture /proc/cgroups', async () => {
  const controllers = await readAndParse(fixturePath('proc', 'cgroups'), parseCgroups);
  assert.equal(controllers.length, 15);
  assert.deepEqual(
    controllers.find((c) => c.subsysName === 'misc'),
    { subsysName: 'misc', hierarchy: 0, cgroups: 143, enabled: 0 },
  );
  assert.deepEqual(controllers.at(-1), { subsysName: 'debug', hierarchy: 3, cgroups: 1, enabled: 1 });
});

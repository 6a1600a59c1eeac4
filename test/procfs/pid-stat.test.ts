import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { parsePidStat, type PidStat } from '../../src/procfs/pid-stat.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const TAIL = '0 1 1 0 -1 4194560 9061 9416027 94 2620 36 98 54406 13885 20 0 3 0 29 109604864 2507 18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 0 0 0 19 0 0';

const cases: { name: string; text: string; want?: PidStat; error?: RegExp }[] = [
  { name: 'empty (a process reaped as we read)', text: '', error: /no "\(comm\)"/ },
  { name: 'no closing parenthesis', text: '1 (systemd S 0 1', error: /no "\(comm\)"/ },
  { name: 'truncated before num_threads', text: '1 (systemd) S 0 1 1 0 -1 4194560 9061', error: /10 fields, want at least 20/ },
  { name: 'invalid state', text: `1 (systemd) 5 ${TAIL}`, error: /invalid process state "5"/ },
  { name: 'invalid num_threads', text: '1 (systemd) S 0 1 1 0 -1 4194560 9061 9416027 94 2620 36 98 54406 13885 20 0 x 0', error: /num_threads "x"/ },
  { name: 'valid', text: `1 (systemd) S ${TAIL}\n`, want: { comm: 'systemd', state: 'S', numThreads: 3 } },
  { name: 'valid: comm with spaces and parentheses', text: `42 (a) (b c) R ${TAIL}`, want: { comm: 'a) (b c', state: 'R', numThreads: 3 } },
  { name: 'valid: unknown extra fields of a newer kernel', text: `7 (x) I ${TAIL} 0 0 0 0 0 0 0 0 0`, want: { comm: 'x', state: 'I', numThreads: 3 } },
];

for (const c of cases) {
  test(`parsePidStat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parsePidStat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parsePidStat(c.text), c.want);
    }
  });
}

test('fixture /proc/<pid>/stat', async () => {
  assert.deepEqual(await readAndParse(fixturePath('proc', '2077', 'stat'), parsePidStat), { comm: 'Web Content', state: 'S', numThreads: 4 });
  assert.deepEqual(await readAndParse(fixturePath('proc', '1290', 'stat'), parsePidStat), { comm: '(sd-pam)', state: 'S', numThreads: 1 });
  assert.deepEqual(await readAndParse(fixturePath('proc', '3001', 'stat'), parsePidStat), { comm: 'make) (x', state: 'Z', numThreads: 1 });
});

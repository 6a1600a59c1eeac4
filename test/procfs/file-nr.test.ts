import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFileNr, type FileNr } from '../../src/procfs/file-nr.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: FileNr; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /empty/ },
  { name: 'truncated: two fields', text: '1024\t0\n', error: /2 fields, want 3/ },
  { name: 'invalid number', text: '1024\t0\t16x\n', error: /maximum file handles "16x"/ },
  { name: 'negative allocated', text: '-1\t0\t100\n', error: /allocated file handles/ },
  { name: 'two lines', text: '1\t0\t2\n3\t0\t4\n', error: /2 lines/ },
  { name: 'unknown extra field tolerated', text: '1024\t0\t1631329\t9\n', want: { allocated: 1024, maximum: 1631329 } },
  { name: 'valid, the free field ignored', text: '1024\t17\t1631329\n', want: { allocated: 1024, maximum: 1631329 } },
];

for (const c of cases) {
  test(`parseFileNr: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseFileNr(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseFileNr(c.text), c.want);
    }
  });
}

test('fixture /proc/sys/fs/file-nr: file-max at LONG_MAX', async () => {
  const nr = await readAndParse(fixturePath('proc', 'sys', 'fs', 'file-nr'), parseFileNr);
  assert.deepEqual(nr, { allocated: 7584, maximum: 9223372036854775807 });
});

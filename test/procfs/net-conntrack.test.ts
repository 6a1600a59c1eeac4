import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConntrackStat, parseSingleUint } from '../../src/procfs/net-conntrack.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER =
  'entries  searched found new invalid ignore delete delete_list insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n';
const hex = (n: number) => n.toString(16).padStart(8, '0');
const line = (values: number[]) => `${values.map(hex).join(' ')}\n`;
const seq = Array.from({ length: 17 }, (_, i) => i);

const cases: { name: string; text: string; want?: number[][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'header only', text: HEADER, want: [] },
  { name: 'too few fields', text: `${HEADER}${line(seq.slice(0, 15))}`, error: /15 columns/ },
  { name: 'too many fields', text: `${HEADER}${line([...seq, 17])}`, error: /18 columns/ },
  { name: 'invalid hex', text: `${HEADER}${line(seq).replace(/^00000000/, '0000000g')}`, error: /"0000000g" in column 1/ },
  {
    name: 'valid: 17 and 16 (pre-2.6.35, no search_restart) columns',
    text: `${HEADER}${line(seq)}${line(seq.slice(0, 16))}`,
    want: [
      [2, 4, 5, 8, 9, 10, 11, 16],
      [2, 4, 5, 8, 9, 10, 11, 0],
    ],
  },
];

for (const c of cases) {
  test(`parseConntrackStat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseConntrackStat(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
      return;
    }
    const got = parseConntrackStat(c.text).map((s) => [s.found, s.invalid, s.ignore, s.insert, s.insertFailed, s.drop, s.earlyDrop, s.searchRestart]);
    assert.deepEqual(got, c.want);
  });
}

test('parseSingleUint', () => {
  assert.equal(parseSingleUint('262144\n'), 262144);
  assert.throws(() => parseSingleUint(''), ParseError);
  assert.throws(() => parseSingleUint('12 13\n'), ParseError);
  assert.throws(() => parseSingleUint('-1\n'), ParseError);
});

test('fixture /proc/net/stat/nf_conntrack (kernel 6 header names)', async () => {
  const cpus = await readAndParse(fixturePath('proc', 'net', 'stat', 'nf_conntrack'), parseConntrackStat);
  assert.equal(cpus.length, 4);
  assert.deepEqual(
    cpus.map((c) => c.invalid),
    [0x19, 0x21, 0x0e, 0x07],
  );
  assert.deepEqual(
    cpus.map((c) => c.searchRestart),
    [0x2a, 0x11, 0x09, 0x03],
  );
  assert.equal(await readAndParse(fixturePath('proc', 'sys', 'net', 'netfilter', 'nf_conntrack_max'), parseSingleUint), 262144);
});

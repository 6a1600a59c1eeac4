import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSoftnet, type SoftnetCpu } from '../../src/procfs/softnet.js';
import { fixturePath } from '../helpers/repo.js';

const Z = '00000000';
const row = (n: number, first = '00000001') => [first, ...Array<string>(n - 1).fill(Z)].join(' ');

const cases: { name: string; text: string; want?: Partial<SoftnetCpu>[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'too few fields', text: `${row(8)}\n`, error: /8 columns, want at least 9/ },
  { name: 'blank line inside', text: `${row(9)}\n\n${row(9)}\n`, error: /0 columns/ },
  { name: 'invalid hex', text: `${row(9, '0000000g')}\n`, error: /column 0 "0000000g"/ },
  { name: 'wider than 32 bits', text: `${row(9, '100000000')}\n`, error: /column 0/ },
  {
    name: 'old kernel (9 and 11 columns): CPU by row, later columns 0',
    text: `${row(9)}\n${row(11)}\n`,
    want: [
      { cpu: 0, processed: 1, receivedRps: 0, flowLimitCount: 0, backlogLen: 0 },
      { cpu: 1, processed: 1 },
    ],
  },
  {
    name: 'unknown extra fields ignored; CPU from column 12',
    text: '00000010 00000002 00000003 0 0 0 0 0 00000004 00000005 00000006 00000007 0000000a 0000ffff\n',
    want: [{ cpu: 10, processed: 16, dropped: 2, timeSqueezed: 3, cpuCollision: 4, receivedRps: 5, flowLimitCount: 6, backlogLen: 7 }],
  },
];

for (const c of cases) {
  test(`parseSoftnet: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSoftnet(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
      return;
    }
    const got = parseSoftnet(c.text);
    assert.equal(got.length, c.want?.length);
    c.want?.forEach((w, i) => {
      for (const [k, v] of Object.entries(w)) assert.equal(got[i]?.[k as keyof SoftnetCpu], v, `row ${i} ${k}`);
    });
  });
}

test('fixture /proc/net/softnet_stat: offline cpu2 has no row, CPUs from the index column', async () => {
  const rows = await readAndParse(fixturePath('proc', 'net', 'softnet_stat'), parseSoftnet);
  assert.deepEqual(
    rows.map((r) => r.cpu),
    [0, 1, 3],
  );
  assert.equal(rows[1]?.processed, 0xfffffff0);
  assert.deepEqual([rows[1]?.dropped, rows[1]?.timeSqueezed, rows[1]?.cpuCollision, rows[1]?.receivedRps, rows[1]?.flowLimitCount, rows[1]?.backlogLen], [42, 305, 3, 7, 5, 2]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDiskstats } from '../../src/procfs/diskstats.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';
import { assertAgreement, generatedLines } from '../helpers/agreement.js';

const K20 = '   8       0 sda 3817445 6223 1134526586 27110452 2100337 1581337 1240376568 61270318 0 19403568 88519128 10 0 80 4 52188 138357';
const K14 = ' 202       0 xvda 75543 113 3462834 163380 2215711 1638870 67548512 4127140 0 1041520 4289680';

const cases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'blank lines are skipped', text: '\n\n   \n', want: [] },
  { name: 'truncated line (fewer than 14 fields) is skipped', text: `${K14}\n   8      16 sdb 1 2 3 4\n`, want: [['xvda', 11]] },
  { name: 'too few fields but an invalid number is still an error', text: '   8      16 sdb 1 x', error: /counter 2 of sdb "x"/ },
  { name: 'invalid major', text: ' 25x 0 sda 1 2 3 4 5 6 7 8 9 10 11', error: /major number "25x"/ },
  { name: 'negative counter', text: '8 0 sda 1 2 3 4 5 6 7 8 -9 10 11', error: /counter 9 of sda "-9"/ },
  { name: 'counter beyond uint64', text: '8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11', error: /out of range/ },
  { name: 'minor beyond uint32', text: '8 4294967296 sda 1 2 3 4 5 6 7 8 9 10 11', error: /out of range/ },
  { name: 'unknown extra fields after the 17th counter are ignored', text: `${K20} 99 98 x\n`, want: [['sda', 17]] },
  {
    name: 'valid: 14, 18 and 20 field layouts',
    text: `${K14}\n 179 0 mmcblk0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n${K20}\n`,
    want: [
      ['xvda', 11],
      ['mmcblk0', 15],
      ['sda', 17],
    ],
  },
];

for (const c of cases) {
  test(`parseDiskstats: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseDiskstats(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(
        parseDiskstats(c.text).map((e) => [e.device, e.counters.length]),
        c.want,
      );
    }
  });
}

test('parseDiskstats: fields in order, error names the line', () => {
  const [e] = parseDiskstats(`${K20}\n`);
  assert.deepEqual(e, {
    major: 8,
    minor: 0,
    device: 'sda',
    counters: [3817445, 6223, 1134526586, 27110452, 2100337, 1581337, 1240376568, 61270318, 0, 19403568, 88519128, 10, 0, 80, 4, 52188, 138357],
  });
  try {
    parseDiskstats(`${K14}\n${K20.replace('6223', '62x3')}\n`);
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 2);
  }
});

test('fixture /proc/diskstats', async () => {
  const entries = await readAndParse(fixturePath('proc', 'diskstats'), parseDiskstats);
  assert.equal(entries.length, 13);
  const byName = new Map(entries.map((e) => [e.device, e]));
  // 2^53 + 1 sectors: beyond double precision, rounded as Go's float64(uint64) rounds it.
  assert.equal(byName.get('sda')?.counters[2], 2 ** 53);
  assert.equal(byName.get('xvda')?.counters.length, 11);
  assert.equal(byName.get('mmcblk0')?.counters.length, 15);
  assert.equal(byName.get('nvme0n1')?.counters.length, 17);
  assert.deepEqual([byName.get('dm-1')?.major, byName.get('dm-1')?.minor], [252, 1]);
});

const DISKSTATS_PIECES = [
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '8',
  '259',
  '4294967296',
  'sda',
  'nvme0n1',
  'dm-0',
  'x y',
  '0',
  '7',
  '999999999999999',
  '1234567890123456',
  '18446744073709551616',
  '-1',
  '1.5',
  '\n',
  '',
];

test('parseDiskstats read in place agrees with the general path on 5,000 generated inputs (values and errors)', () => {
  assertAgreement({
    seed: 1206,
    // Kernel lines: right-aligned numbers, 0 to 20 counters; device numbers mostly small (a large
    // one is an error either way), counters any size.
    generate: (next) =>
      generatedLines(
        next,
        DISKSTATS_PIECES,
        () => {
          const num = () => String(Math.floor(next() * 10 ** Math.floor(next() * 17)));
          const name = ['sda', 'sda1', 'nvme0n1', 'dm-0', 'loop0'][Math.floor(next() * 5)];
          const dev = () => (next() < 0.9 ? String(Math.floor(next() * 300)) : num());
          const fields = [dev(), dev(), name, ...Array.from({ length: Math.floor(next() * 21) }, num)].slice(0, 3 + Math.floor(next() * 21));
          return ' '.repeat(Math.floor(next() * 4)) + fields.join(' '.repeat(1 + Math.floor(next() * 3))) + (next() < 0.1 ? ' ' : '');
        },
        6,
      ),
    fast: (text) => parseDiskstats(text),
    reference: (text) => parseDiskstats(text, false),
  });
});

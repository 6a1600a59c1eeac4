import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meminfoMetricName, parseMeminfo } from '../../src/procfs/meminfo.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';
import { assertAgreement, generatedLines } from '../helpers/agreement.js';

const cases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no entries/ },
  { name: 'truncated line: key with no value', text: 'MemTotal:       16318440 kB\nMemFree:', error: /no value/ },
  { name: 'too few fields: value with no key', text: '16318440 kB', error: /Key:/ },
  { name: 'invalid number', text: 'MemTotal:       16318x40 kB', error: /value of MemTotal "16318x40"/ },
  { name: 'negative number', text: 'MemFree: -4 kB', error: /value of MemFree/ },
  { name: 'unknown unit', text: 'MemTotal: 16 MB', error: /unit "MB"/ },
  { name: 'extra field', text: 'MemTotal: 16 kB total', error: /4 fields/ },
  { name: 'duplicate key', text: 'Cached: 1 kB\nCached: 2 kB', error: /duplicate/ },
  {
    name: 'valid: kB is KiB, no unit is a count, unknown keys kept in order',
    text: 'MemTotal:       16318440 kB\nHugePages_Total:      64\nFutureThing:  3 kB\n\nActive(anon):    2893120 kB\n',
    want: [
      ['MemTotal', 16318440 * 1024],
      ['HugePages_Total', 64],
      ['FutureThing', 3072],
      ['Active(anon)', 2893120 * 1024],
    ],
  },
];

for (const c of cases) {
  test(`parseMeminfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseMeminfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseMeminfo(c.text)], c.want);
    }
  });
}

test('parseMeminfo: the error points at the line', () => {
  try {
    parseMeminfo('MemTotal: 1 kB\nMemFree: lots kB\n');
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 2);
    assert.equal(err.line, 'MemFree: lots kB');
  }
});

test('meminfoMetricName follows upstream names and list', () => {
  const names: [string, string | undefined][] = [
    ['MemTotal', 'MemTotal_bytes'],
    ['Active(anon)', 'Active_anon_bytes'],
    ['Inactive(file)', 'Inactive_file_bytes'],
    ['Committed_AS', 'Committed_AS_bytes'],
    ['NFS_Unstable', 'NFS_Unstable_bytes'],
    ['Hugepagesize', 'Hugepagesize_bytes'],
    ['DirectMap4k', 'DirectMap4k_bytes'],
    ['Zswapped', 'Zswapped_bytes'],
    ['HugePages_Total', 'HugePages_Total'],
    ['HugePages_Surp', 'HugePages_Surp'],
    ['Hugetlb', undefined],
    ['KReclaimable', undefined],
    ['SecPageTables', undefined],
    ['FileHugePages', undefined],
    ['FilePmdMapped', undefined],
    ['Unaccepted', undefined],
    ['memtotal', undefined],
  ];
  assert.deepEqual(
    names.map(([key]) => [key, meminfoMetricName(key)]),
    names,
  );
});

test('fixture /proc/meminfo', async () => {
  const info = await readAndParse(fixturePath('proc', 'meminfo'), parseMeminfo);
  assert.equal(info.size, 57);
  assert.equal(info.get('MemTotal'), 16318440 * 1024);
  assert.equal(info.get('VmallocTotal'), 34359738367 * 1024);
  assert.equal(info.get('HugePages_Free'), 60);
  assert.equal(info.get('Hugetlb'), 131072 * 1024);
  assert.equal([...info.keys()][0], 'MemTotal');
  assert.equal([...info.keys()].at(-1), 'DirectMap1G');
  // Every key the kernel shows but upstream does not export, in this fixture.
  assert.deepEqual(
    [...info.keys()].filter((k) => meminfoMetricName(k) === undefined),
    ['KReclaimable', 'SecPageTables', 'FileHugePages', 'FilePmdMapped', 'Unaccepted', 'Hugetlb'],
  );
});

const MEMINFO_PIECES = [
  'MemTotal:',
  'Active(anon):',
  'HugePages_Total:',
  'Key',
  ':',
  ' ',
  '  ',
  '\t',
  '\r',
  '\u00a0',
  '0',
  '7',
  '1024',
  '999999999999999',
  '1234567890123456',
  '-1',
  '1.5',
  'kB',
  'KB',
  'mB',
  'x',
  '\n',
  '\n',
  '',
];

test('parseMeminfo read in place agrees with the general line parser on 5,000 generated inputs (values and errors)', () => {
  assertAgreement({
    seed: 1204,
    generate: (next) =>
      generatedLines(next, MEMINFO_PIECES, (l) => {
        const key = ['MemTotal', 'MemFree', 'Active(anon)', 'HugePages_Total', `K${l}`][Math.floor(next() * 5)];
        const unit = next() < 0.7 ? ' kB' : '';
        return `${key}:${' '.repeat(1 + Math.floor(next() * 8))}${Math.floor(next() * 1e9)}${unit}`;
      }),
    fast: (text) => [...parseMeminfo(text)],
    reference: (text) => [...parseMeminfo(text, false)],
  });
});

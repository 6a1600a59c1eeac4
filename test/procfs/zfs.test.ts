import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseZfsKstat, parseZfsObjset, parseZfsPoolIo, parseZfsPoolState } from '../../src/procfs/zfs.js';
import { fixturePath } from '../helpers/repo.js';

const HEAD = '13 1 0x01 3 816 6190398911 2748016382994051\nname                            type data\n';

const kstatCases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no "name type data" header/ },
  { name: 'no header line', text: 'hits 4 12\n', error: /no "name type data" header/ },
  { name: 'header only', text: HEAD, want: [] },
  { name: 'truncated line is skipped', text: `${HEAD}hits 4\nmisses 4 7\n`, want: [['misses', 7]] },
  { name: 'invalid unsigned number', text: `${HEAD}hits 4 12x\n`, error: /unsigned 64-bit value of hits "12x"/ },
  { name: 'negative unsigned number', text: `${HEAD}hits 4 -1\n`, error: /unsigned/ },
  { name: 'unsigned beyond 2^64', text: `${HEAD}hits 4 18446744073709551616\n`, error: /unsigned/ },
  { name: 'signed beyond int64', text: `${HEAD}delta 3 9223372036854775808\n`, error: /signed 64-bit/ },
  {
    name: 'valid: int64 and uint64 kept, other types skipped, extra fields ignored, 2^54+1 rounds',
    text: `${HEAD}hits 4 87650413\nmemory_available_bytes 3 -278921216\nname_str 7 somepool\nsmall 1 5\nl2_write_bytes 4 18014398509481985 trailing\n`,
    want: [
      ['hits', 87650413],
      ['memory_available_bytes', -278921216],
      ['l2_write_bytes', 2 ** 54],
    ],
  },
];

for (const c of kstatCases) {
  test(`parseZfsKstat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseZfsKstat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(
        parseZfsKstat(c.text).map((s) => [s.name, s.value]),
        c.want,
      );
    }
  });
}

test('parseZfsKstat: the error points at the line', () => {
  try {
    parseZfsKstat(`${HEAD}hits 4 1\nmisses 4 lots\n`);
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 4);
    assert.equal(err.line, 'misses 4 lots');
  }
});

const IO_HEAD = 'nread    nwritten reads    writes   wtime    wlentime wupdate  rtime    rlentime rupdate  wcnt     rcnt    \n';

test('parseZfsPoolIo: header and values by column; too few values, bad numbers and no header', () => {
  const got = parseZfsPoolIo(`12 3 0x00 1 80 1 2\n${IO_HEAD}1884160 3206144 22 132 7155162 104112268 79210489694949 24168078 104112268 79210489849220 0 1 99\n`);
  assert.equal(got.length, 12);
  assert.deepEqual(got[0], { name: 'nread', value: 1884160 });
  assert.deepEqual(got[11], { name: 'rcnt', value: 1 });
  assert.deepEqual(parseZfsPoolIo(''), []);
  assert.deepEqual(parseZfsPoolIo('nread nwritten\n1 2\n'), [], 'a header of fewer than 12 columns is not the io header');
  assert.throws(() => parseZfsPoolIo(`${IO_HEAD}1 2 3\n`), /io row has 3 values, want 12/);
  assert.throws(() => parseZfsPoolIo(`${IO_HEAD}1 2 3 4 5 6 7 8 9 10 11 x\n`), /value of rcnt "x"/);
});

test('parseZfsObjset: dataset names keep their spaces; strings other than dataset_name skipped', () => {
  const got = parseZfsObjset(`${HEAD}dataset_name 7    pool3/dataset with  space\nwrites 4 4\nother_str 7 x\nnread 4 28\n`);
  assert.equal(got.dataset, 'pool3/dataset with  space');
  assert.deepEqual(got.stats, [
    { name: 'writes', value: 4 },
    { name: 'nread', value: 28 },
  ]);
  assert.equal(parseZfsObjset(`${HEAD}writes 4 1\n`).dataset, undefined);
  assert.throws(() => parseZfsObjset('writes 4 1\n'), /header/);
  assert.throws(() => parseZfsObjset(`${HEAD}writes 4 -1\n`), /value of writes/);
});

test('parseZfsPoolState: first line, lower case', () => {
  assert.equal(parseZfsPoolState('ONLINE\n'), 'online');
  assert.equal(parseZfsPoolState('SUSPENDED\nextra\n'), 'suspended');
  assert.equal(parseZfsPoolState(''), '');
});

test('zfs fixtures: arcstats, an objset with a spaced dataset name, pool io', async () => {
  const arc = await readAndParse(fixturePath('proc', 'spl', 'kstat', 'zfs', 'arcstats'), parseZfsKstat);
  assert.equal(arc.find((s) => s.name === 'c_max')?.value, 17179869184);
  assert.equal(arc.find((s) => s.name === 'memory_available_bytes')?.value, -278921216);
  const objset = await readAndParse(fixturePath('proc', 'spl', 'kstat', 'zfs', 'tank', 'objset-0x8a'), parseZfsObjset);
  assert.equal(objset.dataset, 'tank/home dir');
  const io = await readAndParse(fixturePath('proc', 'spl', 'kstat', 'zfs', 'tank', 'io'), parseZfsPoolIo);
  assert.equal(io.find((s) => s.name === 'nwritten')?.value, 402917216256);
});

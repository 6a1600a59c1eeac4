import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import {
  parseBcachefsBtreeWriteStats,
  parseBcachefsBytes,
  parseBcachefsCompressionStats,
  parseBcachefsCounter,
  parseBcachefsErrors,
  parseBcachefsIoDone,
  parseBcachefsIoErrors,
} from '../../src/sysfs/bcachefs.js';
import { fixturePath } from '../helpers/repo.js';

const FS = ['sys', 'fs', 'bcachefs', '5d7c1a2e-9b3f-4c8d-a1e6-2f4b8c9d0e71'];
const isParseError = (re: RegExp) => (err: unknown) => err instanceof ParseError && re.test(err.message);

test('parseBcachefsBytes: binary units, truncated like a uint64 cast', () => {
  const cases: [string, number][] = [
    ['720', 720],
    ['28.2k', 28876],
    ['2.05G', 2201170739],
    ['10.8T', Math.trunc(10.8 * 1024 ** 4)],
    [' 4M\n', 4194304],
    ['1e3', 1000],
  ];
  for (const [text, want] of cases) assert.equal(parseBcachefsBytes(text), want, text);
  for (const bad of ['', 'k', '1.2.3G', '-1k', '12 k x']) assert.throws(() => parseBcachefsBytes(bad), isParseError(/invalid size/), bad);
});

test('parseBcachefsCompressionStats: header skipped, short lines skipped, bad sizes fail', () => {
  assert.deepEqual(parseBcachefsCompressionStats(''), []);
  assert.deepEqual(parseBcachefsCompressionStats('typetype compressed uncompressed average extent size\nlz4: 1k 2k 3k\nzstd 1k\n'), [
    { algorithm: 'lz4', compressedBytes: 1024, uncompressedBytes: 2048 },
  ]);
  assert.throws(() => parseBcachefsCompressionStats('h\nlz4 1x 2k\n'), isParseError(/invalid size "1x"/));
  assert.throws(() => parseBcachefsCompressionStats('h\nlz4 1k 2k zz\n'), isParseError(/invalid size "zz"/));
});

test('parseBcachefsErrors: count with optional time; counts beyond 2^53 round', () => {
  assert.deepEqual(
    [...parseBcachefsErrors('a 2 1753593586\nb 11299659571772285102\nlonely\n')],
    [
      ['a', 2],
      ['b', 11299659571772285102],
    ],
  );
  assert.throws(() => parseBcachefsErrors('a two\n'), isParseError(/count of a "two"/));
  assert.throws(() => parseBcachefsErrors('a 2 yesterday\n'), isParseError(/time of a/));
});

test('parseBcachefsCounter: since mount and/or since creation, else an error', () => {
  assert.deepEqual(parseBcachefsCounter('since mount:   302707\nsince filesystem creation:     1515147\n'), { sinceMount: 302707, sinceFilesystemCreation: 1515147 });
  assert.deepEqual(parseBcachefsCounter('since mount: 1.5k\n'), { sinceMount: 1536 });
  assert.throws(() => parseBcachefsCounter(''), isParseError(/neither/));
  assert.throws(() => parseBcachefsCounter('since mount: many\n'), isParseError(/invalid size/));
});

test('parseBcachefsBtreeWriteStats: header skipped, count and average size', () => {
  assert.deepEqual(parseBcachefsBtreeWriteStats('   nr  size\ninitial: 3298401 100k\nshort: 1\n'), [{ type: 'initial', count: 3298401, averageSizeBytes: 102400 }]);
  assert.throws(() => parseBcachefsBtreeWriteStats('h\ninitial: x 1k\n'), isParseError(/count of initial/));
});

test('parseBcachefsIoDone: read/write sections; lines before a section skipped', () => {
  assert.deepEqual(parseBcachefsIoDone('sb : 5\nread:\nsb          :       86016\nwrite:\nuser        :562070339584\n'), [
    { operation: 'read', dataType: 'sb', bytes: 86016 },
    { operation: 'write', dataType: 'user', bytes: 562070339584 },
  ]);
  assert.throws(() => parseBcachefsIoDone('read:\nsb : -1\n'), isParseError(/bytes of sb/));
});

test('parseBcachefsIoErrors: only the since-creation section counts', () => {
  const text = 'IO errors since filesystem creation\n  read:    18828\n  checksum:5\nIO errors since 8 y ago\n  read:    1\n';
  assert.deepEqual(
    [...parseBcachefsIoErrors(text)],
    [
      ['read', 18828],
      ['checksum', 5],
    ],
  );
  assert.deepEqual([...parseBcachefsIoErrors('  read: 4\n')], []);
  assert.throws(() => parseBcachefsIoErrors('IO errors since filesystem creation\n  read: x\n'), isParseError(/count of read/));
});

test('bcachefs fixture files parse', async () => {
  const comp = await readAndParse(fixturePath(...FS, 'compression_stats'), parseBcachefsCompressionStats);
  assert.deepEqual(
    comp.map((c) => c.algorithm),
    ['lz4', 'zstd', 'incompressible'],
  );
  const done = await readAndParse(fixturePath(...FS, 'dev-0', 'io_done'), parseBcachefsIoDone);
  assert.equal(done.length, 20);
  const counter = await readAndParse(fixturePath(...FS, 'counters', 'data_read'), parseBcachefsCounter);
  assert.equal(counter.sinceFilesystemCreation, 803 * 1024 ** 3);
});

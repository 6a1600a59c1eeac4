import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseBcacheHuman, parseBcacheHumanSigned, parseBcachePriorityStats, parseBcacheValueFile, parseBcacheWritebackRateDebug } from '../../src/sysfs/bcache.js';
import { fixturePath } from '../helpers/repo.js';

const SET = ['sys', 'fs', 'bcache', '3f6a2c91-8d4e-4b7a-9e05-c1d2b3a4f567'];
const isParseError = (re: RegExp) => (err: unknown) => err instanceof ParseError && re.test(err.message);

test('parseBcacheHuman: bch_hprint values with procfs arithmetic', () => {
  const cases: [string, number][] = [
    ['512', 512],
    ['0.5', 0],
    ['1.1M', Math.trunc((1 + 1 / 10.24) * 2 ** 20)],
    ['20.4G', Math.trunc((20 + 4 / 10.24) * 2 ** 30)],
    ['186M', 186 * 2 ** 20],
    ['3x', 0], // a letter that is no unit multiplies by 0
  ];
  for (const [text, want] of cases) assert.equal(parseBcacheHuman(text), want, text);
  for (const bad of ['', 'k', 'x.5k', '1.yk']) assert.throws(() => parseBcacheHuman(bad), isParseError(/empty|invalid number/), bad);
  assert.equal(parseBcacheHumanSigned('-427.5k'), -Math.trunc((427 + 5 / 10.24) * 1024));
  assert.equal(parseBcacheValueFile('91\n'), 91);
});

test('parseBcacheWritebackRateDebug: every field, unknown lines skipped, bad values fail', () => {
  const got = parseBcacheWritebackRateDebug(
    'rate:\t\t1.1M/sec\ndirty:\t\t3.1G\ntarget:\t\t20.4G\nproportional:\t-427.5k\nintegral:\t790.0k\nchange:\t\t-21.5k/sec\nnext io:\t17ms\nfuture:\t1\n',
  );
  assert.equal(got.rate, 1150976);
  assert.equal(got.nextIoMs, 17);
  assert.ok(got.proportional < 0 && got.change < 0);
  assert.deepEqual(parseBcacheWritebackRateDebug(''), { rate: 0, dirty: 0, target: 0, proportional: 0, integral: 0, change: 0, nextIoMs: 0 });
  assert.throws(() => parseBcacheWritebackRateDebug('rate:\n'), isParseError(/invalid number "rate:"/));
  assert.throws(() => parseBcacheWritebackRateDebug('dirty: lots\n'), isParseError(/invalid number/));
  assert.throws(() => parseBcacheWritebackRateDebug('next io: soon\n'), isParseError(/next io/));
});

test('parseBcachePriorityStats: Unused and Metadata percentages', () => {
  assert.deepEqual(parseBcachePriorityStats('Unused:\t\t12%\nClean:\t71%\nMetadata:\t2%\nQuantiles:\t[1 2 3]\n'), { unusedPercent: 12, metadataPercent: 2 });
  assert.deepEqual(parseBcachePriorityStats(''), { unusedPercent: 0, metadataPercent: 0 });
  assert.throws(() => parseBcachePriorityStats('Unused: many%\n'), isParseError(/invalid percentage/));
});

test('bcache fixture attributes parse', async () => {
  assert.equal(await readAndParse(fixturePath(...SET, 'btree_cache_size'), parseBcacheValueFile), 186 * 2 ** 20);
  const wrd = await readAndParse(fixturePath(...SET, 'bdev0', 'writeback_rate_debug'), parseBcacheWritebackRateDebug);
  assert.equal(wrd.dirty, Math.trunc((3 + 1 / 10.24) * 2 ** 30));
  assert.deepEqual(await readAndParse(fixturePath(...SET, 'cache0', 'priority_stats'), parseBcachePriorityStats), { unusedPercent: 12, metadataPercent: 2 });
});

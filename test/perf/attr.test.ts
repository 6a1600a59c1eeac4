import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheConfig, encodeAttr, groupReadSize, parseCounterRead, parseCpuList, parseGroupRead, PERF_ATTR_SIZE, PERF_TYPE_HW_CACHE } from '../../src/perf/attr.js';
import { ParseError } from '../../src/procfs/parse-error.js';

test('perf_event_attr: type, size, config, read_format and flags at their offsets', () => {
  const b = encodeAttr({ type: PERF_TYPE_HW_CACHE, config: cacheConfig(0, 1, 1), disabled: true });
  assert.equal(b.length, PERF_ATTR_SIZE);
  assert.equal(b.readUInt32LE(0), 3);
  assert.equal(b.readUInt32LE(4), 112);
  assert.equal(b.readBigUInt64LE(8), 0x10100n); // L1D, write, miss
  assert.equal(b.readBigUInt64LE(16), 0n); // counting, not sampling
  assert.equal(b.readBigUInt64LE(24), 0x10000n); // PERF_SAMPLE_IDENTIFIER, as upstream sets it
  assert.equal(b.readBigUInt64LE(32), 3n); // time enabled + running
  assert.equal(b.readBigUInt64LE(40), 0x41n); // disabled, exclude_hv
  assert.equal(encodeAttr({ type: 1, config: 3 }).readBigUInt64LE(40), 0x40n);
  assert.equal(encodeAttr({ type: 1, config: 3, inherit: true }).readBigUInt64LE(40), 0x42n);
  assert.equal(encodeAttr({ type: 2, config: 300, group: true }).readBigUInt64LE(32), 11n); // + PERF_FORMAT_GROUP
});

test('group reads: nr, times, then one value per member in join order', () => {
  const b = Buffer.alloc(groupReadSize(3));
  b.writeBigUInt64LE(3n, 0);
  b.writeBigUInt64LE(100n, 8);
  b.writeBigUInt64LE(100n, 16);
  [7n, 2n ** 53n, 0n].forEach((v, i) => b.writeBigUInt64LE(v, 24 + 8 * i));
  assert.equal(b.length, 48);
  assert.deepEqual(parseGroupRead(b, 3), [7, 2 ** 53, 0]);
  assert.throws(() => parseGroupRead(b, 2), /3 members, want 2/);
  assert.throws(() => parseGroupRead(b.subarray(0, 40), 3), ParseError);
  assert.throws(() => parseGroupRead(Buffer.alloc(8), 1), ParseError);
});

test('counter reads: value, enabled, running; short reads throw', () => {
  const b = Buffer.alloc(24);
  b.writeBigUInt64LE(2n ** 40n, 0);
  b.writeBigUInt64LE(1000n, 8);
  b.writeBigUInt64LE(500n, 16);
  assert.deepEqual(parseCounterRead(b), { value: 2 ** 40, enabledNs: 1000, runningNs: 500 });
  assert.throws(() => parseCounterRead(Buffer.alloc(8)), ParseError);
});

test('--collector.perf.cpus lists', () => {
  const cases: [string, number[] | null][] = [
    ['', [0, 1, 2, 3]],
    ['1', [1]],
    ['0,2', [0, 2]],
    ['1-3', [1, 2, 3]],
    ['0-6:2', [0, 2, 4, 6]],
    ['0-1,5', [0, 1, 5]],
    ['x', null],
    ['3-1', null],
    ['0-4:0', null],
    ['1:2', null],
    ['1,', null],
  ];
  for (const [text, want] of cases) {
    if (want === null) assert.throws(() => parseCpuList(text, 4), ParseError, text);
    else assert.deepEqual(parseCpuList(text, 4), want, text);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLine, isoTime } from '../../src/logger.js';

test('isoTime prints what toISOString prints', () => {
  const times = [0, 1, 999, 1000, 59_999, 951_782_400_000 /* 2000-02-29 */, 1_733_400_000_123, 253_402_300_799_999 /* 9999-12-31 */, -1, -62_167_219_200_000 /* year 0 */];
  for (const ms of times) {
    const d = new Date(ms);
    assert.equal(isoTime(d), d.toISOString(), `at ${ms}`);
  }
  // And times across the whole range, from a fixed sequence.
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const ms = Math.floor((x / 2 ** 31) * 253_402_300_799_999);
    assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString(), `at ${ms}`);
  }
  // Outside years 0 to 9999 toISOString's own (expanded years) text.
  for (const ms of [253_402_300_800_000, -62_167_219_200_001]) assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString());
  assert.throws(() => isoTime(new Date(Number.NaN)), RangeError);
});

test('a log line carries the time as toISOString prints it', () => {
  const t = new Date(Date.UTC(2026, 11, 5, 9, 8, 7, 6));
  assert.equal(formatLine('logfmt', t, 'info', 'hello', { a: 1 }), 'time=2026-12-05T09:08:07.006Z level=info msg=hello a=1');
  assert.equal(formatLine('json', t, 'warn', 'hi', {}), '{"time":"2026-12-05T09:08:07.006Z","level":"warn","msg":"hi"}');
});

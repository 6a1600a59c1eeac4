import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpDate } from '../../src/server/http-date.js';

test('httpDate prints what toUTCString prints, for the second the time is in', () => {
  let x = 4242;
  const times = [0, 999, 1000, 951_782_400_000 /* 2000-02-29 */, 1_764_933_180_500, 253_402_300_799_999];
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    times.push(Math.floor((x / 2 ** 31) * 253_402_300_799_999));
  }
  for (const ms of times) assert.equal(httpDate(ms), new Date(Math.floor(ms / 1000) * 1000).toUTCString(), `at ${ms}`);
  assert.equal(httpDate(Date.UTC(2026, 11, 5, 11, 33, 0, 250)), 'Sat, 05 Dec 2026 11:33:00 GMT');
  // The same second twice, then the next one.
  assert.equal(httpDate(Date.UTC(2026, 11, 5, 11, 33, 0, 900)), 'Sat, 05 Dec 2026 11:33:00 GMT');
  assert.equal(httpDate(Date.UTC(2026, 11, 5, 11, 33, 1, 0)), 'Sat, 05 Dec 2026 11:33:01 GMT');
});

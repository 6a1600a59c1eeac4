import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseRaidDisks, parseSyncCompleted } from '../../src/sysfs/mdraid.js';
import { fixturePath } from '../helpers/repo.js';

test('parseRaidDisks: a number, "current (previous)" during a reshape, else unknown', () => {
  const cases: [string, number | undefined][] = [
    ['4\n', 4],
    ['11 (10)\n', 11],
    ['', undefined],
    ['\n', undefined],
    ['x (4)', undefined],
    ['-1', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseRaidDisks(text), want, JSON.stringify(text));
});

test('parseSyncCompleted: none, a fraction, or a ParseError', () => {
  assert.equal(parseSyncCompleted('none\n'), undefined);
  assert.equal(parseSyncCompleted('1 / 4\n'), 0.25);
  assert.ok(Number.isNaN(parseSyncCompleted('0 / 0')));
  for (const bad of ['', 'delayed', '1 of 4', '/ 4']) {
    assert.throws(
      () => parseSyncCompleted(bad),
      (err: unknown) => err instanceof ParseError && /sync_completed/.test(err.message),
      bad,
    );
  }
});

test('mdraid fixture attributes parse', async () => {
  assert.equal(await readAndParse(fixturePath('sys', 'block', 'md127', 'md', 'raid_disks'), parseRaidDisks), 2);
  const done = await readAndParse(fixturePath('sys', 'block', 'md127', 'md', 'sync_completed'), parseSyncCompleted);
  assert.ok(done !== undefined && done > 0.27 && done < 0.28);
});

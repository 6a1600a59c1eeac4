import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { btrfsAllocationRatio, parseBtrfsCommitStats, parseBtrfsValue } from '../../src/sysfs/btrfs.js';
import { fixturePath } from '../helpers/repo.js';

const zero = { commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 };
const cases: { name: string; text: string; want?: typeof zero; error?: RegExp }[] = [
  { name: 'empty', text: '', want: zero },
  { name: 'truncated line', text: 'commits 12\nlast_commit_ms\n', error: /1 fields, want 2/ },
  { name: 'too many fields', text: 'commits 12 13\n', error: /3 fields, want 2/ },
  { name: 'blank line inside', text: 'commits 1\n\nmax_commit_ms 2\n', error: /0 fields/ },
  { name: 'invalid number', text: 'commits -1\n', error: /invalid value of commits "-1"/ },
  {
    name: 'valid, unknown names skipped',
    text: 'commits 258051\nlast_commit_ms 1000\nmax_commit_ms 51462\ntotal_commit_ms 47836090\nfuture_ms 7\n',
    want: { commits: 258051, lastCommitMs: 1000, maxCommitMs: 51462, totalCommitMs: 47836090 },
  },
];

for (const c of cases) {
  test(`parseBtrfsCommitStats: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseBtrfsCommitStats(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseBtrfsCommitStats(c.text), c.want);
    }
  });
}

test('parseBtrfsValue: unparsable reads as 0, as procfs does', () => {
  assert.equal(parseBtrfsValue('16777216\n'), 16777216);
  assert.equal(parseBtrfsValue(''), 0);
  assert.equal(parseBtrfsValue('x'), 0);
  assert.equal(parseBtrfsValue('18446744073709551616'), 0);
});

test('btrfsAllocationRatio: by profile, parity profiles by device count', () => {
  assert.equal(btrfsAllocationRatio('single', 1), 1);
  assert.equal(btrfsAllocationRatio('dup', 1), 2);
  assert.equal(btrfsAllocationRatio('raid1c4', 4), 4);
  assert.equal(btrfsAllocationRatio('raid5', 4), 4 / 3);
  assert.equal(btrfsAllocationRatio('raid6', 4), 2);
  assert.equal(btrfsAllocationRatio('raid7', 4), 0);
});

test('btrfs fixture commit_stats parses', async () => {
  const s = await readAndParse(fixturePath('sys', 'fs', 'btrfs', 'e2c8a3b4-6f0d-4b9e-8a71-5c3d2e1f0a96', 'commit_stats'), parseBtrfsCommitStats);
  assert.equal(s.commits, 118342);
});

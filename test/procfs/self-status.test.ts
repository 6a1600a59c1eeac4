import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSoftLimit, parseStatusKiB } from '../../src/procfs/self-status.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max open files            1024                 524288               files
Max address space         unlimited            unlimited            bytes
`;

const STATUS = `Name:\tnode
VmPeak:\t 1234568 kB
VmSize:\t 1142112 kB
Threads:\t16
`;

test('parseSoftLimit: the soft column, unlimited as +Inf, absent as undefined', () => {
  assert.equal(parseSoftLimit(LIMITS, 'Max open files'), 1024);
  assert.equal(parseSoftLimit(LIMITS, 'Max address space'), Infinity);
  assert.equal(parseSoftLimit(LIMITS, 'Max processes'), undefined);
  assert.equal(parseSoftLimit('', 'Max open files'), undefined);
  // Only a line that starts with the name, the first such; the last line needs no newline.
  assert.equal(parseSoftLimit('Soft Max open files 5 5 files\nMax open files  7  8  files\nMax open files 9 9 files', 'Max open files'), 7);
  assert.equal(parseSoftLimit('Limit\nMax open files  11  12  files', 'Max open files'), 11);
});

test('parseStatusKiB: kB fields in bytes, other or absent fields undefined', () => {
  assert.equal(parseStatusKiB(STATUS, 'VmSize'), 1142112 * 1024);
  assert.equal(parseStatusKiB(STATUS, 'Threads'), undefined);
  assert.equal(parseStatusKiB(STATUS, 'VmRSS'), undefined);
  assert.equal(parseStatusKiB('VmSizeX:\t 1 kB\nVmSize:\t 5 kB', 'VmSize'), 5 * 1024, 'the field itself, on a last line without a newline');
  assert.equal(parseStatusKiB('VmSize:\t 5 MB\n', 'VmSize'), undefined);
});

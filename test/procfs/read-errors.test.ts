import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NoDataError } from '../../src/collector.js';
import { SyscallError } from '../../src/native.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { ifMissing, noDataIfMissing } from '../../src/read/files.js';
import { hasErrno } from '../../src/errno.js';

test('hasErrno: Node fs errors and SyscallError by errno name; anything else has none', () => {
  const fsErr = Object.assign(new Error('x'), { code: 'ENOENT' });
  const sys = new SyscallError('y', { code: 'EACCES', errno: 13, syscall: 'open' });
  assert.equal(hasErrno(fsErr, 'ENOENT'), true);
  assert.equal(hasErrno(fsErr, 'EACCES', 'ENOENT'), true);
  assert.equal(hasErrno(fsErr, 'EACCES'), false);
  assert.equal(hasErrno(sys, ...new Set(['EPERM', 'EACCES'])), true);
  for (const other of [new ParseError('z'), 'ENOENT', undefined, null, 2, { code: 2 }]) assert.equal(hasErrno(other, 'ENOENT'), false, String(other));
});

test('ifMissing / noDataIfMissing: only ENOENT is turned into the fallback or no data', () => {
  const missing = Object.assign(new Error('gone'), { code: 'ENOENT' });
  const denied = Object.assign(new Error('no'), { code: 'EACCES' });
  assert.equal(ifMissing(7)(missing), 7);
  assert.throws(() => ifMissing(7)(denied), /no/);
  assert.throws(
    () => noDataIfMissing('/proc/x')(missing),
    (e: unknown) => e instanceof NoDataError && /\/proc\/x does not exist/.test(e.message),
  );
  assert.throws(
    () => noDataIfMissing('/proc/x')(denied),
    (e: unknown) => e === denied,
  );
});

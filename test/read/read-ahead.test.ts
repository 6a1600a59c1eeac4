import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReadAhead } from '../../src/read/files.js';

function withDir(fn: (file: (name: string) => string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nts-read-ahead-'));
    try {
      await fn((name) => path.join(dir, name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'read ahead: the same list is served from the early read, a changed list is read afresh',
  withDir(async (file) => {
    const ahead = new ReadAhead();
    writeFileSync(file('a'), 'a1');
    writeFileSync(file('b'), 'b1');
    assert.equal(ahead.start(), undefined, 'nothing to read ahead before the first list');
    assert.deepEqual(await ahead.read([file('a'), file('b')], undefined), ['a1', 'b1']);

    const early = ahead.start();
    assert.deepEqual(early?.files, [file('a'), file('b')]);
    assert.deepEqual(await early?.texts, ['a1', 'b1']);
    // Changed after the early read: served from it, so this is what it read, not a second read.
    writeFileSync(file('a'), 'a2');
    assert.deepEqual(await ahead.read([file('a'), file('b')], early), ['a1', 'b1']);

    // A device came: the new list is read now, and is the one read ahead next time.
    writeFileSync(file('c'), 'c1');
    const early2 = ahead.start();
    assert.deepEqual(await ahead.read([file('a'), file('b'), file('c')], early2), ['a2', 'b1', 'c1']);
    assert.deepEqual(ahead.start()?.files, [file('a'), file('b'), file('c')]);
  }),
);

test(
  'read ahead: an early read is used only for the very list it read (concurrent scrapes)',
  withDir(async (file) => {
    const ahead = new ReadAhead();
    writeFileSync(file('a'), 'a');
    writeFileSync(file('b'), 'b');
    await ahead.read([file('a')], undefined);
    const first = ahead.start();
    // Another scrape meanwhile sees a different list.
    assert.deepEqual(await ahead.read([file('b')], ahead.start()), ['b']);
    // The first scrape's list is still [a]: served from its own early read, whatever came since.
    assert.deepEqual(await ahead.read([file('a')], first), ['a']);
    // An early read of [a] never answers for [b], nor for a list of another length.
    assert.deepEqual(await ahead.read([file('b')], first), ['b']);
    assert.deepEqual(await ahead.read([file('a'), file('b')], first), ['a', 'b']);
  }),
);

test(
  'read ahead: per-file errors come back as they would from a plain read',
  withDir(async (file) => {
    const ahead = new ReadAhead();
    writeFileSync(file('a'), 'a');
    await ahead.read([file('a'), file('gone')], undefined);
    const [a, gone] = await ahead.read([file('a'), file('gone')], ahead.start());
    assert.equal(a, 'a');
    assert.ok(gone instanceof Error && (gone as NodeJS.ErrnoException).code === 'ENOENT');
  }),
);

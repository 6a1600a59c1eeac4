/**
 * The read queue must not keep a settled read alive. A scrape's reads go through one long-lived
 * queue; if it held on to them (V8's Map.clear() does, through the old table's link to its
 * successor), every request, promise and parsed result would outlive the young generation and
 * fill the old one until the next full GC: more RSS after a burst and more full GCs (p99).
 * Observed the only way it shows: old-space growth across young-generation GCs alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readTextThen, type SyscallError } from '../src/native.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (options?: { type?: 'major' | 'minor' }) => void;

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILE = path.join(root, 'fixtures', 'proc', 'loadavg');

const oldSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;

/** What a parser returns for one read: about 10 KiB of small objects on the young heap. */
function parsed(r: string | SyscallError): { k: number }[] {
  if (typeof r !== 'string') throw r;
  return Array.from({ length: 250 }, (_, k) => ({ k: k + r.length }));
}

test('read queue: settled reads die young (young-generation GCs do not promote them)', async () => {
  const READS = 200;
  // Warm up: code compiled, and the queue's own state made old, as in a running exporter.
  for (let i = 0; i < 20; i++) await readTextThen(FILE, 4096, false, parsed, undefined);
  gc({ type: 'major' });
  const before = oldSpaceUsed();
  let total = 0;
  for (let i = 0; i < READS; i++) {
    total += (await readTextThen(FILE, 4096, false, parsed, undefined)).length;
    // Out of the job that settled the read (it holds the result until it ends), then two
    // young-generation GCs: anything still reachable is promoted to the old space.
    await new Promise((resolve) => setImmediate(resolve));
    gc({ type: 'minor' });
    gc({ type: 'minor' });
  }
  const grown = oldSpaceUsed() - before;
  assert.equal(total, READS * 250);
  // Kept alive, the results alone would be READS x ~10 KiB = ~2 MiB of old space.
  assert.ok(grown < 512 * 1024, `old space grew by ${(grown / 1024).toFixed(0)} KiB over ${READS} reads and young-generation GCs`);
});
